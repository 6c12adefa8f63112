"""Score a probe batch with a model file in a child process, under memory and time limits.

The audit and the bookkeeping checks before it refuse what mlgate knows to refuse; scoring then
runs scikit-learn's and scipy's native code, which trusts the model. So before the first use of
a file the project did not just train, :func:`probe_model` scores a few rows built from the
model's own declared inputs (a known value of each, extremes, an unseen category, a missing
value; :mod:`mlgate.model.probe_run`) in a child process with an address-space limit
(``RLIMIT_AS``), a CPU-time limit (``RLIMIT_CPU``) and a wall-clock timeout. A segfault, an
allocation past the limit, a hang or scores that are not probabilities end the child, not the
command, and become a :class:`ModelError` (exit 2) saying what happened.

On Linux the child is forked from the command and scores the model the command has just built
(a fraction of a second; a fresh interpreter spends seconds importing scikit-learn and skops).
It scores on one OpenMP thread: OpenMP's thread pool does not survive a fork, and a child asking
for two threads waits for ever. Should a forked child still not finish (a lock another thread
held at the fork), the probe runs again in a fresh interpreter (:mod:`mlgate.model.probe_child`,
which loads the file's bytes itself), as it always does on other systems, before anything is
refused.

A file that passed is remembered by its SHA-256 in ``.mlgate/probes/``, so it is probed once,
and ``mlgate train`` records the file it writes without probing it
(:mod:`mlgate.model.probe_records`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlgate.errors import ModelError, RunError
from mlgate.model.probe_records import PROBE_CACHE, passed, remember
from mlgate.model.probe_run import OUT_OF_MEMORY, REFUSED, RESULT, STARTED, run_steps

_SIGNALS = {
    "SIGSEGV": "a segfault: scoring read or wrote memory out of bounds",
    "SIGBUS": "a bus error: scoring read memory that is not there",
    "SIGABRT": "an abort in native code",
    "SIGFPE": "an arithmetic fault in native code",
    "SIGILL": "an illegal instruction",
    "SIGXCPU": "its CPU time limit",
    "SIGKILL": "a kill: its CPU time limit's hard stop, or the system out of memory",
}


@dataclass(frozen=True)
class ProbeLimits:
    """What the probe's child process may use.

    Attributes
    ----------
    memory_bytes : int
        Address space the child may add to what it holds when it starts scoring (at least
        this, and three times the file's size).
    cpu_seconds : int
        CPU time for loading (in a fresh interpreter) and scoring.
    forked_wall_seconds : float
        Wall-clock time for a forked child (it imports nothing; past this, a fresh one runs).
    wall_seconds : float
        Wall-clock time for a fresh interpreter, imports included (a busy machine imports slowly).
    """

    memory_bytes: int = 1 << 30
    cpu_seconds: int = 120
    forked_wall_seconds: float = 60.0
    wall_seconds: float = 300.0


def probe_model(
    data: bytes,
    *,
    model: Any = None,
    source: str,
    extra_types: frozenset[str] = frozenset(),
    cache: Path | None = PROBE_CACHE,
    limits: ProbeLimits = ProbeLimits(),
) -> None:
    """Probe the model file ``data`` in a child process unless ``cache`` records that it passed.

    Parameters
    ----------
    data : bytes
        The file's bytes, already audited (:func:`mlgate.model.archive.audit_model_bytes`).
    model : estimator, optional
        The model this process built from ``data`` and checked: a forked child scores it.
    source : str
        Where the bytes came from, quoted in every message.
    extra_types : frozenset of str
        ``train.custom.trusted_types``, with which a fresh child loads the file too.
    cache : Path or None
        The folder of probe records (None: probe, remember nothing).
    limits : ProbeLimits
        The child's memory, CPU and wall-clock limits.

    Raises
    ------
    ModelError
        When the child refuses the file, is killed by a signal, runs out of its memory or time,
        or scores what is not a probability per row; the message says which.
    RunError
        When a fresh child could not start (the environment, not the file).
    """
    if cache is not None and passed(cache, data, extra_types):
        return
    what = f"the probe scoring of {source}"
    memory = max(limits.memory_bytes, 3 * len(data))
    result = None
    if model is not None and sys.platform == "linux":
        result = _probe_forked(model, what=what, memory=memory, limits=limits)
    if result is None:
        result = run_probe(data, source=source, extra_types=extra_types, limits=limits)
    if cache is not None:
        remember(cache, data, extra_types, outcome="probed", details=result)


def remember_trained(
    data: bytes, *, extra_types: frozenset[str] = frozenset(), cache: Path | None = PROBE_CACHE
) -> None:
    """Record that ``data`` is a model this process trained and saved: it needs no probe."""
    if cache is not None:
        remember(cache, data, extra_types, outcome="trained", details={})


def _probe_forked(model: Any, *, what: str, memory: int, limits: ProbeLimits) -> dict | None:
    """Score ``model`` in a forked child; its result, or None when it did not finish in time."""
    reader, writer = os.pipe()
    sys.stdout.flush()  # what is buffered would otherwise be written twice
    sys.stderr.flush()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a threaded process may deadlock the child: the child
        # takes no lock another thread could hold but OpenMP's (it scores on one thread), and
        # one that does not finish is probed again in a fresh interpreter.
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            pid = os.fork()
        except OSError:  # no process to spare now: a fresh interpreter is tried instead
            os.close(reader)
            os.close(writer)
            return None
    if pid == 0:  # the child: report through the pipe, never return into the command
        code = 70
        try:
            os.close(reader)
            _silence()
            result, code = run_steps(
                lambda: model, memory_bytes=memory, cpu_seconds=limits.cpu_seconds
            )
            os.write(writer, json.dumps(result).encode()[:60_000])
        finally:
            os._exit(code)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        status = _wait(pid, timeout=limits.forked_wall_seconds)
        reported = pipe.read() if status is not None else b""
    if status is None:
        return None
    if os.WIFSIGNALED(status):
        raise _killed(what, os.WTERMSIG(status), limits)
    result = json.loads(reported) if reported else {}
    return _judged(result, os.WEXITSTATUS(status), what=what, memory=memory)


def _silence() -> None:
    """Send a forked child's output nowhere: the parent reports how it ended, once."""
    import faulthandler

    faulthandler.disable()  # inherited from a command run with -X faulthandler (or pytest)
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)
    os.dup2(nowhere, 2)


def _wait(pid: int, *, timeout: float) -> int | None:
    """The child's wait status; None (the child killed) when it runs past ``timeout``."""
    deadline = time.monotonic() + timeout
    pause = 0.002
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def run_probe(
    data: bytes, *, source: str, extra_types: frozenset[str], limits: ProbeLimits
) -> dict:
    """Load and score ``data`` in a fresh interpreter; its measurements, or the refusal."""
    memory = max(limits.memory_bytes, 3 * len(data))
    request = {
        "source": source,
        "extra_types": sorted(extra_types),
        "memory_bytes": memory,
        "cpu_seconds": limits.cpu_seconds,
    }
    # -P: the working folder is not put on the child's import path (a project file named like a
    # library must not be imported in its place).
    command = [sys.executable, "-P", "-m", "mlgate.model.probe_child", json.dumps(request)]
    what = f"the probe scoring of {source}"
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=limits.wall_seconds, check=False
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the child
        if STARTED not in (exc.stdout or b"").decode(errors="replace"):
            raise RunError(
                f"{what} could not start within {limits.wall_seconds:g} s (importing the "
                "libraries); the machine is too busy, or Python cannot import mlgate."
            ) from None
        raise ModelError(
            f"{what} did not finish within {limits.wall_seconds:g} s: scoring this file hangs. "
            "Refusing it."
        ) from None
    out = done.stdout.decode(errors="replace")
    lines = [line for line in out.splitlines() if line.startswith(RESULT)]
    if STARTED in out and done.returncode < 0:
        raise _killed(what, -done.returncode, limits)
    if STARTED not in out or not lines:
        err = done.stderr.decode(errors="replace").strip().splitlines()
        raise RunError(
            f"{what} could not run (exit code {done.returncode}): "
            f"{err[-1] if err else 'no message'}"
        )
    result = json.loads(lines[-1][len(RESULT) :])
    return _judged(result, done.returncode, what=what, memory=memory)


def _judged(result: dict, code: int, *, what: str, memory: int) -> dict:
    """A child's result when it passed; otherwise the :class:`ModelError` it calls for."""
    if code == 0 and "rows" in result:
        return result
    if code == REFUSED and "refused" in result:
        raise ModelError(str(result["refused"]))
    if code == OUT_OF_MEMORY:
        raise ModelError(
            f"{what} needed more memory than its limit ({memory >> 20} MiB beyond what the "
            "process held before) to score a few rows: refusing a file whose scoring would "
            "exhaust memory."
        )
    raise ModelError(
        f"{what} failed: {result.get('failed', f'exit code {code}')}. mlgate's models score "
        "any rows of their declared inputs: refusing the file."
    )


def _killed(what: str, number: int, limits: ProbeLimits) -> ModelError:
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    description = _SIGNALS.get(name, "an unexpected signal")
    if name == "SIGXCPU":
        description = f"{description} of {limits.cpu_seconds} s: scoring this file does not end"
    return ModelError(
        f"{what} was killed by signal {number} ({name}, {description}). Scoring this file would "
        "do the same to the command: refusing it."
    )
