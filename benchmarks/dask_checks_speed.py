"""`mlgate check --current` on Dask: the data and drift suites on 10M and 50M rows, pandas beside.

Rows are the 1M-row batch of `monitor_speed.py` (test rows drawn with replacement), as a folder
of 1M-row parquet files (hard links of one file). Measured in the same run: the dask engine on a
`distributed.LocalCluster` of two worker processes (one thread each), every check of the data
and drift suites (the prediction drift check scores every row), with the time and each worker's
peak resident memory; and the pandas path, which holds every row in this process, on 1M and 2M
rows as one file (its peak memory grows by about 2 GiB a million rows: 10M rows do not fit in
this machine's 23 GiB). The script says whether the two engines' evidence on 1M rows is the same.

    python benchmarks/dask_checks_speed.py [MILLIONS ...]     # default: 1 10 50
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from mlgate.stages.check import evidence, run_check_stage

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from monitor_speed import build_batch, project_inputs, repeat_file  # noqa: E402

#: Sizes, in millions of rows, the pandas path is run on: it holds every row in memory.
PANDAS_MILLIONS = (1, 2)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_checks(path: Path, cfg, *, engine: str, scheduler=None) -> tuple[float, dict]:
    start = time.perf_counter()
    reading = cfg.batches.chosen(engine=engine, scheduler=scheduler)
    run = run_check_stage(cfg, str(path), reading=reading)
    document = evidence(run.results, run.provenance)
    document["provenance"].pop("current")
    return time.perf_counter() - start, document


def verdicts(document: dict) -> str:
    return ", ".join(f"{r['id'].split('.', 1)[1]} {r['status']}" for r in document["results"])


def main(sizes: list[int]) -> None:
    from distributed import Client, LocalCluster

    cfg, model, _ = project_inputs()
    with tempfile.TemporaryDirectory(prefix="dask-checks-bench-") as tmp:
        folder = Path(tmp)
        one = build_batch(folder, 1_000_000, model)
        documents = {}
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, memory_limit=None,
        ) as cluster, Client(cluster) as client:  # fmt: skip
            for millions in sizes:
                # Named as the pandas path's file: the evidence names the batch.
                target = folder / f"dask-{millions}M" / f"rows-{millions}M.parquet"
                target.mkdir(parents=True)
                for index in range(millions):
                    os.link(one, target / f"part-{index:03d}.parquet")
                seconds, document = timed_checks(
                    target, cfg, engine="dask", scheduler=cluster.scheduler_address
                )
                documents[millions] = document
                rows = document["provenance"]["current_rows"]
                per_worker = ", ".join(f"{v:.0f}" for v in client.run(peak_mib).values())
                print(
                    f"dask, 2 workers: {rows:,} rows in {seconds:.1f} s "
                    f"({rows / seconds / 1e6:.2f}M rows/s); peak resident per worker "
                    f"{per_worker} MiB\n  {verdicts(document)}"
                )
        for millions in PANDAS_MILLIONS:
            single = repeat_file(one, folder / f"rows-{millions}M.parquet", millions)
            seconds, document = timed_checks(single, cfg, engine="pandas")
            documents.setdefault(f"pandas-{millions}", document)
            rows = document["provenance"]["current_rows"]
            print(
                f"pandas, this process: {rows:,} rows in {seconds:.1f} s "
                f"({rows / seconds / 1e6:.2f}M rows/s); peak resident {peak_mib():.0f} MiB "
                "(this process; the peak of every run before it included)"
            )
        smallest = min(sizes)
        if f"pandas-{smallest}" not in documents:
            return
        same = json.dumps(documents[f"pandas-{smallest}"]) == json.dumps(documents[smallest])
        print(
            f"  the two engines' evidence on {smallest}M rows is {'' if same else 'NOT '}the same"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1, 10, 50])
