"""The probe in a fresh interpreter: ``python -P -m mlgate.model.probe_child REQUEST``.

Run by :mod:`mlgate.model.probe` where a command cannot fork a child of itself (not Linux), or
when a forked child did not finish; never imported by a command. The model file's bytes come on
standard input. It imports the libraries, says so (:data:`mlgate.model.probe_run.STARTED`: a
failure before that is the environment's, not the file's), then loads the bytes as every command
does (:func:`mlgate.model.files.load_checked_model`) and runs the probe's steps
(:func:`mlgate.model.probe_run.run_steps`), writing one result line.
"""

from __future__ import annotations

import json
import sys

# The libraries loading needs, imported before STARTED: skops imports every scikit-learn module.
import skops.io  # noqa: F401

from mlgate.model.files import load_checked_model
from mlgate.model.probe_run import RESULT, STARTED, run_steps


def main(argv: list[str]) -> int:
    """Probe the bytes on standard input as ``argv[0]`` (the parent's JSON request) asks."""
    request = json.loads(argv[0])
    data = sys.stdin.buffer.read()
    sys.stdout.write(f"{STARTED}\n")
    sys.stdout.flush()
    result, code = run_steps(
        lambda: load_checked_model(
            data, source=request["source"], extra_types=frozenset(request["extra_types"])
        ),
        memory_bytes=request["memory_bytes"],
        cpu_seconds=request["cpu_seconds"],
    )
    sys.stdout.write(f"{RESULT}{json.dumps(result)}\n")
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
