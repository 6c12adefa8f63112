"""The project's dvc.yaml and the code agree: stage names, commands, params and outputs.

The rules live in ``mlgate.project`` (``mlgate validate`` applies them before each commit); these
tests hold the project's own files to them. ``tests/unit/test_project.py`` shows each rule failing.
"""

from __future__ import annotations

import pytest

from mlgate import paths
from mlgate.cli.app import COMMANDS
from mlgate.code_closure import PACKAGE_DIR, closure_files
from mlgate.project.dvcfile import declared_outputs, pipeline_stages
from mlgate.project.outputs import STAGE_OUTPUTS, output_problems
from mlgate.project.validate import command_problems, stage_params_problems, validate_project
from mlgate.provenance import DISPATCH_ONLY


def test_every_pipeline_command_has_its_stage(dvc):
    assert set(pipeline_stages(dvc)) == set(STAGE_OUTPUTS)


def test_each_stage_runs_the_mlgate_command_of_its_name(dvc):
    assert command_problems(dvc, commands=COMMANDS, source="dvc.yaml") == []


def test_stage_outputs_are_the_paths_the_code_writes(dvc):
    assert output_problems(dvc, source="dvc.yaml") == []
    train = {path for _, path, _ in declared_outputs(pipeline_stages(dvc)["train"])}
    assert train == {
        p.as_posix() for p in (paths.MODEL, paths.MODEL_CARD, paths.VALIDATION_METRICS)
    }


def test_every_param_a_stage_names_exists_in_the_file(dvc, params):
    # The file, not the config's defaults: DVC reads the file and stops on a missing key.
    assert stage_params_problems(dvc, params, source="dvc.yaml", params_file="params.yaml") == []


def test_the_project_passes_mlgate_validate(dvc, params):
    assert validate_project(params, dvc, commands=COMMANDS) == []


def undeclared_code(stage: dict, command_module: str) -> list[str]:
    """The files ``command_module`` imports that no code dependency of ``stage`` covers."""
    project = PACKAGE_DIR.parent.parent
    declared = [project / dep for dep in stage.get("deps", []) if dep.startswith("src/mlgate")]
    missing = []
    for path in closure_files(command_module):
        name = path.relative_to(PACKAGE_DIR).as_posix()
        if name in DISPATCH_ONLY:
            continue
        if not any(path == dep or dep in path.parents for dep in declared):
            missing.append(name)
    return missing


@pytest.mark.parametrize("stage_name", sorted(STAGE_OUTPUTS))
def test_each_stage_lists_every_file_its_command_imports(dvc, stage_name):
    """DVC reruns a stage only when a listed file changes: each file the command runs is listed."""
    stage = pipeline_stages(dvc)[stage_name]
    command = COMMANDS[stage["cmd"].split()[1]].module
    assert undeclared_code(stage, command) == []


def test_a_stage_missing_a_file_its_command_imports_is_caught(dvc):
    train = dict(pipeline_stages(dvc)["train"])
    train["deps"] = [dep for dep in train["deps"] if dep != "src/mlgate/model"]
    missing = undeclared_code(train, "mlgate.cli.train")
    # The monotone constraints are decided from the preprocessing's columns.
    assert "model/preprocessing.py" in missing
    assert "model/estimators.py" in missing


def test_stages_that_score_a_model_run_the_mitigation_code():
    """A saved model may be a MitigatedModel: scoring it runs mlgate.model.mitigation."""
    for command in ("mlgate.cli.evaluate", "mlgate.cli.check", "mlgate.cli.explain"):
        names = {p.relative_to(PACKAGE_DIR).as_posix() for p in closure_files(command)}
        assert "model/mitigation.py" in names, command


def test_the_evidence_code_hash_covers_the_check_stages_code(dvc):
    """The files hashed into the evidence are the files the check stage lists (and reruns on)."""
    from mlgate.provenance import EVIDENCE_COMMAND

    assert COMMANDS["check"].module == EVIDENCE_COMMAND
    assert undeclared_code(pipeline_stages(dvc)["check"], EVIDENCE_COMMAND) == []


def numeric_leaves(value, key=""):
    """Every leaf of a parsed JSON document that is not a number, with its dotted key."""
    if isinstance(value, dict):
        return [bad for k, v in value.items() for bad in numeric_leaves(v, f"{key}.{k}")]
    if isinstance(value, list):
        return [(key, "a list")]
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return [] if is_number else [(key, value)]


def test_metrics_files_hold_numbers_only(dvc, project_root):
    """`dvc exp show` and `dvc metrics diff` show every leaf: text belongs elsewhere."""
    import json

    metrics = [
        path
        for stage in pipeline_stages(dvc).values()
        for section, path, _ in declared_outputs(stage)
        if section == "metrics"
    ]
    assert {"reports/metrics.json", "reports/verdict.json", "reports/fairness.json"} <= set(metrics)
    for path in metrics:
        document = json.loads((project_root / path).read_text())
        assert numeric_leaves(document) == [], path


def test_the_model_is_declared_as_a_registry_artifact(project_root):
    """DVC itself reads `artifacts:` (what `dvc artifacts get` and GTO's tags name `model`)."""
    from dvc.repo import Repo

    with Repo(str(project_root)) as repo:
        artifacts = repo.artifacts.read()["dvc.yaml"]
    assert artifacts["model"].path == paths.MODEL.as_posix()
    assert artifacts["model"].type == "model"
