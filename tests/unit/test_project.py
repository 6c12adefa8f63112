"""``mlgate.project``: each rule of ``mlgate validate`` finds its problem, naming file and key."""

from __future__ import annotations

import pytest

from mlgate.project.outputs import output_problems
from mlgate.project.validate import (
    Problem,
    command_problems,
    interpolation_problems,
    params_problems,
    stage_params_problems,
    structure_problems,
    validate_project,
)

COMMANDS = (
    "ingest",
    "prepare",
    "train",
    "examples",
    "fingerprint",
    "evaluate",
    "explain",
    "check",
    "gate",
    "card",
    "validate",
)


def validate(params, dvc, **kwargs):
    return validate_project(params, dvc, commands=COMMANDS, **kwargs)


def test_the_template_is_consistent(params, dvc):
    assert validate(params, dvc) == []


def test_a_problem_reads_file_key_message():
    problem = Problem("dvc.yaml", "stages.train.cmd", "expected `mlgate train`; found 'x'")
    assert str(problem) == "dvc.yaml: stages.train.cmd: expected `mlgate train`; found 'x'"


# params.yaml ------------------------------------------------------------------------------------


def test_an_unknown_params_key_is_named(params, dvc):
    params["train"]["hist_gradient_boosting"]["learning_rat"] = 0.1
    assert validate(params, dvc) == [
        Problem(
            "params.yaml",
            "train.hist_gradient_boosting.learning_rat",
            "unknown key (check its spelling; the valid keys: docs/reference/params.md)",
        )
    ]


def test_each_column_problem_is_named_by_its_key(params):
    params["checks"]["robustness"]["invariance"]["irrelevant"] = ["native-countri"]
    params["train"]["mitigation"]["method"] = "threshold_optimizer"
    params["train"]["mitigation"]["sensitive_feature"] = "fnlwgt"
    problems = params_problems(params, source="p.yaml")
    assert [(p.file, p.key) for p in problems] == [
        ("p.yaml", "train.mitigation.sensitive_feature"),
        ("p.yaml", "checks.robustness.invariance"),
    ]
    assert "'fnlwgt' is not a model input" in problems[0].message
    assert "names columns ['native-countri'] that are not in ingest.column_names" in (
        problems[1].message
    )


def test_a_stage_param_missing_from_the_file_is_named_though_the_config_has_a_default(params, dvc):
    # Config fills in the explain section's defaults, but DVC reads the file and would stop.
    del params["explain"]
    assert validate(params, dvc) == [
        Problem(
            "dvc.yaml",
            "stages.explain.params",
            "lists 'explain', which params.yaml does not have: add it there, or remove it from "
            "the stage",
        )
    ]


def test_a_removed_required_param_is_named_in_both_files(params, dvc):
    del params["prepare"]["validation_size"]
    assert [(p.file, p.key) for p in validate(params, dvc)] == [
        ("params.yaml", "prepare.validation_size"),
        ("dvc.yaml", "stages.prepare.params"),
    ]


def test_stage_params_may_name_the_params_file_explicitly(params, dvc):
    dvc["stages"]["prepare"]["params"] = [{"params.yaml": ["prepare.seed", "prepare.sede"]}]
    problems = stage_params_problems(dvc, params, source="dvc.yaml", params_file="params.yaml")
    assert [p.message.split(",")[0] for p in problems] == ["lists 'prepare.sede'"]


# stages and commands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cmd", "message"),
    [
        ("python train.py", "expected `mlgate train`; found 'python train.py'"),
        (["mlgate train", "echo done"], "expected `mlgate train`; found ['mlgate train', "),
        ("mlgate fly", "`mlgate fly` is not an mlgate command (card, check, evaluate, "),
        ("mlgate prepare", "stage 'train' runs `mlgate prepare`: name the stage after its command"),
    ],
)
def test_a_stage_runs_the_mlgate_command_of_its_name(dvc, cmd, message):
    dvc["stages"]["train"]["cmd"] = cmd
    (problem,) = command_problems(dvc, commands=COMMANDS, source="dvc.yaml")
    assert problem.key == "stages.train.cmd"
    assert problem.message.startswith(message)


def test_a_stage_named_otherwise_is_told_its_command(dvc):
    dvc["stages"]["training"] = dvc["stages"].pop("train")
    (problem,) = command_problems(dvc, commands=COMMANDS, source="dvc.yaml")
    assert problem.message.startswith("stage 'training' runs `mlgate train`")


@pytest.mark.parametrize(
    ("dvc", "key"),
    [
        ({}, "stages"),
        ({"stages": []}, "stages"),
        ({"stages": {"train": "mlgate train"}}, "stages.train"),
    ],
)
def test_a_malformed_pipeline_is_named(dvc, key):
    (problem,) = structure_problems(dvc, source="dvc.yaml")
    assert problem.key == key
    assert problem.message.startswith("expected a mapping")


# ${...} -----------------------------------------------------------------------------------------


def test_an_interpolation_that_does_not_resolve_is_named_where_it_is(params, dvc):
    dvc["stages"]["ingest"]["deps"][1] = "${ingest.test_pth}"
    assert interpolation_problems(
        dvc, params, source="dvc.yaml", params_file="params.yaml", var_files={}
    ) == [
        Problem(
            "dvc.yaml",
            "stages.ingest.deps[1]",
            "${ingest.test_pth} does not resolve: expected the key 'ingest.test_pth' in "
            "params.yaml (or in vars:)",
        )
    ]


def test_interpolations_resolve_as_in_dvc(params):
    dvc = {
        "vars": [{"folder": "data"}, "extra.yaml:wanted"],
        "stages": {
            "ingest": {
                "cmd": "mlgate ingest ${data.numeric[0]} ${data.numeric.1} \\${not_a_name}",
                "deps": ["${folder}/x", "${wanted}", "${ unwanted }"],
            },
            "many": {"foreach": [1, 2], "do": {"cmd": "mlgate check ${item} ${key}"}},
        },
    }
    problems = interpolation_problems(
        dvc,
        params,
        source="dvc.yaml",
        params_file="params.yaml",
        var_files={"extra.yaml": {"wanted": 1, "unwanted": 2}},
    )
    assert [(p.key, p.message.split(" ")[0]) for p in problems] == [
        ("stages.ingest.deps[2]", "${unwanted}")
    ]


def test_a_vars_file_that_does_not_exist_is_named(params):
    dvc = {"vars": ["missing.yaml"], "stages": {}}
    (problem,) = interpolation_problems(
        dvc, params, source="dvc.yaml", params_file="params.yaml", var_files={}
    )
    assert problem == Problem("dvc.yaml", "vars", "imports 'missing.yaml', which does not exist")


# outputs ----------------------------------------------------------------------------------------


def test_an_output_the_command_writes_must_be_declared(dvc):
    dvc["stages"]["train"]["outs"].remove("models/model.json")
    (problem,) = output_problems(dvc, source="dvc.yaml")
    assert problem.key == "stages.train.outs"
    assert problem.message.startswith("expected models/model.json (mlgate.paths), which `mlgate ")


def test_an_output_the_command_does_not_write_is_named_with_its_section(dvc):
    dvc["stages"]["evaluate"]["metrics"].append("reports/other.json")
    # A file under a folder the command writes curves into is fine, in any section.
    dvc["stages"]["evaluate"]["plots"] = [{"reports/plots/lift.json": {"cache": False}}]
    (problem,) = output_problems(dvc, source="dvc.yaml")
    assert problem.key == "stages.evaluate.metrics"
    assert problem.message.startswith("declares reports/other.json, which `mlgate evaluate` does")


def test_outputs_compare_as_paths(dvc):
    dvc["stages"]["evaluate"]["outs"] = ["./reports/figures/"]
    assert output_problems(dvc, source="dvc.yaml") == []
