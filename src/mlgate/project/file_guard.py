"""Which files must not be committed to git because DVC should hold them: ``mlgate guard-files``.

A data or model file committed to git stays in the history for good, bloats every clone, and
escapes the pipeline's hashes. Three rules catch one, in this order: a pipeline output (a path
under a folder DVC manages, or a cached output of a ``dvc.yaml`` stage), a file of a data or model
type, and a file over a size limit. Paths the project deliberately keeps in git are allowed
whatever they are, and so are the ``.gitignore`` and ``.dvc`` files DVC itself writes.

The functions are pure: the command gives each file's size.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mlgate import paths

#: What the template keeps in git on purpose: the small gzipped source data and its SOURCE.md,
#: the metric and plot JSON files DVC leaves to git (``cache: false``), the model card (also
#: ``cache: false``: versioned with the model by the registry's tags), uv's lock file, and the
#: models saved by earlier releases that the compatibility tests load.
DEFAULT_ALLOWED = (
    "data/source/",
    "reports/*.json",
    paths.MODEL_CARD_MD.as_posix(),
    "uv.lock",
    "tests/fixtures/models/",
)

#: Folders whose files are pipeline outputs, cached by DVC.
DEFAULT_MANAGED_DIRS = tuple(
    f"{path.parent.as_posix()}/"
    for path in (paths.INGESTED_TRAIN, paths.PREPARED_TRAIN, paths.MODEL)
)

#: A file of these types is data or a model, whatever its size.
DATA_SUFFIXES = frozenset(
    {
        # tables and arrays
        ".csv", ".tsv", ".parquet", ".feather", ".arrow", ".npy", ".npz", ".h5", ".hdf5",
        # models
        ".skops", ".pkl", ".pickle", ".joblib", ".onnx", ".pt", ".pth", ".safetensors",
    }
)  # fmt: skip

#: Stripped before the type is judged, so that ``train.csv.gz`` is a CSV file.
COMPRESSION_SUFFIXES = frozenset({".gz", ".bz2", ".xz", ".zst"})

DEFAULT_MAX_KB = 1024


@dataclass(frozen=True)
class GuardPolicy:
    """What may be committed.

    Attributes
    ----------
    allowed : tuple of str
        Paths kept in git whatever their type or size: a folder ending in ``/``, or a glob
        (``fnmatch``: ``*`` also matches ``/``).
    managed_dirs : tuple of str
        Folders of pipeline outputs.
    max_bytes : int
        The largest file accepted.
    pipeline_outputs : mapping of str to str
        Cached outputs of the pipeline (files or folders) and the stage writing each.
    """

    allowed: tuple[str, ...] = DEFAULT_ALLOWED
    managed_dirs: tuple[str, ...] = DEFAULT_MANAGED_DIRS
    max_bytes: int = DEFAULT_MAX_KB * 1024
    pipeline_outputs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Refusal:
    """A file that must not be committed: which, why, and how to fix it."""

    path: str
    reason: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}. {self.fix}"


def guard_files(files: Iterable[tuple[str, int | None]], *, policy: GuardPolicy) -> list[Refusal]:
    """The files of ``files`` that must not be committed.

    Parameters
    ----------
    files : iterable of (str, int or None)
        Each path, relative to the project root, and its size in bytes (None if unknown).
    policy : GuardPolicy
        What is allowed, where the pipeline writes, and the size limit.

    Returns
    -------
    list of Refusal
        In the order given; empty when every file may be committed.
    """
    found = (refuse(path, size, policy=policy) for path, size in files)
    return [refusal for refusal in found if refusal is not None]


def refuse(path: str, size: int | None, *, policy: GuardPolicy) -> Refusal | None:
    """Why ``path`` must not be committed, or None if it may be."""
    path = _normal(path)
    name = PurePosixPath(path).name
    if _is_allowed(path, policy.allowed) or name == ".gitignore" or name.endswith(".dvc"):
        return None
    unstage = f"Unstage it (`git rm --cached {path}`)"
    stage = _writing_stage(path, policy.pipeline_outputs)
    if stage is not None:
        return Refusal(
            path,
            f"is an output of the pipeline (stage {stage!r} in dvc.yaml), which DVC caches",
            f"{unstage}; `dvc repro` records it in dvc.lock and `dvc push` shares it.",
        )
    folder = next((d for d in policy.managed_dirs if path.startswith(_as_folder(d))), None)
    if folder is not None:
        return Refusal(
            path,
            f"is under {_as_folder(folder)}, where the pipeline writes outputs DVC caches",
            f"{unstage}; `dvc repro` records it in dvc.lock and `dvc push` shares it.",
        )
    kind = data_suffix(path)
    if kind is not None:
        return Refusal(
            path,
            f"is a {kind} file: data and models belong in DVC, not in git",
            f"{unstage} and track it with `dvc add {path}` (commit {path}.dvc), or make it a "
            f"pipeline output.",
        )
    if size is not None and size > policy.max_bytes:
        return Refusal(
            path,
            f"is {_kib(size)}, over the limit of {_kib(policy.max_bytes)}",
            f"{unstage} and track it with `dvc add {path}`, or allow it (--allow {path}).",
        )
    return None


def data_suffix(path: str) -> str | None:
    """The data or model type of ``path`` (``.csv`` for ``x.csv.gz``), or None."""
    suffixes = [s.lower() for s in PurePosixPath(path).suffixes]
    while suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        suffixes.pop()
    return suffixes[-1] if suffixes and suffixes[-1] in DATA_SUFFIXES else None


def _writing_stage(path: str, outputs: Mapping[str, str]) -> str | None:
    for output, stage in outputs.items():
        if path == _normal(output) or path.startswith(_as_folder(output)):
            return stage
    return None


def _is_allowed(path: str, allowed: Iterable[str]) -> bool:
    for pattern in allowed:
        if pattern.endswith("/"):
            if path.startswith(_as_folder(pattern)):
                return True
        elif fnmatch.fnmatchcase(path, _normal(pattern)):
            return True
    return False


def _normal(path: str) -> str:
    return PurePosixPath(path.replace("\\", "/")).as_posix().removeprefix("./")


def _as_folder(path: str) -> str:
    return f"{_normal(path).rstrip('/')}/"


def _kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB"
