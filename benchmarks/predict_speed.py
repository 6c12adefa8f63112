"""`mlgate predict` on 1,000,000 rows, with and without SHAP, against the bare pipeline.

Rows are drawn (seeded, with replacement) from Adult's ingested test split and scored by the
project's own model (run `make repro` first); the batch is a parquet file in row groups of 65,536
rows. Measured in the same run:

- the bare scikit-learn pipeline: ``model.predict_proba`` on the rows already in memory, on one
  native thread as mlgate scores (the floor: no reading, checking or writing);
- a naive script: ``pandas.read_parquet`` of the whole file, ``predict_proba``, ``to_parquet`` of
  the scores (what one writes without mlgate: no checks, no audit columns, memory grows with the
  file);
- mlgate's predict stage in process: every chunk checked by the ingest rules, input hashes, audit
  columns, parquet written through a temporary file (chunks of 50,000 rows);
- ``mlgate predict`` end to end in a new process on 100,000 and 1,000,000 rows, and the naive
  script likewise: wall time and peak resident memory (the process's ``VmHWM``, Linux);
- with SHAP (``--explain``) on ``--shap-rows`` rows only (default 20,000: the tree explainer does
  about a thousand rows a second on one core, so 1M rows would take a quarter of an hour),
  extrapolated to 1M rows, against the bare explainer (:func:`mlgate.model.shap_values.explain`)
  on the same rows in memory.

Goals (issue "Serving and batch inference"): without SHAP, the stage takes at most 1.3x the bare
pipeline's time; the command's peak memory on 1M rows is at most 1.5x its peak on 100k rows.
Run it with ``make bench`` (it takes a few minutes: it scores 1M rows four times).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from mlgate import paths
from mlgate.config import load_config
from mlgate.model.shap_values import explain
from mlgate.registry.serving import model_from_file
from mlgate.scoring.predict import Scorer, predict_batch

ROOT = Path(__file__).resolve().parents[1]
ROWS = 1_000_000
GOAL_RATIO, GOAL_MEMORY = 1.3, 1.5

# A new process reports its own peak resident memory, VmHWM, as it exits: Linux starts a child's
# ru_maxrss at its parent's resident size (the copy made at fork), which would hide the child's.
PEAK = """
import atexit, sys
PEAK_PATH = sys.argv.pop(1)
def peak():
    with open("/proc/self/status") as status:
        kib = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    with open(PEAK_PATH, "w") as out:
        out.write(kib)
atexit.register(peak)
"""

# `mlgate predict --input IN --output OUT`, as the command runs it.
COMMAND = (
    PEAK
    + """
from mlgate.cli import main
main(["predict", "--input", sys.argv[1], "--output", sys.argv[2]])
"""
)

# The naive peer: read everything, score, write the scores.
NAIVE = (
    PEAK
    + """
import pandas as pd
from threadpoolctl import threadpool_limits
from mlgate.model.files import load_model
model = load_model("models/model.skops")
frame = pd.read_parquet(sys.argv[1])
with threadpool_limits(limits=1):
    scores = model.predict_proba(frame)[:, 1]
pd.DataFrame({"score": scores}).to_parquet(sys.argv[2])
"""
)


def build_batches(folder: Path, rows: int) -> dict[int, Path]:
    """``rows`` and a tenth as many drawn with a fixed seed from the test split, as parquet."""
    import pandas as pd

    test = pd.read_parquet(paths.INGESTED_TEST)
    drawn = test.sample(n=rows, replace=True, random_state=0).reset_index(drop=True)
    batches = {}
    for count in (rows, rows // 10):
        batches[count] = folder / f"batch-{count}.parquet"
        drawn.iloc[:count].to_parquet(batches[count], row_group_size=65_536)
    return batches


def timed(function) -> tuple[float, float, object]:
    """Wall and CPU seconds of one call (one run: 1M rows are too many to repeat)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - start, time.process_time() - cpu, result


def child(code: str, batch: Path, output: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of ``code`` run on ``batch`` in a new process."""
    peak = output.with_suffix(".peak")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(peak), str(batch), str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"a child failed:\n{done.stderr}")
    return seconds, int(peak.read_text()) / 1024


def in_process(cfg, served, batch: Path, output: Path, *, explained: bool):
    scorer = Scorer(
        served.model,
        served.identity,
        cfg.data,
        cfg.evaluate.decision_threshold,
        explain_cfg=cfg.explain if explained else None,
    )
    return predict_batch(str(batch), output, scorer, ingest=cfg.ingest, scored_at=datetime.now(UTC))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=ROWS, help="rows (a smaller run: a check)")
    parser.add_argument("--shap-rows", type=int, default=20_000)
    args = parser.parse_args()
    os.chdir(ROOT)
    if not paths.MODEL.is_file():
        sys.exit("no model: run `make repro` first")
    import pandas as pd
    from threadpoolctl import threadpool_limits

    cfg = load_config(ROOT / "params.yaml")
    served = model_from_file(
        paths.MODEL, artifact=cfg.registry.artifact, extra_types=cfg.train.trusted_types
    )
    model = served.model
    print(f"machine: {os.cpu_count()} cores; one run each", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        rows = args.rows
        batches = build_batches(folder, rows)
        frame = pd.read_parquet(batches[rows])

        # Warm up: the first call imports and initialises what later calls reuse.
        with threadpool_limits(limits=1):
            model.predict_proba(frame.head(100))
        explain(model, frame.head(5), background=None, seed=0)

        def bare():
            with threadpool_limits(limits=1):
                return model.predict_proba(frame)[:, 1]

        print(f"  bare predict_proba, {rows:,} rows…", flush=True)
        results["bare"] = timed(bare)
        few = frame.iloc[: args.shap_rows]
        few.to_parquet(folder / "few.parquet")
        print(f"  mlgate predict stage, {rows:,} rows…", flush=True)
        results["stage"] = timed(
            lambda: in_process(cfg, served, batches[rows], folder / "out.parquet", explained=False)
        )
        print(f"  SHAP on {args.shap_rows:,} rows: bare explainer, then the stage…", flush=True)
        results["bare shap"] = timed(lambda: explain(model, few, background=None, seed=0))
        results["stage shap"] = timed(
            lambda: in_process(
                cfg, served, folder / "few.parquet", folder / "out.parquet", explained=True
            )
        )
        print("  new processes: the command and the naive script, on both batches…", flush=True)
        memory = {}
        for count in (rows // 10, rows):
            for name, code in (("command", COMMAND), ("naive", NAIVE)):
                memory[name, count] = child(code, batches[count], folder / "out.parquet")
    report(results, memory, rows=args.rows, shap_rows=args.shap_rows)


def report(results: dict, memory: dict, *, rows: int, shap_rows: int) -> None:
    bare = results["bare"][0]
    bare_shap = results["bare shap"][0]
    lines = [
        (f"bare predict_proba, in memory, {rows:,}", results["bare"], rows, bare),
        (f"mlgate predict stage, {rows:,}", results["stage"], rows, bare),
        (
            f"bare SHAP explain, in memory, {shap_rows:,}",
            results["bare shap"],
            shap_rows,
            bare_shap,
        ),
        (
            f"mlgate predict stage --explain, {shap_rows:,}",
            results["stage shap"],
            shap_rows,
            bare_shap,
        ),
    ]
    print(f"\n{'':44} {'wall s':>8} {'cpu s':>8} {'rows/s':>10} {'÷ bare':>7} {'1M rows':>9}")
    for name, (wall, cpu, _), count, peer in lines:
        print(
            f"{name:44} {wall:8.1f} {cpu:8.1f} {count / wall:10,.0f} {wall / peer:7.2f} "
            f"{wall * ROWS / count / 60:7.1f} m"
        )
    print(f"\n{'new process':44} {'wall s':>8} {'rows/s':>10} {'peak MiB':>9}")
    for (name, count), (wall, mib) in memory.items():
        label = "mlgate predict (command)" if name == "command" else "naive read-score-write"
        print(f"{label + f', {count:,} rows':44} {wall:8.1f} {count / wall:10,.0f} {mib:9.0f}")
    ratio = results["stage"][0] / bare
    growth = memory["command", rows][1] / memory["command", rows // 10][1]
    naive_growth = memory["naive", rows][1] / memory["naive", rows // 10][1]
    verdict = "pass" if ratio <= GOAL_RATIO and growth <= GOAL_MEMORY else "miss"
    print(
        f"\ngoal, the stage within {GOAL_RATIO:g}x the bare pipeline and peak memory on "
        f"{rows:,} rows within {GOAL_MEMORY:g}x that on {rows // 10:,}: {verdict} "
        f"({ratio:.2f}x; memory {growth:.2f}x, the naive script's {naive_growth:.2f}x)"
    )


if __name__ == "__main__":
    main()
