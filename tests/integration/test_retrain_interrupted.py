"""``mlgate retrain`` stopped at each step by a signal, or killed: the repository is restored.

A signal it can catch (SIGTERM, SIGINT, SIGHUP) makes it stop its child processes (``dvc add``,
``dvc repro`` and the stages it runs) and restore the starting branch, the tree and the pipeline's
outputs before it exits. ``kill -9`` cannot be caught: its journal lets ``mlgate retrain --recover``
(or the next ``mlgate retrain``) stop what it left running and restore the same. The test sends
the signal when the command says a step has started, or, mid-pipeline, when a stage runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.integration.registry_repo import BIN, mlgate, run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="reads /proc"),
]

#: Where the signal is sent: as each step is said, and while `dvc repro` runs the train stage
#: (it has removed the model from the workspace by then).
STEPS = {
    "branch": "labelled rows checked; on branch",
    "repro": "reproducing the pipeline",
    "train": "mlgate train",
}


def state(work: Path) -> dict:
    """What must be as it was: branch, commit, branches, tree, retrain folder, model, journal."""
    model = work / "models/model.skops"
    return {
        "branch": run(work, "git", "rev-parse", "--abbrev-ref", "HEAD").stdout.strip(),
        "commit": run(work, "git", "rev-parse", "HEAD").stdout.strip(),
        "retrain branches": run(work, "git", "branch", "--list", "retrain/*").stdout.strip(),
        "status": run(work, "git", "status", "--porcelain").stdout,
        "retrain folder": sorted(p.name for p in (work / "data/retrain").iterdir()),
        "model": model.read_bytes() if model.exists() else None,
        "dvc status": run(work, "dvc", "status", "--quiet", check=False).returncode,
        "journal": (work / ".git/mlgate-retrain.json").exists(),
    }


def running_in(work: Path, *, besides: int | None = None) -> list[str]:
    """The command lines of the processes working in ``work`` (their cwd), but ``besides``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == besides:
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        if command and (cwd == str(work) or cwd.startswith(f"{work}/")):
            found.append(command)
    return found


def interrupted_retrain(work: Path, *, at: str, signum: int) -> subprocess.CompletedProcess:
    """Start `mlgate retrain` and send ``signum`` at the step ``at``; what it said and returned."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "DVC_NO_ANALYTICS": "1"}
    process = subprocess.Popen(
        [str(BIN / "mlgate"), "retrain", "--with", str(work.parent / "2026-12-01.parquet")],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + 600
    while process.poll() is None and time.monotonic() < deadline:
        if at == "train":
            reached = any(STEPS["train"] in c for c in running_in(work, besides=process.pid))
        else:
            reached = any(STEPS[at] in line for line in lines)
        if reached:
            process.send_signal(signum)
            break
        time.sleep(0.05)
    else:
        process.kill()
        pytest.fail(f"step {at!r} never came:\n{''.join(lines)}")
    stdout = process.stdout.read()
    process.wait(timeout=300)
    reader.join(timeout=10)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, "".join(lines))


def settled(work: Path) -> list[str]:
    """The processes still working in ``work`` a moment later (none, once all were stopped)."""
    time.sleep(2)
    return running_in(work)


# SIGTERM at each step; SIGINT and SIGHUP, which take the same path, mid-pipeline.
@pytest.mark.parametrize(
    ("signum", "at"),
    [(signal.SIGTERM, at) for at in STEPS] + [(signal.SIGINT, "train"), (signal.SIGHUP, "train")],
    ids=lambda value: getattr(value, "name", value),
)
def test_a_caught_signal_restores_the_repository_and_stops_the_pipeline(work, signum, at):
    before = state(work)
    done = interrupted_retrain(work, at=at, signum=signum)
    assert done.returncode == 3, done.stderr
    assert f"interrupted by {signal.Signals(signum).name}" in done.stderr
    assert settled(work) == []
    assert state(work) == before, done.stderr


@pytest.mark.parametrize("at", list(STEPS))
def test_after_kill_9_recover_restores_the_repository_and_stops_the_pipeline(work, at):
    before = state(work)
    done = interrupted_retrain(work, at=at, signum=signal.SIGKILL)
    assert done.returncode == -signal.SIGKILL
    recovered = mlgate(work, "retrain", "--recover")
    assert recovered.returncode == 0, recovered.stderr
    assert "was interrupted" in recovered.stderr
    assert settled(work) == []
    assert state(work) == before, recovered.stderr
    again = mlgate(work, "retrain", "--recover")
    assert (again.returncode, "nothing to recover" in again.stderr) == (0, True)


def test_the_next_retrain_recovers_first(work):
    before = state(work)
    done = interrupted_retrain(work, at="repro", signum=signal.SIGKILL)
    assert done.returncode == -signal.SIGKILL
    unlabelled = work.parent / "unlabelled.parquet"
    pd.read_parquet(work.parent / "2026-12-01.parquet").drop(columns=["income"]).to_parquet(
        unlabelled, index=False
    )
    # Restored first (so it can say the batch is refused on a clean tree, not a dirty one).
    refused = mlgate(work, "retrain", "--with", str(unlabelled))
    assert refused.returncode == 2, refused.stderr
    assert "was interrupted" in refused.stderr
    assert "only labelled rows can be added" in refused.stderr
    assert settled(work) == []
    assert state(work) == before
