"""``mlgate monitor`` run twice at once, or killed while it writes: no batch and no alert is lost.

The history carries the alert policy's state and says which batches were judged; ``last-run.json``
says what a run judged (the monitor workflow acts on it). Two runs at once must both be recorded,
and a run killed (``kill -9``) at any point of its write must leave the next run to record and
report its batches exactly once.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.cli.conftest import run
from tests.cli.test_monitor_cli import MONITOR, STAGES, batch, history

pytestmark = pytest.mark.slow

KILLER = Path(__file__).with_name("killed_at_rename.py")


@pytest.fixture
def project(built_projects, tmp_path, monkeypatch):
    project = built_projects(STAGES, tmp_path / "project")
    monkeypatch.chdir(project)
    return project


def mlgate(*args: str) -> subprocess.Popen:
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "mlgate", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def last_run() -> dict:
    return json.loads(Path(MONITOR, "last-run.json").read_text())


def test_two_runs_at_once_both_keep_their_batch(project):
    first, second = batch("day-1", seed=1), batch("day-2", seed=2)
    Path(MONITOR).mkdir(parents=True)
    # Hold the runs' lock so that both start while the other runs; then let them go.
    with open(Path(MONITOR, ".lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runs = [mlgate("monitor", first), mlgate("monitor", second)]
        errs: list[list[str]] = [[], []]
        readers = [
            threading.Thread(target=lambda p=p, out=out: out.extend(p.stderr), daemon=True)
            for p, out in zip(runs, errs, strict=True)
        ]
        for reader in readers:
            reader.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and any(p.poll() is None for p in runs):
            if all(any("waiting for another" in line for line in err) for err in errs):
                break
            time.sleep(0.2)
        fcntl.flock(lock, fcntl.LOCK_UN)
    for p, reader in zip(runs, readers, strict=True):
        p.wait(timeout=300)
        reader.join(timeout=10)
    assert [p.returncode for p in runs] == [0, 0], errs
    assert sorted(history()["batch_id"]) == ["day-1", "day-2"]
    waited = [any("waiting for another mlgate monitor run" in line for line in e) for e in errs]
    assert waited == [True, True]


# A run of one batch renames 7 files into place: the journal, then the evidence, trend.json,
# trend.png, summary.md, history.parquet and last-run.json. Killed before the journal (nothing
# committed), before last-run.json (the history has the batch, last-run.json does not), and
# never. tests/unit/monitor/test_store.py kills the same write before every rename.
@pytest.mark.parametrize("kill_at", [1, 7, 8])
def test_a_run_killed_while_writing_loses_no_alert(project, capsys, kill_at):
    alerting = batch("alerting", flip_women=0.3)
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    killed = subprocess.run(
        [sys.executable, str(KILLER), str(kill_at), MONITOR, "monitor", alerting, "--labels"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert killed.returncode in (-signal.SIGKILL, 1), killed.stderr
    finished = killed.returncode == 1
    # Whatever the kill left, the next run records the batch once and reports its alert once:
    # again if the killed run never finished, not again if it did (its exit status said it).
    status = run(["monitor", alerting, "--labels"])
    assert status == (0 if finished else 1), capsys.readouterr().err
    assert list(history()["batch_id"]) == ["alerting"]
    assert bool(history()["alert"].iloc[0])
    reported = [(b["id"], b["status"]) for b in last_run()["batches"]]
    assert reported == ([] if finished else [("alerting", "alert")])
    assert json.loads(Path(MONITOR, "alerting.json").read_text())["status"] == "alert"
    assert [p.name for p in Path(MONITOR).iterdir() if p.name.startswith(".")] == [".lock"]
