"""``reports/monitor/``: written by one run at a time, and all of a run's files as one step.

**One run at a time.** ``mlgate monitor`` holds an exclusive lock (``fcntl.flock`` on ``.lock`` in
the folder) from reading the history to writing it (:func:`locked`). A second run started
meanwhile waits, then judges its batches against the history the first one left: no row is lost,
and the alert policy's statistic is carried through both.

**All files or none, whatever kills the run.** A run's files (each batch's evidence, the trends,
the summary, ``history.parquet`` and ``last-run.json``) are written through a write-ahead journal
(:func:`write_together`):

1. each file's new content goes beside it, as ``.NAME.staged``, flushed to the disk;
2. ``.journal.json``, naming those files, is renamed into place: the commit point;
3. the staged files are renamed over the old ones, in the order given (the history before
   ``last-run.json``), and the journal is removed.

A run killed before step 2 leaves the previous files untouched (the next run removes the staged
copies). A run killed after it leaves a journal, which the next run completes before it reads the
history (:func:`complete_interrupted_write`), under the lock: readers that go through
``mlgate monitor`` therefore only ever see one run's files or the next's. Someone reading the folder
directly between a kill and the next run can see the history updated while ``last-run.json`` is
still the previous run's: the interrupted run's batches are recorded, and reported by the next
run. The reverse, a ``last-run.json`` naming a batch the history lacks, cannot happen.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from mlgate.errors import DataError, OutputError

LOCK = ".lock"
JOURNAL = ".journal.json"
_STAGED = ".staged"
_FORMAT = "mlgate.monitor-journal/1"


@contextlib.contextmanager
def locked(folder: Path, *, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold the folder's lock: wait (calling ``on_wait`` once) while another run holds it.

    The folder and its lock file are created if need be, and removed again if the run writes
    nothing there, so that a refused run leaves nothing behind.

    Raises
    ------
    OutputError
        When the folder or its lock file cannot be created.
    """
    while True:
        created = not folder.is_dir()
        handle = _open_lock(folder)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            on_wait = _nothing
            fcntl.flock(handle, fcntl.LOCK_EX)
        # A run that removed the lock file (below) while this one waited: lock the new file.
        if _same_file(handle.fileno(), folder / LOCK):
            break
        handle.close()
    try:
        yield
    finally:
        if created and [path.name for path in folder.iterdir()] == [LOCK]:
            (folder / LOCK).unlink()
            with contextlib.suppress(OSError):
                folder.rmdir()
        handle.close()


def complete_interrupted_write(folder: Path) -> bool:
    """Finish the write a killed run committed (its journal); whether there was one.

    Staged files no journal names (a run killed before its commit point) are removed. Call it
    under :func:`locked`.

    Raises
    ------
    DataError
        When the journal is not one mlgate wrote.
    """
    journal = folder / JOURNAL
    interrupted = journal.is_file()
    if interrupted:
        _apply(folder, _read_journal(journal))
    for leftover in folder.glob(f".*{_STAGED}") if folder.is_dir() else ():
        leftover.unlink(missing_ok=True)
    return interrupted


def write_together(folder: Path, files: dict[str, bytes]) -> None:
    """Replace the files named (in ``folder``) with the contents given, as one step, in order.

    Raises
    ------
    OutputError
        When the folder cannot be written to; nothing was changed then.
    """
    names = list(files)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            _write_synced(folder / _staged(name), files[name])
        record = json.dumps({"format": _FORMAT, "files": names}).encode("utf-8")
        _write_synced(folder / _staged(JOURNAL), record)
    except OSError as exc:
        for name in [*names, JOURNAL]:
            with contextlib.suppress(OSError):
                (folder / _staged(name)).unlink(missing_ok=True)
        raise _output_error(folder, exc, "nothing was changed") from None
    try:
        os.replace(folder / _staged(JOURNAL), folder / JOURNAL)
        _sync_folder(folder)
        _apply(folder, names)
    except OSError as exc:
        raise _output_error(folder, exc, "the next run completes this run's write") from None


def _apply(folder: Path, names: list[str]) -> None:
    for name in names:
        staged = folder / _staged(name)
        # Gone: renamed before the run that committed it was killed.
        if staged.exists():
            os.replace(staged, folder / name)
    _sync_folder(folder)
    (folder / JOURNAL).unlink()
    _sync_folder(folder)


def _read_journal(journal: Path) -> list[str]:
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        names = record["files"] if record.get("format") == _FORMAT else None
    except (ValueError, TypeError, KeyError, AttributeError):
        names = None
    if not isinstance(names, list) or not all(_plain_name(name) for name in names):
        raise DataError(
            f"{journal} is not a journal mlgate wrote (expected format {_FORMAT!r} listing file "
            "names in its folder). Move it aside and run again; check the folder's files."
        )
    return names


def _plain_name(name: object) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name


def _staged(name: str) -> str:
    return f".{name}{_STAGED}"


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the folder's renames durable (a power cut then keeps their order)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _open_lock(folder: Path):
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Held open for as long as the lock: closing it releases the lock.
        return open(folder / LOCK, "a+b")
    except OSError as exc:
        raise _output_error(folder, exc, "nothing was changed") from None


def _output_error(folder: Path, exc: OSError, outcome: str) -> OutputError:
    return OutputError(
        f"cannot write {folder}: {exc.strerror or exc}. Make it writable (or free space on its "
        f"disk) and run the command again; {outcome}."
    )


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except FileNotFoundError:
        return False


def _nothing() -> None:
    return None
