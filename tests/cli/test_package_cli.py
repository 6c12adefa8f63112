"""`mlgate package`: the model as an MLflow model folder that scores as mlgate does, no pickle."""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd
import pytest

from tests.conftest import run_cli


@pytest.fixture
def trained(built_projects, tmp_path, monkeypatch):
    project = built_projects(("ingest", "prepare", "train"), tmp_path / "project")
    monkeypatch.chdir(project)
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("DO_NOT_TRACK", "true")
    return project


def test_the_packaged_model_scores_as_mlgate_and_holds_no_pickle(trained, cfg):
    import mlflow

    from mlgate.model.estimators import positive_scores
    from mlgate.model.files import load_model

    assert run_cli(["package", "--output", "served"]) == 0
    files = sorted(p.name for p in (trained / "served").rglob("*"))
    assert "MLmodel" in files
    assert "model.skops" in files
    assert not [name for name in files if name.endswith((".pkl", ".pickle", ".joblib"))]
    assert "python_model:" not in (trained / "served/MLmodel").read_text()

    rows = pd.read_parquet("data/ingested/test.parquet").loc[:, list(cfg.data.features)]
    rows = rows.dropna().head(100).reset_index(drop=True)
    scored = mlflow.pyfunc.load_model("served").predict(rows)
    np.testing.assert_array_equal(
        scored["score"].to_numpy(), positive_scores(load_model("models/model.skops"), rows)
    )
    threshold = cfg.evaluate.decision_threshold
    expected = np.where(scored["score"] >= threshold, cfg.data.positive_label, cfg.data.labels[0])
    assert list(scored["decision"]) == list(expected)


def test_an_existing_folder_is_refused_and_left_alone(trained, capsys):
    (trained / "served").mkdir()
    (trained / "served/keep.txt").write_text("mine")
    assert run_cli(["package", "--output", "served"]) == 2
    assert "served exists: name a new folder" in capsys.readouterr().err
    assert os.listdir(trained / "served") == ["keep.txt"]
    assert not [p for p in os.listdir(trained) if p.startswith(".served-")]


def test_without_a_model_nothing_is_written(built_projects, tmp_path, monkeypatch, capsys):
    project = built_projects(("ingest",), tmp_path / "project")
    monkeypatch.chdir(project)
    assert run_cli(["package", "--output", "served"]) == 2
    assert "model file models/model.skops not found" in capsys.readouterr().err
    assert not (project / "served").exists()
    assert not [p for p in os.listdir(project) if p.startswith(".served-")]


@pytest.mark.parametrize("name", ["method_tofile_injected", "onehot_widths_far_out_of_bounds"])
def test_a_model_the_loader_refuses_is_not_packaged(trained, tmp_path, capsys, name):
    """`package` used to wrap any file in an MLflow model; it refuses what the loader refuses."""
    from tests.security.corpus import ATTACKS, EXPECTED

    marker = tmp_path / "marker"
    model = trained / "models/model.skops"
    model.write_bytes(ATTACKS[name](model.read_bytes(), marker))
    assert run_cli(["package", "--output", "served"]) == 2
    assert re.search(EXPECTED[name], capsys.readouterr().err)
    assert not (trained / "served").exists()
    assert not [p for p in os.listdir(trained) if p.startswith(".served-")]
    assert not marker.exists()


def tamper_code(package, marker) -> None:
    code = package / "mlflow_model.py"
    code.write_text(code.read_text() + f"\nopen({str(marker)!r}, 'w').write('pwned')\n")


def test_an_edited_code_file_is_refused_before_it_runs(trained, tmp_path):
    """MLflow runs the package's code file when it loads the model: whoever edits it runs code.

    Loaded through mlgate (``mlgate serve``), the file is held to mlgate's own by its SHA-256
    before anything in the package is imported.
    """
    import mlflow

    from mlgate.errors import ModelError
    from mlgate.registry.mlflow_package import load_package

    assert run_cli(["package", "--output", "served"]) == 0
    marker = tmp_path / "marker"
    tamper_code(trained / "served", marker)
    with pytest.raises(ModelError, match=r"served/mlflow_model\.py is not mlgate's own .*SHA-256"):
        load_package(trained / "served")
    assert not marker.exists()
    mlflow.pyfunc.load_model(str(trained / "served"))  # what `mlflow models serve` does
    assert marker.exists(), "MLflow itself runs the edited file"


MLMODEL_EDITS = {
    "code": (
        lambda flavor: flavor.update(code="code"),
        r"flavors\.python_function\.code: .* adds a folder to the import path",
    ),
    "loader_module": (
        lambda flavor: flavor.update(loader_module="elsewhere"),
        r"flavors\.python_function\.loader_module is 'elsewhere', not MLflow's models-from",
    ),
    "pickled_model": (
        lambda flavor: flavor.update(python_model="python_model.pkl"),
        r"flavors\.python_function has keys mlgate never writes: \['python_model'\]",
    ),
    "code_path": (
        lambda flavor: flavor.update(model_code_path="artifacts/other.py"),
        r"flavors\.python_function\.model_code_path names 'other\.py', not mlflow_model\.py",
    ),
    "trusted_types": (
        lambda flavor: flavor["config"].update(trusted_types=["builtins.eval"]),
        r"flavors\.python_function\.config\.trusted_types lists \['builtins\.eval'\], which "
        r"--trusted-type does not name",
    ),
    "artifact": (
        lambda flavor: flavor["artifacts"]["model"].update(path="mlflow_model.py"),
        r"flavors\.python_function\.artifacts is not the one skops file mlgate packages",
    ),
}


@pytest.mark.parametrize("edit", list(MLMODEL_EDITS))
def test_an_edited_mlmodel_is_refused_naming_the_key(trained, edit):
    import yaml

    from mlgate.errors import ModelError
    from mlgate.registry.mlflow_package import verify_package

    assert run_cli(["package", "--output", "served"]) == 0
    path = trained / "served/MLmodel"
    meta = yaml.safe_load(path.read_text())
    change, expected = MLMODEL_EDITS[edit]
    change(meta["flavors"]["python_function"])
    path.write_text(yaml.safe_dump(meta))
    with pytest.raises(ModelError, match=rf"served/MLmodel: {expected}"):
        verify_package(trained / "served")


def test_a_crafted_skops_file_in_a_package_is_refused(trained, tmp_path):
    from mlgate.errors import ModelError
    from mlgate.registry.mlflow_package import load_package
    from tests.security.corpus import ATTACKS

    assert run_cli(["package", "--output", "served"]) == 0
    packaged = trained / "served/artifacts/model.skops"
    packaged.write_bytes(ATTACKS["onehot_widths_shifted"](packaged.read_bytes(), tmp_path / "m"))
    with pytest.raises(ModelError, match=r"model\.skops: OneHotEncoder at preprocess/categorical"):
        load_package(trained / "served")


def test_the_verified_package_scores_as_mlgate(trained, cfg):
    from mlgate.model.estimators import positive_scores
    from mlgate.model.files import load_model
    from mlgate.registry.mlflow_package import load_package

    assert run_cli(["package", "--output", "served"]) == 0
    rows = pd.read_parquet("data/ingested/test.parquet").loc[:, list(cfg.data.features)]
    rows = rows.dropna().head(50).reset_index(drop=True)
    scored = load_package(trained / "served").predict(rows)
    np.testing.assert_array_equal(
        scored["score"].to_numpy(), positive_scores(load_model("models/model.skops"), rows)
    )


def test_serve_refuses_an_edited_package_before_serving(trained, tmp_path, capsys):
    assert run_cli(["package", "--output", "served"]) == 0
    marker = tmp_path / "marker"
    tamper_code(trained / "served", marker)
    assert run_cli(["serve", "--model", "served", "--port", "1"]) == 2
    assert "served/mlflow_model.py is not mlgate's own" in capsys.readouterr().err
    assert not marker.exists()


@pytest.mark.slow
def test_serve_answers_with_the_scores_mlgate_gives(trained, cfg, tmp_path):
    """`mlgate serve` verifies the package, then serves it with MLflow's scoring server."""
    import json
    import urllib.request

    from mlgate.model.estimators import positive_scores
    from mlgate.model.files import load_model
    from tests.integration.registry_repo import BIN
    from tests.integration.test_registry_mlflow import QUIET, free_port, start, stop

    assert run_cli(["package", "--output", "served"]) == 0
    rows = pd.read_parquet("data/ingested/test.parquet").loc[:, list(cfg.data.features)]
    rows = rows.dropna().head(20).reset_index(drop=True)
    port = free_port()
    server = start(
        [str(BIN / "mlgate"), "serve", "--model", "served", "--port", str(port)],
        ready=f"http://127.0.0.1:{port}/ping",
        log=tmp_path / "serve.log",
        env={**os.environ, **QUIET},
    )
    try:
        body = {"dataframe_split": json.loads(rows.to_json(orient="split", index=False))}
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/invocations",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            served = json.loads(response.read())["predictions"]
    finally:
        stop(server)
    expected = positive_scores(load_model("models/model.skops"), rows)
    np.testing.assert_allclose([p["score"] for p in served], expected, rtol=0, atol=1e-12)


SERVING_PAGE = "docs/tutorials/registry-and-serving.md"


def documented_serving_commands(project_root) -> list[list[str]]:
    """The `mlgate` commands of the docs' "Real-time serving" example, split as a shell would."""
    import shlex

    page = (project_root / SERVING_PAGE).read_text()
    section = page.split("## Real-time serving", 1)[1]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [
        shlex.split(line.rstrip("&").strip())
        for line in block.splitlines()
        if line.startswith("mlgate ")
    ]


def test_the_documented_serving_example_needs_no_server_and_leaves_nothing_behind(
    trained, project_root
):
    """The documented example serves the folder it packages, in a clone, as the template ships."""
    import subprocess

    commands = documented_serving_commands(project_root)
    package = next((argv for argv in commands if argv[1] == "package"), None)
    assert package is not None, f"the example packages the model first: {commands}"
    serve = next(argv for argv in commands if argv[1] == "serve")
    output = package[package.index("--output") + 1]
    assert serve[serve.index("--model") + 1] == output, "serve the folder package wrote"

    (trained / ".gitignore").write_text((project_root / ".gitignore").read_text())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], cwd=trained, check=True)
    subprocess.run([*git, "add", "-A"], cwd=trained, check=True)
    subprocess.run([*git, "commit", "-qm", "clone"], cwd=trained, check=True)
    assert run_cli(package[1:]) == 0
    page = (project_root / SERVING_PAGE).read_text()
    assert f"-d @{output}/serving_input_example.json" in page
    assert (trained / output / "serving_input_example.json").is_file()
    left = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=trained,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert left == "", f"the example left files git neither tracks nor ignores:\n{left}"
