"""Run ``mlgate ARGS`` and kill it (SIGKILL) just before its N-th rename under a folder: tests only.

    python tests/cli/killed_at_rename.py N FOLDER ARGS...

The hook lives here, in test code, not in mlgate: it wraps ``os.replace``, which every atomic
write of mlgate ends with, and the process dies as a ``kill -9`` would leave it.
"""

from __future__ import annotations

import os
import signal
import sys

from mlgate.cli import main


def killed_at(kill_at: int, folder: str) -> None:
    real = os.replace
    renames = 0

    def replace(src, dst, **kwargs):
        nonlocal renames
        if os.path.abspath(os.fspath(dst)).startswith(os.path.abspath(folder) + os.sep):
            renames += 1
            if renames == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(src, dst, **kwargs)

    os.replace = replace


if __name__ == "__main__":
    killed_at(int(sys.argv[1]), sys.argv[2])
    main(sys.argv[3:])
