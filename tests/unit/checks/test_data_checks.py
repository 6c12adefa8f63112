"""Each data check catches what it exists to catch, on data built to fail it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlgate.checks.base import Status
from mlgate.checks.data.denied_inputs import DeniedInputsConfig, check_denied_inputs
from mlgate.checks.data.duplicates import DuplicatesConfig, check_duplicates
from mlgate.checks.data.label_balance import LabelBalanceConfig, check_label_balance
from mlgate.checks.data.leakage import LeakageConfig, check_leakage
from mlgate.checks.data.missing_values import MissingValuesConfig, check_missing_values
from mlgate.checks.data.schema import SchemaConfig, check_schema
from mlgate.checks.data.unseen_categories import UnseenCategoriesConfig, check_unseen_categories


def test_the_project_data_passes_its_schema(halves, make_context, cfg):
    assert check_schema(make_context(*halves), cfg.checks["data.schema"]).status is Status.PASS


def test_schema_violations_are_listed_in_full(halves, make_context, cfg):
    reference, current = halves
    bad = current.copy()
    bad.loc[[3, 7, 11], "age"] = -5.0
    bad.loc[5, "age"] = 500.0
    bad.loc[[2, 4], "sex"] = "Robot"
    bad.loc[9, "race"] = np.nan
    bad.loc[range(20, 40), "hours-per-week"] = 0.0
    outcome = check_schema(make_context(reference, bad), cfg.checks["data.schema"])
    assert outcome.status is Status.FAIL
    found = {(v["column"], v["check"]): v for v in outcome.details["violations"]}
    assert {column for column, _ in found} == {"age", "sex", "race", "hours-per-week"}
    age = next(v for (c, _), v in found.items() if c == "age")
    assert age["failing_rows"] == 4
    assert {e["row"] for e in age["examples"]} == {3, 5, 7, 11}
    hours = next(v for (c, _), v in found.items() if c == "hours-per-week")
    assert hours["failing_rows"] == 20
    assert len(hours["examples"]) == cfg.checks["data.schema"].max_examples
    assert "current.sex" in outcome.summary


def test_schema_reports_a_missing_column(halves, make_context):
    reference, current = halves
    outcome = check_schema(
        make_context(reference, current.drop(columns=["occupation"]), model=None), SchemaConfig()
    )
    assert outcome.status is Status.FAIL
    assert any("occupation" in str(v) for v in outcome.details["violations"])


def test_schema_reports_text_in_a_numeric_column(halves, make_context):
    reference, current = halves
    bad = current.copy()
    bad["age"] = bad["age"].astype(str)
    outcome = check_schema(make_context(reference, bad, model=None), SchemaConfig())
    assert outcome.status is Status.FAIL
    assert any(
        v["column"] == "age" and "dtype" in v["check"] for v in outcome.details["violations"]
    )


def test_an_all_missing_feature_fails_missing_values(halves, make_context, cfg):
    reference, current = halves
    gone = current.copy()
    gone["hours-per-week"] = np.nan
    outcome = check_missing_values(make_context(reference, gone), cfg.checks["data.missing_values"])
    assert outcome.status is Status.FAIL
    assert outcome.details["over_limit"] == ["hours-per-week"]
    assert outcome.value == 1.0


def test_missing_values_per_column_limits(halves, make_context):
    reference, current = halves
    config = MissingValuesConfig(
        max_missing_rate=0.0,
        per_column={"workclass": 0.2, "occupation": 0.2, "native-country": 0.2},
    )
    assert check_missing_values(make_context(reference, current), config).status is Status.PASS
    strict = MissingValuesConfig(max_missing_rate=0.0)
    outcome = check_missing_values(make_context(reference, current), strict)
    assert outcome.status is Status.FAIL
    assert set(outcome.details["over_limit"]) >= {"workclass", "occupation"}


def test_duplicated_rows_fail(halves, make_context):
    reference, current = halves
    doubled = current.iloc[np.r_[0:4000, 0:100]].reset_index(drop=True)
    outcome = check_duplicates(
        make_context(reference, doubled), DuplicatesConfig(max_duplicate_rate=0.01)
    )
    assert outcome.status is Status.FAIL
    assert outcome.details["duplicate_rows"] >= 100


def test_label_balance(halves, make_context):
    reference, current = halves
    skewed = pd.concat(
        [current[current["income"] == "<=50K"], current[current["income"] == ">50K"].head(20)],
        ignore_index=True,
    )
    outcome = check_label_balance(
        make_context(reference, skewed),
        LabelBalanceConfig(min_minority_rate=0.1),
    )
    assert outcome.status is Status.FAIL
    no_labels = make_context(reference, current.drop(columns=["income"]), is_batch=True)
    assert check_label_balance(no_labels, LabelBalanceConfig()).status is Status.SKIP


def test_rows_shared_with_training_are_leakage(halves, make_context):
    reference, current = halves
    leaky = current.copy()
    leaky.iloc[:200] = reference.iloc[:200].to_numpy()
    outcome = check_leakage(make_context(reference, leaky), LeakageConfig(max_shared_rate=0.01))
    assert outcome.status is Status.FAIL
    assert outcome.details["shared_rows"] >= 200
    assert (
        check_leakage(make_context(*halves), LeakageConfig(max_shared_rate=0.01)).status
        is Status.PASS
    )


def test_rows_that_repeat_by_chance_in_a_coarse_table_are_not_leakage(make_context):
    import pandas as pd

    rng = np.random.default_rng(0)

    def coarse(rows):  # three coarse columns: different people share every value
        return pd.DataFrame(
            {
                "sex": rng.choice(["Female", "Male"], rows),
                "race": rng.choice(["A", "B", "C"], rows),
                "income": rng.choice(["<=50K", ">50K"], rows),
            }
        )

    reference, current = coarse(2000), coarse(400)
    ctx = make_context(reference, current, model=None)
    outcome = check_leakage(ctx, LeakageConfig(max_shared_rate=0.005))
    assert outcome.details["shared_rows"] == 400  # every row occurs in the training data
    assert outcome.details["chance_rate"] == 1.0
    assert outcome.status is Status.PASS
    assert "training rows repeat each other 100.00% of the time" in outcome.summary


def test_one_shared_row_in_a_small_batch_is_not_a_verdict(halves, make_context):
    reference, current = halves
    batch = current.iloc[:100].copy()
    batch.iloc[0] = reference.iloc[0].to_numpy()
    outcome = check_leakage(make_context(reference, batch), LeakageConfig(max_shared_rate=0.005))
    assert outcome.details["shared_rows"] >= 1
    assert outcome.status is Status.SKIP  # 1% shared, lower bound under 0.5%: cannot tell
    assert "too few rows to tell it from chance" in outcome.summary


def test_a_small_clean_batch_is_not_failed_by_the_rate_checks(halves, make_context):
    """One row, or two missing values in ten, is chance, not a verdict: each rate is judged on
    its one-sided bound (tests/statistical measures the rates at 100 to 10,000 rows)."""
    reference, current = halves
    one_row = make_context(reference, current.iloc[:1])
    balance = check_label_balance(one_row, LabelBalanceConfig(min_minority_rate=0.1))
    assert balance.status is Status.SKIP  # one class on one row: neither a pass nor a verdict
    assert "too few rows to tell it from chance" in balance.summary
    ten = current.iloc[:10].copy()
    ten.loc[[0, 1], "workclass"] = np.nan
    outcome = check_missing_values(
        make_context(reference, ten),
        MissingValuesConfig(max_missing_rate=0.0, per_column={"workclass": 0.1}),
    )
    assert outcome.status is Status.SKIP, outcome.summary  # over 10% here, not shown to be
    assert "workclass 20.0% > 10.0%" in outcome.summary
    assert outcome.details["columns"]["workclass"]["missing_rate"] == 0.2
    # Zero tolerance holds at any size: one missing value where none is allowed fails.
    ten.loc[3, "age"] = np.nan
    outcome = check_missing_values(
        make_context(reference, ten),
        MissingValuesConfig(max_missing_rate=0.0, per_column={"workclass": 0.1}),
    )
    assert outcome.status is Status.FAIL
    assert outcome.details["over_limit"] == ["age"]
    # A batch that is mostly one repeated row fails however small.
    copies = pd.concat([current.iloc[:1]] * 20, ignore_index=True)
    assert check_duplicates(make_context(reference, copies), DuplicatesConfig()).status is (
        Status.FAIL
    )


def test_a_denied_column_used_as_input_fails(halves, make_context, cfg):
    assert (
        check_denied_inputs(make_context(*halves), cfg.checks["data.denied_inputs"]).status
        is Status.PASS
    )
    outcome = check_denied_inputs(
        make_context(*halves), DeniedInputsConfig(columns=("sex", "fnlwgt"))
    )
    assert outcome.status is Status.FAIL
    assert outcome.details["denied_inputs"] == ["sex"]


def test_a_new_category_is_reported_not_crashed(halves, make_context):
    reference, current = halves
    novel = current.copy()
    novel.loc[:9, "workclass"] = "Space-agency"
    outcome = check_unseen_categories(
        make_context(reference, novel), UnseenCategoriesConfig(max_unseen_rate=0.01)
    )
    assert outcome.status is Status.WARN
    assert outcome.details["columns"]["workclass"]["categories"] == {"Space-agency": 10}
    many = current.copy()
    many.loc[:99, "workclass"] = "Space-agency"
    assert (
        check_unseen_categories(
            make_context(reference, many), UnseenCategoriesConfig(max_unseen_rate=0.01)
        ).status
        is Status.FAIL
    )


@pytest.mark.parametrize("column", ["age", "sex"])
def test_config_rejects_columns_the_data_does_not_declare(column, project_root):
    from mlgate.config import config_from_mapping
    from mlgate.errors import ConfigError
    from mlgate.io import parse_yaml

    raw = parse_yaml((project_root / "params.yaml").read_text(), source="params.yaml")
    raw["checks"]["data"]["missing_values"]["per_column"] = {f"{column}-typo": 0.1}
    with pytest.raises(
        ConfigError, match=rf"checks\.data\.missing_values: names columns \['{column}-typo'\]"
    ):
        config_from_mapping(raw)


def test_an_input_that_looks_like_personal_data_fails_without_showing_values(
    halves, make_context, cfg
):
    from mlgate.checks.data.personal_data import PersonalDataConfig, check_personal_data

    reference, current = halves
    assert check_personal_data(make_context(reference, current), PersonalDataConfig()).status is (
        Status.PASS
    )
    emails = reference.assign(occupation=[f"w{i}@example.org" for i in range(len(reference))])
    flagged = check_personal_data(make_context(emails, current), PersonalDataConfig())
    assert flagged.status is Status.FAIL
    assert flagged.details["flagged"] == {"occupation": "100% of its values are email addresses"}
    assert "example.org" not in str(flagged.to_dict())
    allowed = check_personal_data(
        make_context(emails, current), PersonalDataConfig(allow=("occupation",))
    )
    assert allowed.status is Status.PASS
