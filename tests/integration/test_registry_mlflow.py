"""The MLflow backend against a real `mlflow server` on loopback (sqlite, local artefacts).

One server per test session (it takes ~10 s to start); each test registers its own model name.
Nothing leaves the machine: the server listens on 127.0.0.1, and telemetry is off.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.integration.registry_repo import BIN, commit_all, mlgate, promote, record_of, run

pytestmark = [pytest.mark.slow, pytest.mark.integration]

QUIET = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, *, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args} exited {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def start(args: list[str], *, ready: str, log: Path, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        args, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    wait_for(ready, process)
    return process


def stop(process: subprocess.Popen) -> None:
    # The server forks workers: stop the whole session it leads.
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("mlflow")
    port = free_port()
    env = {**os.environ, **QUIET, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    server = start(
        [
            str(BIN / "mlflow"), "server", "--host", "127.0.0.1", "--port", str(port),
            "--backend-store-uri", f"sqlite:///{root / 'mlflow.db'}",
            "--artifacts-destination", str(root / "artifacts"), "--workers", "1",
        ],
        ready=f"http://127.0.0.1:{port}/health",
        log=root / "server.log",
        env=env,
    )  # fmt: skip
    yield f"http://127.0.0.1:{port}"
    stop(server)


@pytest.fixture
def mlflow_project(clone, mlflow_server, monkeypatch, request):
    """A clone whose params send promotions to the test server, under this test's model name."""
    work = clone()
    name = f"model-{request.node.name[:40]}".replace("[", "-").replace("]", "")
    params = work / "params.yaml"
    text = params.read_text().replace("  backend: gto ", "  backend: mlflow ")
    text = text.replace("    tracking_uri: ", f"    tracking_uri: {mlflow_server} ", 1)
    text = text.replace("    model_name: mlgate-model", f"    model_name: {name}")
    params.write_text(text)
    commit_all(work, "promote to MLflow too")
    for key, value in QUIET.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_server)
    from mlflow import MlflowClient

    return work, name, MlflowClient(tracking_uri=mlflow_server)


def alias_version(client, name: str, alias: str) -> str:
    return str(client.get_model_version_by_alias(name, alias).version)


def test_promotion_registers_once_moves_aliases_and_rolls_back(mlflow_project):
    work, name, client = mlflow_project
    staged = promote(work)
    assert staged.returncode == 0, staged.stderr
    assert f"MLflow: {name}@staging -> version 1" in staged.stdout
    version = client.get_model_version(name, "1")
    head = run(work, "git", "rev-parse", "HEAD").stdout.strip()
    assert version.tags["mlgate.commit"] == head
    assert version.tags["mlgate.version"] == "v0.1.0"
    record = record_of(work, "model@v0.1.0")
    assert version.tags["mlgate.evidence_digest"] == record["evidence_digest"]
    assert record["mlflow"] == {"model_name": name, "version": "1", "run_id": version.run_id}
    run_data = client.get_run(version.run_id).data
    assert run_data.metrics["roc_auc"] == pytest.approx(record["metrics"]["roc_auc"]["value"])
    assert "roc_auc_ci_low" in run_data.metrics
    evidence = {a.path for a in client.list_artifacts(version.run_id, "evidence")}
    assert {"evidence/checks.json", "evidence/gate.json", "evidence/dvc.lock"} <= evidence

    prod = promote(work, "--stage", "prod")
    assert prod.returncode == 0, prod.stderr
    assert alias_version(client, name, "champion") == "1"
    assert len(client.search_model_versions(f"name='{name}'")) == 1  # found, not duplicated

    (work / "README.md").write_text((work / "README.md").read_text() + "\nv0.2.0\n")
    commit_all(work, "second release")
    second = promote(work, "--stage", "prod", "--bump", "minor")
    assert second.returncode == 0, second.stderr
    assert alias_version(client, name, "champion") == "2"

    back = mlgate(work, "registry", "rollback", "--to", "v0.1.0")
    assert back.returncode == 0, back.stderr
    assert alias_version(client, name, "champion") == "1"
    moves = [
        json.loads(value)
        for key, value in client.get_model_version(name, "1").tags.items()
        if key.startswith("mlgate.alias.champion.")
    ]
    assert sorted(m["git_tag_action"] for m in moves) == ["promote", "rollback"]
    assert next(m for m in moves if m["git_tag_action"] == "rollback")["previous"].endswith(
        "(v0.2.0)"
    )


def test_a_refused_promotion_registers_nothing(mlflow_project):
    work, name, client = mlflow_project
    params = work / "params.yaml"
    params.write_text(
        params.read_text().replace("allow_skip:\n  - comparison.champion\n", "allow_skip:\n")
    )
    run(work, "dvc", "repro", "--quiet")
    commit_all(work, "a stricter gate")
    refused = promote(work, "--stage", "prod")
    assert refused.returncode == 1
    assert client.search_model_versions(f"name='{name}'") == []


def test_an_unreachable_server_exits_3_and_writes_no_tag(clone, monkeypatch):
    work = clone()
    params = work / "params.yaml"
    port = free_port()  # nothing listens there
    text = params.read_text().replace("  backend: gto ", "  backend: mlflow ")
    params.write_text(
        text.replace("    tracking_uri: ", f"    tracking_uri: http://127.0.0.1:{port} ", 1)
    )
    commit_all(work, "a server that is down")
    for key, value in QUIET.items():
        monkeypatch.setenv(key, value)
    failed = promote(work)
    assert failed.returncode == 3, failed.stdout + failed.stderr
    assert f"the MLflow server at http://127.0.0.1:{port} failed" in failed.stderr
    assert run(work, "git", "ls-remote", "--tags", "origin").stdout == ""


def test_the_registered_model_loads_without_pickle_and_serves_the_same_scores(
    mlflow_project, mlflow_server, tmp_path
):
    import mlflow

    from mlgate.model.estimators import positive_scores
    from mlgate.model.files import load_model

    work, name, _ = mlflow_project
    assert promote(work, "--stage", "prod").returncode == 0
    uri = f"models:/{name}@champion"
    rows = pd.read_parquet(work / "data/ingested/test.parquet").drop(columns=["income", "fnlwgt"])
    rows = rows.dropna().head(300).reset_index(drop=True)
    expected = positive_scores(load_model(work / "models/model.skops"), rows)

    mlflow.set_tracking_uri(mlflow_server)
    loaded = mlflow.pyfunc.load_model(uri)
    scored = loaded.predict(rows)
    np.testing.assert_array_equal(scored["score"].to_numpy(), expected)
    assert set(scored["decision"]) <= {"<=50K", ">50K"}

    files = Path(mlflow.artifacts.download_artifacts(uri, dst_path=str(tmp_path / "model")))
    assert not [p for p in files.rglob("*") if p.suffix in {".pkl", ".pickle", ".joblib"}]
    flavor = (files / "MLmodel").read_text()
    assert "model_code_path:" in flavor
    assert "python_model:" not in flavor  # what MLflow writes when it cloudpickles a model

    port = free_port()
    env = {**os.environ, **QUIET, "MLFLOW_TRACKING_URI": mlflow_server}
    # `mlgate serve` downloads the registered model, verifies it (its code file is mlgate's own,
    # its skops file passes the loader), then serves it with MLflow's scoring server.
    server = start(
        [str(BIN / "mlgate"), "serve", "--model", uri, "--host", "127.0.0.1",
         "--port", str(port)],
        ready=f"http://127.0.0.1:{port}/ping",
        log=tmp_path / "serve.log",
        env=env,
    )  # fmt: skip
    try:
        body = {"dataframe_split": json.loads(rows.head(50).to_json(orient="split", index=False))}
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/invocations",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            served = json.loads(response.read())["predictions"]
    finally:
        stop(server)
    np.testing.assert_allclose([p["score"] for p in served], expected[:50], rtol=0, atol=1e-12)

    # And the same scores as `mlgate predict` gives the same rows in a batch.
    rows.head(50).to_parquet(tmp_path / "rows.parquet")
    predicted = run(
        work, "mlgate", "predict", "--input", str(tmp_path / "rows.parquet"),
        "--output", str(tmp_path / "predicted.parquet"),
    )  # fmt: skip
    assert predicted.returncode == 0
    audit = pd.read_parquet(tmp_path / "predicted.parquet")
    np.testing.assert_allclose([p["score"] for p in served], audit["score"], rtol=0, atol=1e-12)
    assert [p["decision"] for p in served] == list(audit["decision"])
