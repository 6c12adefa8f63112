"""`mlgate check --current` on a 5,000-row batch, end to end, against a named peer.

What a user waits for: the command from process start to the evidence written, on a batch of
5,000 rows drawn (seeded) from Adult's test file, with the project's own params and model (run
`make repro` first). Also a one-row batch (reading and set-up alone: an empty batch is refused),
and, in the same run:

- mlgate's check stage in process (no interpreter start, no imports): the data and drift suites;
- Evidently's DataDriftPreset on the same batch and reference, in .venv-evidently (pandas < 3),
  in process: the nearest peer (a per-feature drift report; no schema, leakage or personal-data
  checks, no multivariate test).

Goal (issue 10): the end-to-end command in at most 5 s on 2 cores. Run it with ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure

from mlgate import paths
from mlgate.config import load_config
from mlgate.stages.check import run_check_stage

ROOT = Path(__file__).resolve().parents[1]
BATCH_ROWS = 5000
GOAL_SECONDS = 5.0


def command_seconds(batch: Path, output: Path, repeats: int) -> list[float]:
    """Wall times of ``mlgate check --current batch`` as a user runs it, in a new process."""
    mlgate = Path(sys.executable).parent / "mlgate"
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(
            [str(mlgate), "check", "--current", str(batch), "--output", str(output), "--no-fail"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return times


def evidently(folder: Path) -> dict | None:
    python = ROOT / ".venv-evidently" / "bin" / "python"
    if not python.exists():
        print("  (.venv-evidently missing: run `make bench` to build it)")
        return None
    out = subprocess.run(
        [str(python), str(ROOT / "benchmarks/peers/evidently_preset.py"), str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not paths.MODEL.is_file():
        sys.exit("no model: run `make repro` first")
    import pandas as pd

    os.chdir(ROOT)
    cfg = load_config(ROOT / "params.yaml")
    test = pd.read_parquet(paths.INGESTED_TEST)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        batch, one_row = folder / "batch.parquet", folder / "one-row.parquet"
        test.sample(n=BATCH_ROWS, random_state=0).to_parquet(batch)
        test.iloc[:1].to_parquet(one_row)
        print(f"machine: {os.cpu_count()} cores; {args.repeats} runs each", flush=True)
        full = command_seconds(batch, folder / "out.json", args.repeats)
        none = command_seconds(one_row, folder / "out.json", args.repeats)
        stage = measure(lambda: run_check_stage(cfg, str(batch)), repeats=args.repeats)
        features = [*cfg.data.features]
        reference = pd.read_parquet(paths.INGESTED_TRAIN)[features]
        current = pd.read_parquet(batch)[features]
        for frame, name in ((reference, "reference"), (current, "current")):
            for column in cfg.data.categorical:
                frame[column] = frame[column].astype("category")
            frame.to_parquet(folder / f"{name}.parquet")
        print("  running Evidently DataDriftPreset…", flush=True)
        peer = evidently(folder)
    rows = [
        ("mlgate check --current, 5,000 rows (command)", min(full), sorted(full)[len(full) // 2]),
        ("mlgate check --current, one row (command)", min(none), sorted(none)[len(none) // 2]),
        ("mlgate check stage in process, 5,000 rows", stage["seconds"], stage["median_seconds"]),
    ]
    if peer:
        rows.append(("Evidently DataDriftPreset in process", peer["seconds"], peer["seconds"]))
    ours = stage["seconds"]
    print(f"\n{'':48} {'best s':>8} {'median s':>9} {'÷ mlgate stage':>15}")
    for name, best, median in rows:
        print(f"{name:48} {best:8.2f} {median:9.2f} {best / ours:15.2f}")
    verdict = "pass" if min(full) <= GOAL_SECONDS else "miss"
    print(
        f"\ngoal, the command on {BATCH_ROWS:,} rows in ≤ {GOAL_SECONDS:g} s on two cores: "
        f"{verdict} ({min(full):.1f} s best, {sorted(full)[len(full) // 2]:.1f} s median)"
    )


if __name__ == "__main__":
    main()
