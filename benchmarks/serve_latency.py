"""Single-row latency of the model served by `mlflow models serve`, against named peers.

What a caller of the real-time endpoint waits for: one row posted to ``/invocations`` on
loopback, answered with its score and decision, p50 and p99 over sequential requests. The model
is the project's own (run `make repro` first), saved as mlgate's MLflow model (models from code,
the skops file loaded through mlgate's allow-list) and served with ``--env-manager local``.
In the same run, as peers:

- the bare scikit-learn pipeline, in process: ``predict_proba`` on the one-row frame (one
  native thread, as mlgate scores);
- the same MLflow model, in process: ``pyfunc.load_model(...).predict`` (signature
  enforcement and mlgate's wrapper, no HTTP).

The difference between the served and in-process figures is the HTTP and JSON round trip.
Run it with ``make bench``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = 500
WARMUP = 20


def percentiles(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.2f} ms   p99 {p99:7.2f} ms"


def timed(call, rows) -> list[float]:
    for row in rows[:WARMUP]:
        call(row)
    times = []
    for row in rows[WARMUP:]:
        start = time.perf_counter()
        call(row)
        times.append(time.perf_counter() - start)
    return times


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    os.environ.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"})
    import mlflow
    import pandas as pd
    from mlflow.models import infer_signature

    from mlgate import paths
    from mlgate.config import load_config
    from mlgate.model.files import load_model
    from mlgate.registry.mlflow_backend import MODEL_CODE

    os.chdir(ROOT)
    cfg = load_config()
    frame = pd.read_parquet(paths.INGESTED_TEST).loc[:, list(cfg.data.features)].dropna()
    rows = [frame.iloc[[i]].reset_index(drop=True) for i in range(WARMUP + REQUESTS)]
    model = load_model(paths.MODEL)
    print(f"single-row latency, {REQUESTS} sequential requests after {WARMUP} to warm up")
    from threadpoolctl import threadpool_limits

    # One native thread, as mlgate scores (positive_scores): the same work, like for like.
    with threadpool_limits(limits=1):
        bare = timed(lambda row: model.predict_proba(row), rows)
    print(f"  bare scikit-learn pipeline, in process   {percentiles(bare)}")

    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / "model"
        mlflow.pyfunc.save_model(
            str(saved),
            python_model=str(MODEL_CODE),
            artifacts={"model": str(paths.MODEL)},
            model_config={
                "labels": list(cfg.data.labels),
                "decision_threshold": cfg.evaluate.decision_threshold,
                "trusted_types": [],
            },
            signature=infer_signature(frame.head(5)),
            input_example=frame.head(5),
            pip_requirements=["mlgate"],
        )
        pyfunc = mlflow.pyfunc.load_model(str(saved))
        in_process = timed(lambda row: pyfunc.predict(row), rows)
        print(f"  mlgate's MLflow model, in process        {percentiles(in_process)}")

        port = free_port()
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "mlflow"), "models", "serve", "-m", str(saved),
             "--env-manager", "local", "-h", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{url}/ping", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)

            def post(row) -> None:
                body = {"dataframe_split": json.loads(row.to_json(orient="split", index=False))}
                request = urllib.request.Request(
                    f"{url}/invocations",
                    data=json.dumps(body).encode(),
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()

            served = timed(post, rows)
            print(f"  mlflow models serve, HTTP on loopback    {percentiles(served)}")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    ratio = statistics.median(served) / statistics.median(bare)
    print(f"  served p50 / bare p50: {ratio:.1f}x (the HTTP, JSON and signature round trip)")


if __name__ == "__main__":
    main()
