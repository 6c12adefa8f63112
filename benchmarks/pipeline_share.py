"""Where the pipeline's time goes: each stage of ``dvc repro``, SHAP's share among them.

Runs every stage command of dvc.yaml in order (``mlgate ingest`` … ``mlgate gate``) in a copy of
the project and prints each one's wall time and share. Run it with ``make bench``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    stages = YAML(typ="safe").load((ROOT / "dvc.yaml").read_text())["stages"]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    times = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copy(ROOT / "params.yaml", work)
        shutil.copytree(ROOT / "data" / "source", work / "data" / "source")
        subprocess.run(["git", "init", "-q"], cwd=work, check=True)
        for name, stage in stages.items():
            start = time.perf_counter()
            subprocess.run(stage["cmd"].split(), cwd=work, env=env, check=True, capture_output=True)
            times[name] = time.perf_counter() - start
    total = sum(times.values())
    print(f"machine: {os.cpu_count()} cores")
    for name, seconds in times.items():
        print(f"{name:10} {seconds:7.1f} s  {seconds / total:6.1%}")
    print(f"{'total':10} {total:7.1f} s;  SHAP (explain) share: {times['explain'] / total:.1%}")


if __name__ == "__main__":
    main()
