"""Whether ``dvc.lock`` still records the params the params files hold: ``mlgate lock-check``.

``dvc.lock`` records, per stage, the value of every params key the stage lists. A commit that
changes ``params.yaml`` without running ``dvc repro`` leaves a lock (and outputs, metrics and
model) that describe other params. This module finds that without importing DVC, by DVC's own rules
(``dvc status``): a listed key absent from the file is deleted, a key the lock lacks is new, and a
value that differs (Python ``!=``, so ``1`` equals ``1.0``) is modified. Stages that are ``frozen``
are skipped, as DVC skips them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mlgate.project.dvcfile import (
    DEFAULT_PARAMS_FILE,
    MISSING,
    is_generated,
    listed_params,
    lookup,
    pipeline_stages,
    stage_definition,
)

#: How to bring ``dvc.lock`` up to date, printed after the stale entries.
FIX = (
    "Run `dvc repro` and commit dvc.lock with the changed metrics, or undo the params change. "
    "(`dvc status` lists the same changes.)"
)


@dataclass(frozen=True)
class StaleParam:
    """A params value that differs between ``dvc.lock`` and the params file.

    Attributes
    ----------
    stage : str
        The stage whose recorded params differ (``name@item`` for generated stages).
    params_file : str
        The params file, as ``dvc.lock`` names it.
    key : str
        The dotted key; inside a whole section a stage lists, the key of the differing value.
    locked, current : Any
        The value recorded in ``dvc.lock`` and the value in the params file now;
        :data:`mlgate.project.dvcfile.MISSING` where there is none.
    """

    stage: str
    params_file: str
    key: str
    locked: Any
    current: Any

    def __str__(self) -> str:
        where, file = f"dvc.lock: stage {self.stage}: {self.key}", self.params_file
        locked, current = _short(self.locked), _short(self.current)
        if self.locked is MISSING and self.current is MISSING:
            return f"{where} is listed by the stage, but neither dvc.lock nor {file} has it"
        if self.locked is MISSING:
            return f"{where} is {current} in {file}, which dvc.lock does not record (a new param)"
        if self.current is MISSING:
            return f"{where} was {locked} in dvc.lock and is gone from {file}"
        return f"{where} is {locked} in dvc.lock but {current} in {file}"


@dataclass(frozen=True)
class LockStatus:
    """How ``dvc.lock`` compares with ``dvc.yaml`` and the params files.

    Attributes
    ----------
    stale : tuple of StaleParam
        Every recorded params value that differs from the current one.
    unlocked_stages : tuple of str
        Stages of ``dvc.yaml`` that ``dvc.lock`` does not record (never run, or not committed).
    """

    stale: tuple[StaleParam, ...]
    unlocked_stages: tuple[str, ...]

    @property
    def is_current(self) -> bool:
        """True when ``dvc.lock`` records every stage with the params it has now."""
        return not self.stale and not self.unlocked_stages

    def report(self) -> list[str]:
        """One line per stale value or unrecorded stage, then the fix; empty when current."""
        lines = [
            f"dvc.lock: stage {stage} of dvc.yaml is not recorded in dvc.lock"
            for stage in self.unlocked_stages
        ]
        lines += [str(stale) for stale in self.stale]
        return [*lines, FIX] if lines else []


def lock_status(
    lock: Mapping[str, Any] | None,
    dvc: Mapping[str, Any],
    params_files: Mapping[str, Mapping[str, Any] | None],
) -> LockStatus:
    """Compare the params ``dvc.lock`` recorded with the params files now.

    Parameters
    ----------
    lock : mapping or None
        The parsed ``dvc.lock`` (schema 2.0), or None when there is none.
    dvc : mapping
        The parsed ``dvc.yaml``: which stages exist and which params each lists.
    params_files : mapping
        Each params file named by :func:`params_files_to_read`, parsed, or None when absent.

    Returns
    -------
    LockStatus
    """
    locked_stages = _locked_stages(lock)
    stale: list[StaleParam] = []
    for name, entry in locked_stages.items():
        stage = pipeline_stages(dvc).get(name.partition("@")[0], {})
        if stage_definition(stage).get("frozen") or entry.get("frozen"):
            continue
        recorded = entry.get("params") if isinstance(entry.get("params"), dict) else {}
        # DVC compares the keys dvc.yaml lists now (the lock's other keys are ignored); a
        # generated stage's list may hold ${item}, so its recorded keys are compared instead.
        if "@" in name:
            listed = {file: list(values or {}) for file, values in recorded.items()}
        else:
            listed = listed_params(stage)
        for file, keys in listed.items():
            current = params_files.get(file)
            values = recorded.get(file) if isinstance(recorded.get(file), dict) else {}
            for key in keys or dict.fromkeys([*(current or {}), *values]):
                now = MISSING if current is None else lookup(current, key)
                before = values.get(key, MISSING)
                if before is MISSING and now is MISSING:  # listed, but recorded nowhere
                    stale.append(StaleParam(name, file, key, before, now))
                stale += (
                    StaleParam(name, file, path, old, new)
                    for path, old, new in _differences(key, before, now)
                )
    return LockStatus(stale=tuple(stale), unlocked_stages=_unlocked(dvc, locked_stages))


def params_files_to_read(lock: Mapping[str, Any] | None, dvc: Mapping[str, Any]) -> list[str]:
    """The params files that ``dvc.lock`` records or ``dvc.yaml`` lists, as they name them."""
    names = [DEFAULT_PARAMS_FILE]
    for entry in _locked_stages(lock).values():
        if isinstance(entry.get("params"), dict):
            names += entry["params"]
    for stage in pipeline_stages(dvc).values():
        names += listed_params(stage)
    return list(dict.fromkeys(str(name) for name in names))


def _locked_stages(lock: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    stages = (lock or {}).get("stages")
    if not isinstance(stages, dict):
        return {}
    return {str(name): entry for name, entry in stages.items() if isinstance(entry, dict)}


def _differences(key: str, locked: Any, current: Any) -> Iterator[tuple[str, Any, Any]]:
    """``(key, locked, current)`` for each differing value, descending into mappings both hold.

    A section a stage lists whole (``data``) is compared value by value, so that the report names
    ``data.numeric``, not the whole section; the verdict is the same as comparing the sections.
    """
    if isinstance(locked, dict) and isinstance(current, dict):
        for part in dict.fromkeys([*locked, *current]):
            yield from _differences(
                f"{key}.{part}", locked.get(part, MISSING), current.get(part, MISSING)
            )
    elif locked != current:  # MISSING equals only itself
        yield key, locked, current


def _unlocked(dvc: Mapping[str, Any], locked: Mapping[str, Any]) -> tuple[str, ...]:
    missing = []
    for name, stage in pipeline_stages(dvc).items():
        if is_generated(stage):
            recorded = any(n.startswith(f"{name}@") for n in locked)
        else:
            recorded = name in locked
        if not recorded:
            missing.append(name)
    return tuple(missing)


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."
