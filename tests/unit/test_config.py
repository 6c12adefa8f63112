from __future__ import annotations

import copy

import pytest

from mlgate.config import config_from_mapping, load_config
from mlgate.errors import ConfigError
from mlgate.io import parse_yaml


@pytest.fixture
def raw(project_root):
    return parse_yaml((project_root / "params.yaml").read_text(), source="params.yaml")


def with_change(raw, dotted_key, value):
    changed = copy.deepcopy(raw)
    *parents, last = dotted_key.split(".")
    node = changed
    for part in parents:
        node = node[part]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return changed


_DELETE = object()


def test_project_params_are_valid(cfg):
    assert cfg.data.positive_label == ">50K"
    assert cfg.data.negative_label == "<=50K"
    assert cfg.data.features[: len(cfg.data.numeric)] == cfg.data.numeric
    assert cfg.data.required_columns[-1] == cfg.data.target


def test_config_is_frozen(cfg):
    with pytest.raises(ValueError, match="frozen"):
        cfg.train.seed = 1


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "train.hist_gradient_boosting.learning_rat",
            0.1,
            r"train\.hist_gradient_boosting\.learning_rat: unknown key",
        ),
        (
            "train.hist_gradient_boosting.learning_rate",
            -0.1,
            r"learning_rate: Input should be greater than 0; found -0\.1",
        ),
        (
            "train.hist_gradient_boosting.max_iter",
            "many",
            r"max_iter: Input should be a valid integer",
        ),
        ("train.estimator", "svm", r"train\.estimator: Input should be 'logistic_regression'"),
        ("prepare.validation_size", 1.5, r"prepare\.validation_size: Input should be less than 1"),
        ("data.positive_label", "rich", r"positive_label 'rich' must be one of labels"),
        (
            "data.sensitive_features",
            ["sex", "race", "age", "planet"],
            r"\['planet'\] that are not in ingest\.column_names",
        ),
        (
            "data.categorical",
            ["age", "sex"],
            r"\['age'\] are declared both numeric and categorical",
        ),
        ("ingest.column_names", None, r"column_names is required when header is false"),
        ("evaluate.decision_threshold", 1.0, r"decision_threshold: Input should be less than 1"),
        ("surprise", {}, r"surprise: unknown key"),
        (
            "train.mitigation.sensitive_feature",
            None,
            r"train\.mitigation: method 'threshold_optimizer' needs sensitive_feature",
        ),
        (
            "train.mitigation.sensitive_feature",
            "fnlwgt",
            r"sensitive_feature: 'fnlwgt' is not a model input",
        ),
        (
            "train.mitigation.sensitive_feature",
            "hours-per-week",
            r"'hours-per-week' is numeric: give its groups' cut points in data\.sensitive_bins",
        ),
        ("train.mitigation.constraint", "parity", r"constraint: Input should be 'demographic_"),
    ],
)
def test_invalid_params_name_the_key(raw, key, value, message):
    if key.startswith("train.mitigation."):  # mitigation's rules apply once it is switched on
        raw = with_change(raw, "train.mitigation.method", "threshold_optimizer")
    with pytest.raises(ConfigError, match=message):
        config_from_mapping(with_change(raw, key, value))


def test_mitigation_keys_are_not_held_to_the_data_while_mitigation_is_off(raw):
    """A copied template's ``sensitive_feature: sex`` must not stop a table without ``sex``."""
    cfg = config_from_mapping(with_change(raw, "train.mitigation.sensitive_feature", "fnlwgt"))
    assert cfg.train.mitigation.method == "none"


def test_missing_section_is_named(raw):
    with pytest.raises(ConfigError, match=r"train: required key is missing"):
        config_from_mapping(with_change(raw, "train", _DELETE))


def test_every_problem_is_reported_at_once(raw):
    bad = with_change(with_change(raw, "train.seed", -1), "prepare.seed", "x")
    with pytest.raises(ConfigError) as excinfo:
        config_from_mapping(bad)
    assert "train.seed" in str(excinfo.value)
    assert "prepare.seed" in str(excinfo.value)


def test_missing_params_file(tmp_path):
    with pytest.raises(ConfigError, match=r"not found.*--params"):
        load_config(tmp_path / "params.yaml")


def test_invalid_yaml_is_a_config_error(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("train: [unclosed\n")
    with pytest.raises(ConfigError, match="is not valid YAML"):
        load_config(path)


def test_yaml_is_parsed_as_dvc_parses_it():
    """YAML 1.2, as DVC reads params.yaml: 1e-3 is a float, no/yes/on are strings."""
    from dvc.utils.serialize import parse_yaml as dvc_parse_yaml

    text = "a: 1e-3\nb: no\nc: yes\nd: on\ne: 0o10\nf: 010\ng: 1_000\nh: .5\ni: null\n"
    ours = parse_yaml(text, source="t.yaml")
    assert ours == dvc_parse_yaml(text, "t.yaml")
    assert ours["a"] == pytest.approx(0.001)
    assert isinstance(ours["a"], float)
    assert ours["b"] == "no"
    assert ours["c"] == "yes"
    assert ours["d"] == "on"


def test_learning_rate_written_as_exponent_reaches_training_as_float(raw, tmp_path):
    from ruamel.yaml import YAML

    changed = with_change(raw, "train.hist_gradient_boosting.learning_rate", "PLACEHOLDER")
    path = tmp_path / "params.yaml"
    with path.open("w") as handle:
        YAML().dump(changed, handle)
    path.write_text(path.read_text().replace("PLACEHOLDER", "1e-3"))
    assert load_config(path).train.hist_gradient_boosting.learning_rate == pytest.approx(1e-3)


def test_every_misnamed_column_is_reported_under_its_own_key(raw):
    bad = with_change(raw, "train.hist_gradient_boosting.monotonic_increasing", ["education"])
    bad = with_change(bad, "checks.robustness.invariance.irrelevant", ["native-countri"])
    bad = with_change(bad, "data.sensitive_features", ["sex", "age", "planet"])
    with pytest.raises(ConfigError) as excinfo:
        config_from_mapping(bad)
    lines = str(excinfo.value).splitlines()
    assert any(
        line.startswith("  - data.sensitive_features: names columns ['planet'] that are not in ")
        for line in lines
    )
    assert any(
        line.startswith(
            "  - train.hist_gradient_boosting.monotonic_increasing: lists ['education']"
        )
        for line in lines
    )
    assert any(
        line.startswith("  - checks.robustness.invariance: names columns ['native-countri']")
        for line in lines
    )
    assert not any("(top level)" in line for line in lines)


def test_monotonic_constraints_are_checked_when_columns_come_from_a_header(raw):
    header = with_change(with_change(raw, "ingest.header", True), "ingest.column_names", None)
    assert config_from_mapping(header).ingest.column_names is None
    bad = with_change(header, "train.hist_gradient_boosting.monotonic_decreasing", ["sex"])
    with pytest.raises(ConfigError, match=r"monotonic_decreasing: lists \['sex'\], which are not"):
        config_from_mapping(bad)


def test_check_params_problems_are_named_by_their_full_key(raw):
    bad = with_change(raw, "checks.drift.psi.colour", "red")
    bad = with_change(bad, "checks.data.duplicates.max_duplicate_rate", 5)
    with pytest.raises(ConfigError) as excinfo:
        config_from_mapping(bad)
    message = str(excinfo.value)
    assert "  - checks.drift.psi.colour: Extra inputs are not permitted" in message
    assert "  - checks.data.duplicates.max_duplicate_rate: Input should be less than" in message


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("prepare.seed", True, r"prepare\.seed: Input should be a valid integer; found True"),
        ("train.seed", 1.0, r"train\.seed: Input should be a valid integer; found 1\.0"),
        (
            "checks.drift.features.alpha",
            "0.05",
            r"checks\.drift\.features\.alpha: Input should be a valid number; found '0\.05'",
        ),
        ("ingest.header", 0, r"ingest\.header: Input should be a valid boolean; found 0"),
        ("evaluate.decision_threshold", "0.5", r"evaluate\.decision_threshold: .*found '0\.5'"),
    ],
)
def test_types_are_strict_no_value_is_coerced(raw, key, value, message):
    with pytest.raises(ConfigError, match=message):
        config_from_mapping(with_change(raw, key, value))


def test_an_integer_is_still_a_number(raw):
    cfg = config_from_mapping(with_change(raw, "checks.drift.psi.max_psi", 1))
    assert cfg.checks["drift.psi"].max_psi == 1.0


def test_a_check_that_reads_an_undeclared_column_is_refused_even_with_a_header(raw):
    """The check would fail with a missing column long after validation said the params are ok."""
    headed = with_change(raw, "ingest.header", True)
    headed = with_change(headed, "ingest.column_names", None)
    bad = with_change(headed, "checks.robustness.invariance.irrelevant", ["fnlwgt"])
    with pytest.raises(
        ConfigError, match=r"checks\.robustness\.invariance: reads columns \['fnlwgt'\] that data"
    ):
        config_from_mapping(bad)


def test_a_commands_engine_options_override_batches_and_nothing_else(cfg):
    params = cfg.batches.model_copy(update={"engine": "dask", "scheduler": "tcp://10.0.0.5:8786"})
    assert params.chosen(engine=None, scheduler=None) == params
    assert params.chosen(engine="pandas", scheduler=None).engine == "pandas"
    assert params.chosen(engine="pandas", scheduler=None).scheduler == "tcp://10.0.0.5:8786"
    reading = params.chosen(engine=None, scheduler="tcp://127.0.0.1:8786")
    assert (reading.engine, reading.scheduler) == ("dask", "tcp://127.0.0.1:8786")
    assert reading.distributed
    assert reading.false_alarm_budget == params.false_alarm_budget
