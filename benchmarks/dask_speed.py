"""The monitor on Dask: 10M and 50M rows on a local cluster, with the pandas path beside.

Rows are the 1M-row batch of `monitor_speed.py` (test rows with labels and logged scores), as a
folder of 1M-row parquet files (hard links of one file: 10 and 50 of them). Measured in the same
run: mlgate's dask engine on a `distributed.LocalCluster` of two worker processes (one thread
each), every test, with the time and each worker's peak resident memory; and the pandas path
streaming one 10M-row file in this process. On a real cluster, give `--scheduler` its address and
the same folder on shared storage (S3); workers need this project's environment.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from mlgate.monitor.batch_run import BatchReading
from mlgate.monitor.judge import judge_batch
from mlgate.monitor.run import summarise_batch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from monitor_speed import build_batch, project_inputs, repeat_file  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_summary(path: Path, model, fingerprint, cfg, *, engine: str, scheduler=None):
    batches = cfg.batches.model_copy(update={"engine": engine, "scheduler": scheduler})
    run_cfg = cfg.model_copy(update={"batches": batches})
    start = time.perf_counter()
    reading = BatchReading(
        str(path), labelled=True, chunk_rows=cfg.monitor.chunk_rows, scores_column="score"
    )
    summary = summarise_batch(reading, model, fingerprint, cfg=run_cfg)
    judged = judge_batch(summary, fingerprint, cfg=cfg.monitor, fairness=None, labelled=True)
    return time.perf_counter() - start, summary, judged


def main() -> None:
    from distributed import Client, LocalCluster

    cfg, model, fingerprint = project_inputs()
    with tempfile.TemporaryDirectory(prefix="dask-bench-") as tmp:
        folder = Path(tmp)
        one = build_batch(folder, 1_000_000, model)
        folders = {}
        for millions in (10, 50):
            target = folder / f"rows-{millions}M"
            target.mkdir()
            for index in range(millions):
                os.link(one, target / f"part-{index:03d}.parquet")
            folders[millions] = target
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, memory_limit=None,
        ) as cluster, Client(cluster) as client:  # fmt: skip
            for target in folders.values():
                seconds, summary, _ = timed_summary(
                    target,
                    model,
                    fingerprint,
                    cfg,
                    engine="dask",
                    scheduler=cluster.scheduler_address,
                )
                peaks = client.run(peak_mib)
                per_worker = ", ".join(f"{value:.0f}" for value in peaks.values())
                print(
                    f"dask, 2 workers: {summary.rows:,} rows in {seconds:.1f} s "
                    f"({summary.rows / seconds / 1e6:.2f}M rows/s); peak resident per worker "
                    f"{per_worker} MiB"
                )
        single = repeat_file(one, folder / "rows-10M.parquet", 10)
        seconds, summary, _ = timed_summary(single, model, fingerprint, cfg, engine="pandas")
        print(
            f"pandas, this process: {summary.rows:,} rows in {seconds:.1f} s "
            f"({summary.rows / seconds / 1e6:.2f}M rows/s); peak resident {peak_mib():.0f} MiB "
            "(this process, the 1M-row batch built in it included)"
        )


if __name__ == "__main__":
    main()
