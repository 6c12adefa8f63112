"""Signals held back while a step must finish, and children stopped with their own children."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from mlgate.monitor import interruption
from mlgate.monitor.interruption import (
    Interrupted,
    deferred_signals,
    group_members,
    run_in_group,
    stop_group,
)

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")


@pytest.fixture
def sigterm_raises():
    def interrupt(signum, frame):
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, interrupt)
    yield
    signal.signal(signal.SIGTERM, previous)


def test_an_interrupted_child_is_stopped_with_what_it_started(sigterm_raises):
    groups = []
    # A shell that starts a grandchild and waits: as `dvc repro` runs a stage.
    command = ["sh", "-c", "sleep 300 & wait"]
    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()
    with pytest.raises(Interrupted) as caught:
        run_in_group(command, on_start=groups.append)
    assert caught.value.signal_name == "SIGTERM"
    assert groups[0] > 1
    assert group_members(groups[0]) == []


def test_a_group_that_ignores_sigterm_gets_sigkill(monkeypatch):
    monkeypatch.setattr(interruption, "GRACE", 0.5)
    child = subprocess.Popen(["sh", "-c", "trap '' TERM; sleep 300 & wait"], start_new_session=True)
    try:
        # The shell must have set its trap before the signal comes.
        while not any("sleep 300" in c for c in group_members(child.pid)):
            pass
        stop_group(child.pid, leader=child)
        assert child.returncode == -signal.SIGKILL
        assert group_members(child.pid) == []
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)


def test_a_finished_child_reports_as_subprocess_run_does():
    groups = []
    done = run_in_group([sys.executable, "-c", "print('out'); exit(4)"], on_start=groups.append)
    assert (done.returncode, done.stdout) == (4, "out\n")
    assert groups[1:] == [None]


def test_a_signal_during_a_deferred_step_comes_after_it(sigterm_raises):
    # Idle worker threads, as pyarrow and dask leave: a signal masked in the main thread alone
    # reaches one of them, and Python runs its handler in the main thread all the same.
    pool = ThreadPoolExecutor(2)
    list(pool.map(abs, range(4)))
    steps = []

    def step() -> None:
        with deferred_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):  # bytecodes, where a Python handler would run
                pass
            steps.append("finished")
        steps.append("never")

    try:
        with pytest.raises(Interrupted):
            step()
    finally:
        pool.shutdown()
    assert steps == ["finished"]


def test_a_signal_deferred_while_ignored_stays_ignored():
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        with deferred_signals():
            os.kill(os.getpid(), signal.SIGTERM)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)
