"""What a retraining changes, written down first, so that any interruption can be undone.

Before ``mlgate retrain`` switches branch, it writes ``mlgate-retrain.json`` in the repository's
git folder (:class:`Journal`): the branch and commit it started from, the branch it creates, the
batch file and the ``.gitignore`` it adds, and the process group of the DVC command running
(``dvc add``, ``dvc repro``). A failed or interrupted retraining is undone from it
(:func:`restore`): the process group stopped, the starting branch checked out, the new branch
and files removed, the pipeline's outputs checked out again. A ``kill -9`` leaves the journal:
the next ``mlgate retrain`` (or ``mlgate retrain --recover``) undoes it first (:func:`recover`).
One retraining runs at a time in a repository: each holds ``mlgate-retrain.lock`` (``flock``).
"""

from __future__ import annotations

import contextlib
import fcntl
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from mlgate import io
from mlgate.errors import DataError
from mlgate.git import run_git
from mlgate.monitor.interruption import deferred_signals, group_members, run_in_group, stop_group

JOURNAL = "mlgate-retrain.json"
LOCK = "mlgate-retrain.lock"
_FORMAT = "mlgate.retrain-journal/1"


@dataclass
class Journal:
    """A retraining in progress, as written in the git folder."""

    path: Path
    start_commit: str
    start_branch: str | None
    branch: str
    batch_file: str
    created_ignore: str | None
    group: int | None = None

    def save(self) -> None:
        """Write the journal (atomically: a kill leaves the old one or the new one)."""
        record = {k: v for k, v in asdict(self).items() if k != "path"}
        io.write_json(self.path, {"format": _FORMAT, **record})

    def run(self, command: list[str]):
        """Run ``command`` in a process group the journal names while it runs."""
        return run_in_group(command, on_start=self._started)

    def _started(self, group: int | None) -> None:
        self.group = group
        self.save()


@contextlib.contextmanager
def exclusive() -> Iterator[Path]:
    """Hold the repository's retraining lock; yield the journal's path.

    Raises
    ------
    DataError
        When another ``mlgate retrain`` holds it.
    """
    folder = Path(run_git("rev-parse", "--absolute-git-dir").stdout.strip())
    with open(folder / LOCK, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataError(
                f"another mlgate retrain is running in this repository (it holds {folder / LOCK})"
                ": wait for it to finish."
            ) from None
        yield folder / JOURNAL


def begin(path: Path, *, branch: str, batch_file: Path, created_ignore: Path | None) -> Journal:
    """The journal of a retraining about to leave the current commit, written."""
    start_branch = run_git("symbolic-ref", "--quiet", "--short", "HEAD", check=False).stdout
    journal = Journal(
        path=path,
        start_commit=run_git("rev-parse", "HEAD").stdout.strip(),
        start_branch=start_branch.strip() or None,
        branch=branch,
        batch_file=batch_file.as_posix(),
        created_ignore=created_ignore.as_posix() if created_ignore else None,
    )
    journal.save()
    return journal


def recover(path: Path, *, say: Callable[[str], None]) -> bool:
    """Undo the retraining a killed ``mlgate retrain`` left (its journal); whether there was one."""
    if not path.is_file():
        return False
    say(f"a retraining was interrupted ({path} remains): undoing it")
    restore(_read(path), say=say)
    return True


def restore(journal: Journal, *, say: Callable[[str], None]) -> None:
    """Back to where the retraining started, saying each thing done; the journal removed last.

    Signals are held back meanwhile: a second Ctrl-C cannot leave it half-done. A retraining
    whose commit was made is kept (the branch holds it), and only the journal is removed. The
    tree is reset only when the retraining's branch is checked out: anything else checked out
    (but the start) is work done since, which is refused rather than discarded.

    Raises
    ------
    DataError
        When neither the retraining's branch nor its start is checked out.
    RunError
        When git fails (the journal stays: run it again).
    """
    with deferred_signals():
        # A group whose processes are not DVC's or mlgate's is another's that reuses the id.
        members = group_members(journal.group) if journal.group is not None else []
        if any("dvc" in command or "mlgate" in command for command in members):
            stop_group(journal.group)
            say(f"stopped the processes still running for it (process group {journal.group})")
        tip = run_git("rev-parse", "--verify", "--quiet", journal.branch, check=False).stdout
        tip = tip.strip()
        if tip and tip != journal.start_commit:
            say(f"its commit {tip[:12]} on {journal.branch} was made: kept")
            journal.path.unlink()
            return
        start = journal.start_branch or journal.start_commit
        if _checked_out(journal) == journal.branch:
            run_git("checkout", "--quiet", "--force", start)
        elif _checked_out(journal) != start:
            raise DataError(
                f"{journal.path}: a retraining on {journal.branch} was interrupted, but "
                f"{_checked_out(journal)} is checked out now, not {journal.branch} or {start}: "
                "undoing it would discard work done since. Check out one of them and run "
                "`mlgate retrain --recover` again."
            )
        removed = [f"branch {journal.branch}"] if tip else []
        if tip:
            run_git("branch", "--quiet", "-D", journal.branch)
        for name in (journal.batch_file, f"{journal.batch_file}.dvc", journal.created_ignore):
            if name is not None and Path(name).exists():
                Path(name).unlink()
                removed.append(name)
        # What a writer killed while writing the batch file left beside it.
        io.remove_stale_temporaries(Path(journal.batch_file))
        done = journal.run([sys.executable, "-m", "dvc", "checkout", "--quiet", "--force"])
        outputs = "checked out again" if done.returncode == 0 else "not restored: `dvc checkout`"
        say(
            f"restored {start} ({journal.start_commit[:12]}); removed "
            f"{', '.join(removed) or 'nothing'}; the pipeline's outputs {outputs}"
        )
        journal.path.unlink()


def _checked_out(journal: Journal) -> str:
    """The branch checked out, or the commit when none is (the start's, if so)."""
    branch = run_git("symbolic-ref", "--quiet", "--short", "HEAD", check=False).stdout.strip()
    return branch or run_git("rev-parse", "HEAD").stdout.strip()


def _read(path: Path) -> Journal:
    try:
        record = io.read_json(path)
        if record.pop("format") != _FORMAT:
            raise ValueError(record)
        journal = Journal(path=path, **record)
        # What recovery removes must be what a retraining adds: nothing else is deleted.
        if not (
            journal.branch.startswith("retrain/")
            and _inside(journal.batch_file, suffix=".parquet")
            and (journal.created_ignore is None or _inside(journal.created_ignore, ".gitignore"))
            and (journal.group is None or (type(journal.group) is int and journal.group > 1))
        ):
            raise ValueError(record)
        return journal
    except (ValueError, TypeError, KeyError, AttributeError, DataError):
        raise DataError(
            f"{path} is not a retraining journal mlgate wrote (format {_FORMAT!r}). Check the "
            "repository by hand (git status, git branch), then delete it."
        ) from None


def _inside(name: object, suffix: str) -> bool:
    """A relative path inside the repository, ending in ``suffix``."""
    return (
        isinstance(name, str)
        and name.endswith(suffix)
        and not Path(name).is_absolute()
        and ".." not in Path(name).parts
    )
