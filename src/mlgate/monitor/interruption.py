"""Stopping cleanly: signals deferred while the repository changes, children stopped as a group.

``mlgate retrain`` runs ``dvc add`` and ``dvc repro``, and DVC runs each stage as a process of its
own. A child started in a new session (:func:`run_in_group`) leads a process group holding all of
them, so stopping it (:func:`stop_group`) stops the stage that runs too, which a signal to DVC
alone would leave running, still writing into the tree. :func:`deferred_signals` holds back the
signals that stop ``mlgate`` while a step that must not be cut short (a git command, the
restoring itself) runs: the first one takes effect when it ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

#: The signals that ask ``mlgate`` to stop, and that it answers by restoring what it changed.
STOPPING = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

#: How long a process group has to exit after SIGTERM before it is sent SIGKILL (seconds).
GRACE = 10.0


class Interrupted(KeyboardInterrupt):
    """A stopping signal arrived: raised where the process was, so that it can restore and exit.

    A ``KeyboardInterrupt``, so that nothing catching ``Exception`` swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signal_name = signal.Signals(signum).name


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold back the stopping signals until the block ends; then the first one takes effect.

    Each is recorded by a handler of its own meanwhile (not masked: a signal sent to the process
    reaches whichever thread does not mask it, and libraries start threads), and raised again
    once the previous handlers are back. Outside the main thread, where handlers cannot be set,
    nothing is held back.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {signum: signal.signal(signum, _recorder(pending)) for signum in STOPPING}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if pending:
            signal.raise_signal(pending[0])


def _recorder(pending: list[int]) -> Callable[[int, object], None]:
    def record(signum: int, frame: object) -> None:
        pending.append(signum)

    return record


def run_in_group(
    command: list[str], *, on_start: Callable[[int | None], None]
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as the leader of a new process group; stop the whole group if interrupted.

    ``on_start`` is told the group's id when it starts, and ``None`` once it has ended, so that
    a process killed meanwhile leaves a record of what to stop.
    """
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        on_start(process.pid)
        stdout, stderr = process.communicate()
    except BaseException:
        with deferred_signals():
            stop_group(process.pid, leader=process)
        raise
    with deferred_signals():
        on_start(None)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def stop_group(group: int, *, leader: subprocess.Popen | None = None) -> None:
    """SIGTERM to every process of ``group``, then SIGKILL to what is left after :data:`GRACE`.

    ``leader``, when it is this process's child, is waited for (else it would stay a zombie,
    which counts as a member of the group).
    """
    try:
        for signum in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(group, signum)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + GRACE
            while time.monotonic() < deadline:
                if leader is not None:
                    leader.poll()
                if not group_members(group):
                    return
                time.sleep(0.05)
    finally:
        if leader is not None:
            leader.wait()


def group_members(group: int) -> list[str]:
    """The command lines of the live processes in ``group`` (``["?"]`` where /proc is missing)."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return []
        return ["?"]
    members = []
    for entry in proc.iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The fields after the command's name, which may itself hold spaces or parentheses.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            state, group_id = fields[0], int(fields[2])
            if group_id == group and state != "Z":
                members.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
    return members
