"""``mlgate check``: evidence file, exit codes, batches, and bad input."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests.cli.conftest import run


@pytest.fixture
def trained(built_projects, tmp_path, monkeypatch):
    project = built_projects(("ingest", "prepare", "train", "evaluate"), tmp_path / "project")
    monkeypatch.chdir(project)
    return project


def evidence(project, name="checks.json"):
    return json.loads((project / "reports" / name).read_text())


def set_param(project, old, new):
    params = project / "params.yaml"
    text = params.read_text()
    assert old in text
    params.write_text(text.replace(old, new))


def test_check_writes_evidence_and_exit_code_follows_the_required_results(trained, capsys):
    code = run(["check"])
    report = evidence(trained)
    blocking = report["blocking"]
    assert code == (1 if blocking else 0)
    ids = {r["id"] for r in report["results"]}
    assert {"data.schema", "drift.features", "performance.trivial_baseline"} <= ids
    assert any(i.startswith("performance.metrics.") for i in ids)
    champion = next(r for r in report["results"] if r["id"] == "comparison.champion")
    assert champion["status"] == "skip"
    assert report["provenance"]["model_sha256"]
    out = capsys.readouterr().out
    assert "data\n  ✓ pass  data.schema" in out


def test_a_failing_required_check_exits_1_unless_no_fail(trained):
    set_param(trained, "min: {roc_auc: 0.9,", "min: {roc_auc: 0.999,")
    assert run(["check"]) == 1
    assert "performance.metrics.roc_auc" in evidence(trained)["blocking"]
    assert run(["check", "--no-fail"]) == 0
    assert "performance.metrics.roc_auc" in evidence(trained)["blocking"]


def test_an_optional_check_failing_does_not_block(trained):
    set_param(trained, "min: {roc_auc: 0.9,", "min: {roc_auc: 0.999,")
    set_param(
        trained,
        "    metrics:\n      n_bootstrap",
        "    metrics:\n      required: false\n      n_bootstrap",
    )
    run(["check"])
    report = evidence(trained)
    result = next(r for r in report["results"] if r["id"] == "performance.metrics.roc_auc")
    assert result["status"] == "fail"
    assert result["required"] is False
    assert "performance.metrics.roc_auc" not in report["blocking"]


def test_suite_option_runs_only_that_suite(trained):
    run(["check", "--suite", "drift"])
    assert {r["suite"] for r in evidence(trained)["results"]} == {"drift"}


def batch_from_test(project, transform, name):
    frame = pd.read_parquet(project / "data/ingested/test.parquet")
    path = project / name
    frame = transform(frame)
    if name.endswith(".parquet"):
        frame.to_parquet(path)
    else:
        frame.to_csv(path, header=False, index=False, sep=",", na_rep="?")
    return path


def test_a_drifted_batch_is_flagged(trained, capsys):
    def older(frame):
        frame["age"] = frame["age"] + 8
        return frame

    path = batch_from_test(trained, older, "batch.parquet")
    assert run(["check", "--current", str(path)]) == 1
    report = evidence(trained, "batch_checks.json")
    assert {r["suite"] for r in report["results"]} == {"data", "drift"}
    features = next(r for r in report["results"] if r["id"] == "drift.features")
    assert features["status"] == "fail"
    assert "age" in features["details"]["drifted"]
    assert report["provenance"]["current"] == str(path)
    # One false-alarm budget, shared by Bonferroni across the required tests with a level.
    budget = report["provenance"]["false_alarm_budget"]
    assert budget["rule"] == "bonferroni"
    assert budget["false_alarm_budget"] == 0.05
    levels = budget["tests"]
    assert {"drift.features", "drift.multivariate", "data.missing_values"} <= set(levels)
    assert sum(levels.values()) <= 0.05 + 1e-12
    # The level as a reader reads it (0.00625, 0.01667), not 0.016666666666666666.
    assert f"alpha {levels['drift.features']:.4g}" in features["summary"]
    assert f"false-alarm budget 0.05 across {len(levels)} required tests" in capsys.readouterr().err


def test_a_csv_batch_in_the_source_format_without_labels(trained):
    path = batch_from_test(trained, lambda f: f.drop(columns=["income"]), "batch.csv")
    assert run(["check", "--current", str(path), "--no-fail"]) == 0
    report = evidence(trained, "batch_checks.json")
    balance = next(r for r in report["results"] if r["id"] == "data.label_balance")
    assert balance["status"] == "skip"


def test_a_batch_missing_a_column_is_an_input_error(trained, capsys):
    path = batch_from_test(trained, lambda f: f.drop(columns=["occupation"]), "batch.parquet")
    assert run(["check", "--current", str(path)]) == 2
    assert "lacks the columns ['occupation']" in capsys.readouterr().err


def test_an_empty_batch_is_refused_not_judged(trained, capsys):
    # Nothing to judge is an input error, --no-fail or not: no evidence of a run is written.
    path = batch_from_test(trained, lambda f: f.iloc[:0], "empty.parquet")
    assert run(["check", "--current", str(path), "--no-fail"]) == 2
    assert "empty.parquet has no rows: there is nothing to judge" in capsys.readouterr().err
    assert not (trained / "reports/batch_checks.json").exists()


def test_a_batch_with_a_new_category_is_reported(trained):
    def novel(frame):
        frame.loc[:400, "workclass"] = "Space-agency"
        return frame

    path = batch_from_test(trained, novel, "batch.parquet")
    run(["check", "--current", str(path), "--no-fail"])
    unseen = next(
        r
        for r in evidence(trained, "batch_checks.json")["results"]
        if r["id"] == "data.unseen_categories"
    )
    assert unseen["status"] == "fail"
    assert unseen["details"]["columns"]["workclass"]["categories"] == {"Space-agency": 401}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    duplicates:", "    duplicate_rows:", r"unknown checks \['data\.duplicate_rows'\]"),
        (
            "max_duplicate_rate: 0.005",
            "max_duplicate_rate: 5",
            r"data\.duplicates\.max_duplicate_rate: Input should be less than or equal to 1",
        ),
        (
            "      columns:\n      - fnlwgt\n",
            "      columns:\n      - fnlwgt\n      - salary\n",
            r"checks\.data\.denied_inputs: names columns \['salary'\]",
        ),
    ],
)
def test_bad_check_params_exit_2_naming_the_key(trained, capsys, old, new, message):
    import re

    set_param(trained, old, new)
    assert run(["check"]) == 2
    assert re.search(message, capsys.readouterr().err)


def test_check_without_pipeline_outputs_is_an_input_error(project, capsys):
    assert run(["check"]) == 2
    assert "data/ingested/train.parquet not found" in capsys.readouterr().err


def test_an_unknown_suite_is_a_usage_error_listing_the_suites(trained, capsys):
    assert run(["check", "--suite", "bogus"]) == 2
    err = capsys.readouterr().err
    assert "'bogus' is not one of 'data', 'drift', 'performance', 'fairness'" in err
    assert not (trained / "reports/checks.json").exists()


def test_help_lists_every_registered_suite(capsys):
    from mlgate.checks import SUITES
    from mlgate.checks.runner import load_registry

    assert set(SUITES) == {entry.suite for entry in load_registry().values()}
    assert run(["check", "--help"]) == 0
    assert "[data|drift|performance|fairness|model|robustness|explain|comparison]" in (
        capsys.readouterr().out
    )


def test_a_suite_that_needs_the_test_labels_is_refused_on_a_batch(trained, capsys):
    path = batch_from_test(trained, lambda f: f, "batch.parquet")
    assert run(["check", "--current", str(path), "--suite", "performance"]) == 2
    assert "--suite performance does not run on a batch" in capsys.readouterr().err


def test_a_header_only_batch_never_passes(trained, capsys):
    path = trained / "header-only.csv"
    pd.read_parquet(trained / "data/ingested/test.parquet").iloc[:0].to_csv(path, index=False)
    assert run(["check", "--current", str(path)]) == 2
    assert "header-only.csv has no rows: there is nothing to judge" in capsys.readouterr().err
    assert not (trained / "reports/batch_checks.json").exists()


def test_a_batch_no_required_check_can_judge_never_passes(trained, capsys):
    path = batch_from_test(trained, lambda f: f.iloc[:1], "one-row.parquet")
    assert run(["check", "--current", str(path), "--suite", "drift"]) == 1
    results = evidence(trained, "batch_checks.json")["results"]
    assert {r["status"] for r in results} == {"skip"}
    assert all(r["summary"].startswith("Not judged: ") for r in results)
    assert "no required check could judge" in capsys.readouterr().err


def test_a_few_undrifted_rows_are_not_judged_for_drift_and_the_run_is_no_pass(trained, capsys):
    path = batch_from_test(trained, lambda f: f.sample(10, random_state=0), "ten.parquet")
    # The data checks pass on ten clean rows; no drift test can judge them: not a pass.
    assert run(["check", "--current", str(path)]) == 1
    assert "no required check of the drift suite could judge" in capsys.readouterr().err
    drift = {r["id"]: r for r in evidence(trained, "batch_checks.json")["results"]}
    assert drift["data.missing_values"]["status"] == "pass"
    for check_id in ("drift.features", "drift.psi", "drift.multivariate", "drift.prediction"):
        assert drift[check_id]["status"] == "skip"
        assert "ten.parquet has 10 rows, fewer than min_samples" in drift[check_id]["summary"]
    # Asked for the data suite alone, the same rows pass.
    assert run(["check", "--current", str(path), "--suite", "data"]) == 0


def test_a_csv_batch_exported_with_a_header_row_is_read_by_its_header(trained):
    """The template's sources have no header line; a batch from pandas or a spreadsheet does."""
    path = trained / "exported.csv"
    test = pd.read_parquet(trained / "data/ingested/test.parquet")
    test[list(reversed(test.columns))].to_csv(path, index=False)
    assert run(["check", "--current", str(path), "--no-fail"]) == 0
    results = {r["id"]: r for r in evidence(trained, "batch_checks.json")["results"]}
    assert results["data.schema"]["status"] == "pass"
    assert results["drift.features"]["status"] == "pass"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"39, State-gov, 77516\n",
            "has 3 columns, but ingest.column_names in params.yaml names 15",
        ),
        (
            "39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, "
            "White, Male, 2174, 0, 40, Perú, <=50K\n".encode("latin-1"),
            r"is not valid utf-8: byte \d+ \(line 1\) is b'\\xfa'",
        ),
        (
            b"inf, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, "
            b"White, Male, 2174, 0, 40, Peru, <=50K\n",
            r"'age' has infinite values in 1 rows \(row 1: 'inf'\)",
        ),
    ],
    ids=["columns", "encoding", "infinite"],
)
def test_a_malformed_batch_is_an_input_error_naming_the_culprit(trained, capsys, content, message):
    path = trained / "batch.csv"
    path.write_bytes(content)
    assert run(["check", "--current", str(path)]) == 2
    assert re.search(message, capsys.readouterr().err)
    assert not (trained / "reports/batch_checks.json").exists()


@pytest.mark.slow
def test_the_evidence_is_the_same_bytes_on_another_machine(trained):
    """Native code splits sums across threads, and each CPU has its own BLAS kernels.

    Another machine is played here by another thread count and, on x86-64, another OpenBLAS
    kernel (``OPENBLAS_CORETYPE``): their matrix products differ in the last bits, the evidence
    must not.
    """
    import os
    import platform
    import subprocess
    import sys
    from pathlib import Path

    machines = {"one thread": {"1": None}, "two threads, older kernel": {"2": "Sandybridge"}}
    written = {}
    for name, ((threads, kernel),) in ((n, tuple(m.items())) for n, m in machines.items()):
        env = {
            **os.environ,
            **dict.fromkeys(
                ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"), threads
            ),
        }
        if kernel and platform.machine() in ("x86_64", "AMD64"):
            env["OPENBLAS_CORETYPE"] = kernel
        output = trained / f"checks-{threads}.json"
        subprocess.run(
            [Path(sys.executable).parent / "mlgate", "check", "--no-fail", "--output", output],
            cwd=trained,
            env=env,
            check=True,
            capture_output=True,
        )
        written[name] = output.read_bytes()
    assert written["one thread"] == written["two threads, older kernel"]


def test_suites_that_need_no_model_load_none(trained, monkeypatch):
    """The data suite judges rows alone: the model is neither loaded nor scored."""
    from mlgate.stages import check as check_stage

    def refuse(*args, **kwargs):
        raise AssertionError("the data suite loaded the model")

    monkeypatch.setattr(check_stage, "load_model", refuse)
    assert run(["check", "--suite", "data", "--no-fail"]) == 0
    assert {r["suite"] for r in evidence(trained)["results"]} == {"data"}
    assert run(["check", "--suite", "performance", "--no-fail"]) == 3  # this suite does


def test_a_champion_that_cannot_score_is_an_error_result_not_an_abort(trained, monkeypatch):
    """The other checks still judge and the evidence is written; the comparison says why not."""
    from mlgate.stages import check as check_stage

    def broken_champion(*args, **kwargs):
        raise KeyError("relationship")

    monkeypatch.setattr(check_stage, "load_baseline", broken_champion)
    assert run(["check", "--no-fail"]) == 0
    results = {r["id"]: r for r in evidence(trained)["results"]}
    champion = results["comparison.champion"]
    assert champion["status"] == "error"
    assert "could not use the champion: KeyError: 'relationship'" in champion["summary"]
    assert results["data.schema"]["status"] == "pass"
    assert run(["check"]) == 1


def test_each_checks_wall_time_is_recorded_beside_the_evidence(trained, capsys):
    run(["check", "--suite", "data", "--no-fail", "-v"])
    timings = json.loads((trained / "reports/checks.timings.json").read_text())
    ids = {
        r["id"].split(".")[0] + "." + r["id"].split(".")[1] for r in evidence(trained)["results"]
    }
    assert set(timings["checks"]) == ids
    assert all(seconds >= 0 for seconds in timings["checks"].values())
    out = capsys.readouterr().out
    assert re.search(r"^\s+\d+\.\d\d s  data\.schema$", out, flags=re.M)
    assert "timings" not in evidence(trained)


def test_a_batch_that_does_not_exist_is_named_as_the_current_path(trained, capsys):
    assert run(["check", "--current", "nope.csv"]) == 2
    err = capsys.readouterr().err
    assert "nope.csv not found. Check the --current path" in err
    assert "ingest.train_path" not in err


def drift_result(names: list[str]):
    from mlgate.checks.base import CheckResult
    from mlgate.checks.status import Status

    return CheckResult(
        id="drift.features",
        suite="drift",
        title="Feature drift",
        status=Status.FAIL,
        summary=f"{len(names)} of 14 features drifted at alpha 0.05 (limit 0): {', '.join(names)}.",
    )


def test_drifted_feature_names_are_never_cut():
    """The table and the progress line cut each line at 100 characters, names included."""
    from mlgate.cli.check import _line, render_table

    long_name = "customer_" + "lifetime_value_" * 10 + "eur"
    result = drift_result([long_name, "age"])
    assert len(long_name) > 150
    for shown in (render_table([result]), _line(result)):
        assert f"{long_name}, age." in shown
        assert "…" not in shown


def test_a_drifted_feature_name_cannot_write_to_the_terminal():
    from mlgate.cli.check import _line, render_table

    result = drift_result(["evil\x1b[2J\nname"])
    for shown in (render_table([result]), _line(result)):
        assert "\x1b" not in shown
        assert "evil␛[2J␊name" in shown
