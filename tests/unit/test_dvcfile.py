"""``mlgate.project.dvcfile``: reading dvc.yaml's stages, params, outputs and ${...} as DVC does."""

from __future__ import annotations

import pytest

from mlgate.project.dvcfile import (
    MISSING,
    cached_outputs,
    declared_outputs,
    interpolated_names,
    listed_params,
    lookup,
    var_file_names,
)

PARAMS = {"a": {"b": [10, {"c": None}]}, "x.y": 1}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("a.b[0]", 10),
        ("a.b.0", 10),
        ("a.b[1].c", None),
        ("a.b[2]", MISSING),
        ("a.c", MISSING),
        ("a.b.x", MISSING),
        ("x.y", MISSING),  # a dot always separates keys, as in DVC
    ],
)
def test_lookup_follows_dotted_keys_and_list_indices(key, value):
    assert lookup(PARAMS, key) is value or lookup(PARAMS, key) == value


def test_declared_outputs_know_what_dvc_caches():
    stage = {
        "outs": ["models/model.skops", {"reports/checks.json": {"cache": False}}],
        "metrics": [{"reports/metrics.json": {"cache": False}}, "reports/cached.json"],
        "plots": [{"reports/plots/": None}],
    }
    assert declared_outputs(stage) == [
        ("outs", "models/model.skops", True),
        ("outs", "reports/checks.json", False),
        ("metrics", "reports/metrics.json", False),
        ("metrics", "reports/cached.json", True),
        ("plots", "reports/plots", True),
    ]
    assert cached_outputs({"stages": {"s": stage, "broken": "x"}}) == {
        "models/model.skops": "s",
        "reports/cached.json": "s",
        "reports/plots": "s",
    }


def test_listed_params_group_keys_by_file():
    stage = {"params": ["data", {"params.yaml": ["train.seed"]}, {"other.yaml": None}]}
    assert listed_params(stage) == {"params.yaml": ["data", "train.seed"], "other.yaml": []}
    foreach = {"foreach": [1], "do": {"params": ["x.${item}"]}}
    assert listed_params(foreach) == {"params.yaml": ["x.${item}"]}


def test_interpolated_names_skip_escaped_ones():
    assert interpolated_names("run ${a.b} ${ c[0] } \\${d} $e") == ["a.b", "c[0]"]


def test_var_file_names_are_found_at_both_levels_once():
    dvc = {
        "vars": ["config.yaml:a,b", {"inline": 1}],
        "stages": {"s": {"vars": ["config.yaml", "local.yaml"]}},
    }
    assert var_file_names(dvc) == ["config.yaml", "local.yaml"]
