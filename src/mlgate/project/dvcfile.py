"""What a parsed ``dvc.yaml`` says: its stages, the params and outputs they list, its ``${...}``.

Pure readers of the mapping :func:`mlgate.config.parse_yaml` returns, following DVC's own rules,
so that ``mlgate validate`` and ``mlgate lock-check`` need no DVC import. Malformed entries are
skipped here; :mod:`mlgate.project` reports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

#: The params file a stage's bare keys belong to, loaded for ``${...}`` by default.
DEFAULT_PARAMS_FILE = "params.yaml"

#: ``${name}`` unless escaped as ``\\${``: DVC's own pattern.
INTERPOLATION = re.compile(r"(?<!\\)\$\{(?P<inner>.*?)\}")

#: Output sections of a stage: metrics and plots are outputs too.
OUTPUT_SECTIONS = ("outs", "metrics", "plots")


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


#: What :func:`lookup` returns for an absent key (``None`` is a valid YAML value).
MISSING: Any = _Missing()


def lookup(mapping: Any, key: str) -> Any:
    """The value at a dotted key (``train.seed``, ``paths[0]``, ``paths.0``), or :data:`MISSING`.

    Parameters
    ----------
    mapping : Any
        Parsed YAML.
    key : str
        Dots separate mapping keys; ``[n]`` or ``.n`` index a list, as in DVC.
    """
    node = mapping
    for part in key.replace("[", ".").replace("]", "").split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return node


def pipeline_stages(dvc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The stages of ``dvc.yaml`` that are mappings, by name."""
    stages = dvc.get("stages")
    if not isinstance(stages, dict):
        return {}
    return {str(name): stage for name, stage in stages.items() if isinstance(stage, dict)}


def stage_definition(stage: Mapping[str, Any]) -> Mapping[str, Any]:
    """The fields of a stage: a ``foreach`` stage keeps them under ``do``."""
    do = stage.get("do")
    return do if "foreach" in stage and isinstance(do, dict) else stage


def is_generated(stage: Mapping[str, Any]) -> bool:
    """True for a ``foreach`` or ``matrix`` stage (``dvc.lock`` records ``name@item`` stages)."""
    return "foreach" in stage or "matrix" in stage


def listed_params(stage: Mapping[str, Any]) -> dict[str, list[str]]:
    """``{params file: keys}`` a stage lists; an empty list tracks the whole file, as in DVC."""
    listed: dict[str, list[str]] = {}
    for entry in as_list(stage_definition(stage).get("params")):
        if isinstance(entry, str):
            listed.setdefault(DEFAULT_PARAMS_FILE, []).append(entry)
        elif isinstance(entry, dict):
            for file, keys in entry.items():
                names = [key for key in as_list(keys) if isinstance(key, str)]
                listed.setdefault(str(file), []).extend(names)
    return listed


def declared_outputs(stage: Mapping[str, Any]) -> list[tuple[str, str, bool]]:
    """``(section, path, cached)`` for each output a stage declares under outs, metrics or plots.

    ``cached`` is False for ``cache: false`` outputs, which DVC leaves to git.
    """
    outputs = []
    for section in OUTPUT_SECTIONS:
        for entry in as_list(stage_definition(stage).get(section)):
            if isinstance(entry, str):
                outputs.append((section, normal_path(entry), True))
            elif isinstance(entry, dict) and len(entry) == 1:
                ((path, options),) = entry.items()
                cached = not (isinstance(options, dict) and options.get("cache") is False)
                outputs.append((section, normal_path(str(path)), cached))
    return outputs


def cached_outputs(dvc: Mapping[str, Any]) -> dict[str, str]:
    """Every output DVC caches (not ``cache: false``), and the stage that writes it."""
    return {
        path: name
        for name, stage in pipeline_stages(dvc).items()
        for _, path, cached in declared_outputs(stage)
        if cached
    }


def var_file_names(dvc: Mapping[str, Any]) -> list[str]:
    """The files ``dvc.yaml`` imports under ``vars:`` (top level and per stage), as named there."""
    entries = as_list(dvc.get("vars"))
    for stage in pipeline_stages(dvc).values():
        entries += as_list(stage.get("vars"))
    names = [entry.partition(":")[0] for entry in entries if isinstance(entry, str)]
    return list(dict.fromkeys(names))


def strings(node: Any, *, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(key, text)`` for every string in ``node``, mapping keys included (paths can be keys)."""
    if isinstance(node, str):
        yield prefix, node
    elif isinstance(node, dict):
        for name, value in node.items():
            key = f"{prefix}.{name}" if prefix else str(name)
            if isinstance(name, str):
                yield key, name
            yield from strings(value, prefix=key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, prefix=f"{prefix}[{index}]")


def interpolated_names(text: str) -> list[str]:
    """The names of the ``${name}`` in ``text``."""
    return [match["inner"].strip() for match in INTERPOLATION.finditer(text)]


def as_list(value: Any) -> list[Any]:
    """A YAML entry that may be one item or a list, as a (new) list; None is empty."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def normal_path(path: str | Path) -> str:
    """A path as ``dvc.yaml`` compares it: POSIX, relative, no ``./`` and no trailing slash."""
    return PurePosixPath(str(path).replace("\\", "/")).as_posix().removeprefix("./").rstrip("/")
