"""``reports/monitor/`` written as one step, by one run at a time: killed anywhere, nothing lost."""

from __future__ import annotations

import fcntl
import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mlgate.errors import DataError
from mlgate.monitor.store import (
    JOURNAL,
    LOCK,
    complete_interrupted_write,
    locked,
    write_together,
)

#: In the order ``mlgate monitor`` writes them: the history before what is drawn from it.
NAMES = ("a.json", "trend.json", "history.parquet", "last-run.json")

#: Write version 2 of every file, killed (SIGKILL) just before the N-th rename in the folder.
KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from mlgate.monitor.store import write_together

folder, kill_at = Path(sys.argv[1]), int(sys.argv[2])
real, renames = os.replace, 0

def replace(src, dst):
    global renames
    renames += 1
    if renames == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)

os.replace = replace
write_together(folder, {name: b"2" for name in sys.argv[3:]})
"""


def contents(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in NAMES}


def test_the_files_are_replaced_and_nothing_is_left_beside_them(tmp_path):
    write_together(tmp_path, dict.fromkeys(NAMES, b"1"))
    write_together(tmp_path, {"last-run.json": b"2"})
    assert contents(tmp_path) == dict.fromkeys(NAMES, b"1") | {"last-run.json": b"2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)
    assert complete_interrupted_write(tmp_path) is False


@pytest.mark.parametrize("kill_at", range(1, len(NAMES) + 2))
def test_killed_at_any_rename_the_next_run_sees_one_version(tmp_path, kill_at):
    write_together(tmp_path, dict.fromkeys(NAMES, b"1"))
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITE, str(tmp_path), str(kill_at), *NAMES],
        capture_output=True, text=True,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # Read directly, before the next run: a last-run.json never runs ahead of the history.
    seen = contents(tmp_path)
    assert not (seen["last-run.json"] == b"2" and seen["history.parquet"] == b"1")
    # Through the next run: the old files (killed before the journal) or all the new ones.
    assert complete_interrupted_write(tmp_path) is (kill_at > 1)
    expected = b"2" if kill_at > 1 else b"1"
    assert contents(tmp_path) == dict.fromkeys(NAMES, expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)


def test_completing_twice_is_completing_once(tmp_path):
    write_together(tmp_path, dict.fromkeys(NAMES, b"1"))
    subprocess.run([sys.executable, "-c", KILLED_WRITE, str(tmp_path), "3", *NAMES], check=False)
    assert (tmp_path / JOURNAL).is_file()
    # A completion killed half-way (one rename done) is completed by the next one.
    (tmp_path / ".trend.json.staged").replace(tmp_path / "trend.json")
    assert complete_interrupted_write(tmp_path) is True
    assert contents(tmp_path) == dict.fromkeys(NAMES, b"2")


def test_a_journal_mlgate_did_not_write_is_refused(tmp_path):
    (tmp_path / JOURNAL).write_text(json.dumps({"format": "mlgate.monitor-journal/1",
                                                "files": ["../../etc/passwd"]}))  # fmt: skip
    with pytest.raises(DataError, match=r"\.journal\.json is not a journal mlgate wrote"):
        complete_interrupted_write(tmp_path)


def test_an_unwritable_folder_changes_nothing(tmp_path):
    write_together(tmp_path, {"history.parquet": b"1"})
    (tmp_path / ".last-run.json.staged").mkdir()  # the staged file cannot be written
    from mlgate.errors import OutputError

    with pytest.raises(OutputError, match="nothing was changed"):
        write_together(tmp_path, {"history.parquet": b"2", "last-run.json": b"2"})
    assert (tmp_path / "history.parquet").read_bytes() == b"1"
    assert not (tmp_path / ".history.parquet.staged").exists()
    assert not (tmp_path / JOURNAL).exists()


def test_a_second_run_waits_for_the_first(tmp_path):
    folder, order, waited = tmp_path / "monitor", [], threading.Event()
    with locked(folder, on_wait=lambda: None):

        def second() -> None:
            with locked(folder, on_wait=waited.set):
                order.append("second")

        thread = threading.Thread(target=second)
        thread.start()
        assert waited.wait(timeout=10)
        order.append("first")
        write_together(folder, {"history.parquet": b"1"})
    thread.join(timeout=10)
    assert order == ["first", "second"]


def test_a_run_that_writes_nothing_leaves_no_folder_and_a_waiting_run_relocks(tmp_path):
    folder, holding, release = tmp_path / "monitor", threading.Event(), threading.Event()
    waited = threading.Event()

    def second() -> None:
        with locked(folder, on_wait=waited.set):
            holding.set()
            release.wait(timeout=10)

    with locked(folder, on_wait=lambda: None):
        thread = threading.Thread(target=second)
        thread.start()
        assert waited.wait(timeout=10)
    # The first removed its folder and lock file: the second locked the file made again.
    assert holding.wait(timeout=10)
    with open(folder / LOCK, "a+b") as handle, pytest.raises(BlockingIOError):
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    release.set()
    thread.join(timeout=10)
    assert not folder.exists()
