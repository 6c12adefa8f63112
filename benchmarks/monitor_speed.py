"""`mlgate monitor` on 1,000,000 rows from parquet and 10,000,000 streamed, against named peers.

Rows are drawn (seeded, with replacement) from Adult's ingested test split, with their labels and
the scores the project's model gives them (a `score` column, as a serving log keeps it; run
`make repro` first). Measured in the same run:

- mlgate's monitor in process on 1M rows, every test (drift per input, multivariate, prediction,
  estimated and realized performance, concept drift, fairness), with the logged scores
  (`--scores-column score`: 256 rows a chunk scored again to check them), and with every row
  scored again;
- `mlgate monitor` end to end in a new process on 10M rows streamed in chunks of 250,000 rows:
  wall time and peak resident memory (the process's VmHWM, Linux);
- Evidently's data-drift preset (`.venv-evidently`) on the same 1M rows against the training
  split, as `benchmarks/peers/evidently_preset.py` runs it;
- the label-free estimate's error against the realized value on the example batches
  (`data/examples/`), for mlgate and, when its environment exists (`.venv-nannyml`), NannyML's
  CBPE on the same scores.

Goals (issue "Watch the model in production"): 1M rows, all tests, at most 2 s on 2 cores; 10M
rows streamed with a peak of at most 1 GiB.
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

from mlgate import paths
from mlgate.config import load_config
from mlgate.model.estimators import positive_scores
from mlgate.model.files import load_model
from mlgate.monitor.batch_run import BatchReading, RunRecord
from mlgate.monitor.run import monitor_batch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from monitor_peers import label_free_errors  # noqa: E402

GOAL_SECONDS, GOAL_MIB = 2.0, 1024.0

# `mlgate monitor` in a new process, reporting its own peak resident memory (VmHWM) on exit.
COMMAND = """
import atexit, sys
peak_path = sys.argv.pop(1)
def peak():
    with open("/proc/self/status") as status:
        kib = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    with open(peak_path, "w") as out:
        out.write(kib)
atexit.register(peak)
from mlgate.cli import main
main(["monitor", sys.argv[1], "--labels", "--scores-column", "score", "--batch-id",
      sys.argv[2], "--chunk-rows", "250000"])
"""


def project_inputs() -> tuple:
    """The project's params, model and fingerprint, from the project root (made current)."""
    os.chdir(ROOT)
    if not paths.FINGERPRINT.is_file():
        sys.exit("no model or fingerprint: run `make repro` first")
    cfg = load_config(ROOT / "params.yaml")
    model = load_model(paths.MODEL, extra_types=cfg.train.trusted_types)
    return cfg, model, json.loads(paths.FINGERPRINT.read_text())


def build_batch(folder: Path, rows: int, model) -> Path:
    """``rows`` test rows drawn with a fixed seed, with their labels and logged scores."""
    import pandas as pd

    test = pd.read_parquet(paths.INGESTED_TEST)
    cfg = load_config(ROOT / "params.yaml")
    test["score"] = positive_scores(model, test.loc[:, list(cfg.data.features)])
    drawn = test.sample(n=rows, replace=True, random_state=0).reset_index(drop=True)
    path = folder / f"batch-{rows}.parquet"
    drawn.to_parquet(path, row_group_size=65_536)
    return path


def repeat_file(source: Path, target: Path, times: int) -> Path:
    """``source`` written ``times`` over into one parquet file, a row group at a time."""
    import pyarrow.parquet as pq

    reader = pq.ParquetFile(source)
    with pq.ParquetWriter(target, reader.schema_arrow, compression="zstd") as writer:
        for _ in range(times):
            for group in range(reader.num_row_groups):
                writer.write_table(reader.read_row_group(group))
    return target


def in_process(cfg, model, fingerprint, batch: Path, *, logged: bool) -> tuple[float, float, dict]:
    start, cpu = time.perf_counter(), time.process_time()
    reading = BatchReading(
        str(batch),
        labelled=True,
        chunk_rows=cfg.monitor.chunk_rows,
        scores_column="score" if logged else None,
    )
    record = RunRecord(
        batch={"id": "bench", "sha256": "-"}, model={}, monitored_at="-", previous=1.0
    )
    evidence = monitor_batch(reading, model, fingerprint, cfg=cfg, record=record)
    return time.perf_counter() - start, time.process_time() - cpu, evidence


def streamed(batch: Path, workdir: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of `mlgate monitor` on ``batch`` in a new process."""
    peak = workdir / "monitor.peak"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", COMMAND, str(peak), str(batch), "streamed"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"mlgate monitor failed:\n{done.stderr}")
    return seconds, int(peak.read_text()) / 1024


def evidently(batch: Path, folder: Path) -> dict | None:
    """Evidently's data-drift preset on the batch's inputs against the training split."""
    import pandas as pd

    python = ROOT / ".venv-evidently/bin/python"
    if not python.is_file():
        return None
    cfg = load_config(ROOT / "params.yaml")
    columns = list(cfg.data.features)
    peer = folder / "evidently"
    peer.mkdir(exist_ok=True)
    # The peer script tells categorical columns by their pandas dtype, in both tables.
    for name, frame in (
        ("reference", pd.read_parquet(paths.PREPARED_TRAIN, columns=columns)),
        ("current", pd.read_parquet(batch, columns=columns)),
    ):
        for column in cfg.data.categorical:
            frame[column] = frame[column].astype("category")
        frame.to_parquet(peer / f"{name}.parquet")
    done = subprocess.run(
        [str(python), str(ROOT / "benchmarks/peers/evidently_preset.py"), str(peer)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def project_workdir(folder: Path) -> Path:
    """A folder holding the project's params, model and fingerprint, for the command to run in."""
    workdir = folder / "project"
    for relative in ("params.yaml", paths.MODEL, paths.FINGERPRINT):
        target = workdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / relative).read_bytes())
    return workdir


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--stream-times", type=int, default=10, help="10M rows = 1M x 10")
    args = parser.parse_args()
    cfg, model, fingerprint = project_inputs()
    with tempfile.TemporaryDirectory(prefix="monitor-bench-") as tmp:
        folder = Path(tmp)
        batch = build_batch(folder, args.rows, model)
        print(f"{args.rows:,} rows from the test split, with labels and logged scores")
        in_process(cfg, model, fingerprint, batch, logged=True)  # warm: imports, file cache
        seconds, cpu, evidence = in_process(cfg, model, fingerprint, batch, logged=True)
        rescored, rescored_cpu, _ = in_process(cfg, model, fingerprint, batch, logged=False)
        print(
            f"  monitor, logged scores      {seconds:7.2f} s (CPU {cpu:.2f} s)  goal <= "
            f"{GOAL_SECONDS} s: {'met' if seconds <= GOAL_SECONDS else 'NOT met'}"
        )
        print(
            f"  monitor, every row scored   {rescored:7.2f} s (CPU {rescored_cpu:.2f} s)  "
            f"{rescored / seconds:.1f}x: scoring is the cost"
        )
        print(f"  status {evidence['status']}, tests judged: {', '.join(evidence['judged'])}")
        peer = evidently(batch, folder)
        if peer is None:
            print("  Evidently DataDriftPreset   not run: .venv-evidently is missing (make bench)")
        elif "error" in peer:
            print(f"  Evidently DataDriftPreset   failed: {peer['error']}")
        else:
            print(
                f"  Evidently DataDriftPreset   {peer['seconds']:7.2f} s (peak traced "
                f"{peer['peak_mib']:.0f} MiB)  mlgate is {peer['seconds'] / seconds:.1f}x faster"
            )
        big = repeat_file(batch, folder / "batch-stream.parquet", args.stream_times)
        wall, peak = streamed(big, project_workdir(folder))
        rows = args.rows * args.stream_times
        print(
            f"{rows:,} rows streamed, new process: {wall:.1f} s, peak resident {peak:.0f} MiB  "
            f"goal <= {GOAL_MIB:.0f} MiB: {'met' if peak <= GOAL_MIB else 'NOT met'}"
        )
    print("label-free estimate against realized, example batches (data/examples/):")
    for line in label_free_errors(cfg, model, fingerprint):
        print(f"  {line}")


if __name__ == "__main__":
    main()
