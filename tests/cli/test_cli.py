"""The CLI's wiring: exit codes, error messages, outputs, and a fast --help."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import run


def test_help_is_fast_because_heavy_libraries_load_lazily():
    code = (
        "import sys; from mlgate.cli import cli; "
        "heavy = {'pandas', 'numpy', 'sklearn', 'pydantic', 'dvc', 'matplotlib', 'skops'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_each_commands_help_line_is_its_own():
    """--help lists commands from a table (no import); each line is the command's own help."""
    import click

    from mlgate.cli.app import COMMANDS, cli

    ctx = click.Context(cli)
    for name, entry in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None
        assert command.name == name
        assert entry.short_help == command.get_short_help_str(limit=200), name
    assert cli.get_command(ctx, "fly") is None


def test_help_lists_the_stage_commands():
    out = subprocess.run(
        [sys.executable, "-m", "mlgate", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("ingest", "prepare", "train", "evaluate", "explain", "check", "gate"):
        assert command in out.stdout


def test_unknown_command_is_a_usage_error(capsys):
    assert run(["fly"]) == 2
    assert "No such command 'fly'" in capsys.readouterr().err


def test_stages_run_end_to_end(project, capsys):
    for stage in ("ingest", "prepare", "train", "evaluate"):
        assert run([stage]) == 0, capsys.readouterr().err
    metrics = json.loads((project / "reports/metrics.json").read_text())
    assert 0.8 < metrics["roc_auc"] <= 1.0
    card = json.loads((project / "models/model.json").read_text())
    assert card["estimator"] == "hist_gradient_boosting"
    assert card["params"]["train"]["hist_gradient_boosting"]["max_iter"] == 15
    assert set(card["versions"]) >= {"python", "scikit-learn", "skops"}
    for name in ("roc", "precision_recall", "calibration", "confusion_matrix"):
        assert (project / "reports/figures" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    assert "[evaluate] test ROC AUC" in capsys.readouterr().err


def test_invalid_params_exit_2_naming_the_key(project, capsys):
    params = project / "params.yaml"
    params.write_text(params.read_text().replace("learning_rate: 0.1", "learning_rate: -1"))
    assert run(["train"]) == 2
    assert "train.hist_gradient_boosting.learning_rate" in capsys.readouterr().err


def test_params_option_points_elsewhere(project, capsys):
    assert run(["--params", "elsewhere.yaml", "ingest"]) == 2
    assert "elsewhere.yaml not found" in capsys.readouterr().err


def test_bad_source_exits_2_and_writes_nothing(project, capsys):
    source = project / "data/source/adult.test.gz"
    text = (
        gzip.decompress(source.read_bytes())
        .decode()
        .replace("\n25, Private", "\ntwenty-five, Private", 1)
    )
    source.write_bytes(gzip.compress(text.encode()))
    assert run(["ingest"]) == 2
    err = capsys.readouterr().err
    assert "adult.test.gz" in err
    assert "'age' has text in 1 rows (row 1: 11 characters of text, not shown" in err
    assert not (project / "data/ingested").exists()


def test_missing_source_exits_2(project, capsys):
    (project / "data/source/adult.data.gz").unlink()
    assert run(["ingest"]) == 2
    assert "adult.data.gz not found" in capsys.readouterr().err


def test_missing_upstream_output_exits_2(project, capsys):
    assert run(["prepare"]) == 2
    assert "data/ingested/train.parquet not found" in capsys.readouterr().err


def test_unexpected_errors_exit_3(project, capsys, monkeypatch):
    import mlgate.stages.ingest

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(mlgate.stages.ingest, "read_source", explode)
    assert run(["ingest"]) == 3
    err = capsys.readouterr().err
    assert "disk on fire" in err
    assert "could not run" in err


def test_refuses_a_tampered_model(project, capsys):
    for stage in ("ingest", "prepare", "train"):
        assert run([stage]) == 0
    shutil.copy(Path(__file__), project / "models/model.skops")
    assert run(["evaluate"]) == 2
    assert "not a skops file" in capsys.readouterr().err
    assert not (project / "reports/metrics.json").exists()


def test_explain_writes_values_importance_and_plots(project):
    import pandas as pd

    for stage in ("ingest", "prepare", "train"):
        assert run([stage]) == 0
    assert run(["explain"]) == 0
    values = pd.read_parquet(project / "reports/shap_values.parquet")
    assert len(values) == 2999
    assert values.columns[0] == "row"
    importance = json.loads((project / "reports/shap_importance.json").read_text())
    assert set(importance["mean_abs_shap"]) == set(values.columns[1:])
    assert importance["rows"] == 2999
    method = json.loads((project / "reports/shap_method.json").read_text())
    assert method == {"explainer": "TreeExplainer", "output": "log-odds", "explains": "the model"}
    for name in ("shap_beeswarm", "shap_bar"):
        assert (project / "reports/explain" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"


def _threshold_optimizer_on(params: str) -> str:
    return params.replace("method: none", "method: threshold_optimizer")


def test_mitigation_is_saved_in_the_model_and_its_trade_off_recorded(
    built_projects, tmp_path, monkeypatch
):
    from mlgate import io
    from mlgate.model.files import load_model
    from mlgate.model.mitigation import MitigatedModel

    project = built_projects(("ingest", "prepare"), tmp_path, setup=_threshold_optimizer_on)
    monkeypatch.chdir(project)
    assert run(["train"]) == 0
    assert run(["evaluate"]) == 0
    model = load_model("models/model.skops")
    assert isinstance(model, MitigatedModel)
    assert (model.method, model.sensitive_feature) == ("threshold_optimizer", "sex")
    fairness = io.read_json("reports/fairness.json")
    assert set(fairness) == {"models"}  # a metric: numbers only; params.yaml names the method
    before, after = fairness["models"]["before_mitigation"], fairness["models"]["deployed"]
    for model_evidence in (before, after):
        assert set(model_evidence) >= {"accuracy", "roc_auc", "sex", "race", "age"}
        assert set(model_evidence["sex"]) == {
            "demographic_parity_difference",
            "demographic_parity_ratio",
            "equalized_odds_difference",
            "equalized_odds_ratio",
        }
    # The deployed model's score is the one evaluate reports.
    assert after["accuracy"] == io.read_json("reports/metrics.json")["accuracy"]
