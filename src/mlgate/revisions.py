"""A DVC output as it was at a git revision, read once, held to that revision's ``dvc.lock``.

The one place mlgate reads a DVC output at a revision (the champion's model, a registered
version's model and fingerprint, the training splits a challenger saw). Its bytes come from the
DVC cache or a remote, which anyone with write access to them could replace; ``dvc.lock`` is in
git, where a change is reviewed. So every reader holds the bytes to the lock's MD5
(:func:`locked_md5`), and a read DVC cannot serve is one error kind, :class:`OutputUnavailable`.
"""

from __future__ import annotations

from pathlib import Path

from mlgate import paths
from mlgate.errors import ModelError, RunError
from mlgate.git import folder_prefix, read_text_at


class OutputUnavailable(RunError):
    """A DVC output at a revision is in neither the DVC cache nor a remote DVC can reach.

    Attributes
    ----------
    kind : str
        The kind of error DVC raised (its class name), for the reader's message.
    detail : str
        DVC's own message.
    """

    def __init__(self, path: Path, rev: str, exc: Exception) -> None:
        self.kind, self.detail = type(exc).__name__, str(exc)
        super().__init__(f"{path} at {rev} is not in the DVC cache or remote ({self.kind}).")


def locked_md5(rev: str, path: Path = paths.MODEL) -> str:
    """The MD5 ``dvc.lock`` at ``rev`` records for the DVC output ``path`` (the model by default).

    Raises
    ------
    ModelError
        When the lock at ``rev`` records no MD5 for it: its bytes cannot be verified.
    """
    from ruamel.yaml import YAML, YAMLError

    where = f"{path} at {rev}"
    text = read_text_at(rev, "dvc.lock")
    try:
        lock = YAML(typ="safe", pure=True).load(text) if text is not None else None
        outs = [o for stage in lock["stages"].values() for o in stage.get("outs", [])]
        return str(next(o["md5"] for o in outs if o.get("path") == path.as_posix()))
    except (YAMLError, TypeError, KeyError, AttributeError, StopIteration):
        raise ModelError(
            f"{where}: dvc.lock at {rev} records no MD5 for it, so its bytes cannot be verified."
        ) from None


def read_output_bytes(rev: str, path: Path = paths.MODEL) -> bytes:
    """The bytes of the DVC output ``path`` at ``rev``; hold them to :func:`locked_md5`.

    Raises
    ------
    OutputUnavailable
        Whatever DVC raised (a missing path, cache or remote: it raises many kinds).
    """
    import dvc.api

    # At a revision DVC reads the git repository from its root, where a DVC project in a
    # subfolder (a monorepo's `dvc init --subdir`) is a subrepo: name the output from the root.
    try:
        with dvc.api.open(f"{folder_prefix()}{path.as_posix()}", rev=rev, mode="rb") as handle:
            return handle.read()
    except Exception as exc:  # the one broad catch around DVC reads: each kind means "unavailable"
        raise OutputUnavailable(path, rev, exc) from None
