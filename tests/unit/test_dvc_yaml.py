"""The project's dvc.yaml and the code agree: stage names, commands, params and outputs.

The rules live in ``mlgate.project`` (``mlgate validate`` applies them before each commit); these
tests hold the project's own files to them. ``tests/unit/test_project.py`` shows each rule failing.
"""

from __future__ import annotations

from mlgate import paths
from mlgate.cli import cli
from mlgate.dvcfile import declared_outputs, pipeline_stages
from mlgate.project import (
    STAGE_OUTPUTS,
    command_problems,
    output_problems,
    stage_params_problems,
    validate_project,
)


def test_every_pipeline_command_has_its_stage(dvc):
    assert set(pipeline_stages(dvc)) == set(STAGE_OUTPUTS)


def test_each_stage_runs_the_mlgate_command_of_its_name(dvc):
    assert command_problems(dvc, commands=cli.commands, source="dvc.yaml") == []


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
    assert validate_project(params, dvc, commands=cli.commands) == []


def test_the_evidence_code_hash_covers_exactly_the_check_stages_code(dvc):
    """A change to the code that makes the evidence reruns `check` and makes old evidence stale."""
    from mlgate.provenance import EVIDENCE_CODE

    deps = pipeline_stages(dvc)["check"]["deps"]
    code = {dep.removeprefix("src/mlgate/") for dep in deps if dep.startswith("src/mlgate/")}
    assert code == {*EVIDENCE_CODE, "provenance.py"}
