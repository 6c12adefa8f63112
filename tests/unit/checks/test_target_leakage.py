"""data.target_leakage catches inputs that predict the label alone, and says so without values."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from mlgate.checks.base import CheckContext, Status
from mlgate.checks.data.target_leakage import check_target_leakage
from mlgate.config.checks.data import TargetLeakageConfig
from mlgate.config.data import DataConfig
from mlgate.data.one_feature import cross_fitted_scores, one_feature_scores
from mlgate.data.post_outcome_names import post_outcome_hint
from mlgate.data.target_leakage import roc_auc, rule_values
from tests.statistical.leakage_corpus import LEAKS, corpus_table

#: Few resamples: the tests are about what is flagged, not the interval's last digit.
FAST = TargetLeakageConfig(n_bootstrap=200)


def context_of(frame: pd.DataFrame, data, *, is_batch: bool = False) -> CheckContext:
    """The check's context: the table is the training split (the check reads nothing else)."""
    return CheckContext(
        data=data, reference=frame, current=frame, current_name="test", is_batch=is_batch
    )


def only(frame: pd.DataFrame, data, columns: tuple[str, ...]):
    """The table and schema with just ``columns`` as inputs."""
    numeric = tuple(c for c in data.numeric if c in columns)
    categorical = tuple(c for c in data.categorical if c in columns)
    return frame, data.model_copy(update={"numeric": numeric, "categorical": categorical})


@pytest.fixture(scope="module")
def corpus():
    return corpus_table(7, rows=1500)


def test_a_clean_table_passes_and_names_its_strongest_input(corpus):
    frame, data = corpus
    honest = tuple(c for c in data.features if c not in LEAKS)
    outcome = check_target_leakage(context_of(*only(frame, data, honest)), FAST)
    assert outcome.status is Status.PASS, outcome.summary
    assert outcome.details["flagged"] == {}
    assert "strongest:" in outcome.summary
    assert outcome.value < FAST.max_single_feature_auc
    assert set(outcome.details["inputs"]) == set(honest)


@pytest.mark.parametrize("leak", LEAKS)
def test_each_kind_of_leak_fails_the_check_and_is_named(corpus, leak):
    frame, data = corpus
    honest = tuple(c for c in data.features if c not in LEAKS)
    outcome = check_target_leakage(context_of(*only(frame, data, (*honest, leak))), FAST)
    assert outcome.status is Status.FAIL
    assert list(outcome.details["flagged"]) == [leak]
    assert leak in outcome.summary
    assert "ROC AUC" in outcome.summary
    # Each leak of the corpus has a second sign (a name, a date, a missing pattern) or is
    # near-deterministic: above the suspect limit at least.
    assert outcome.ci_low > FAST.max_suspect_feature_auc


def test_a_strong_honest_input_needs_a_second_sign_to_be_flagged():
    """A tumour size at ROC AUC 0.95 is a measurement; the same numbers named after the outcome
    are a leak. The statistic alone flags only above max_single_feature_auc."""
    rng = np.random.default_rng(3)
    y = (rng.random(2000) < 0.4).astype(int)
    strong = y * 2.4 + rng.normal(size=2000)  # ROC AUC about 0.955
    for name, flagged in (("worst_radius", False), ("days_to_relapse", True)):
        frame = pd.DataFrame({name: strong, "outcome": np.where(y == 1, "Y", "N")})
        data = DataConfig(target="outcome", labels=("N", "Y"), positive_label="Y", numeric=(name,))
        outcome = check_target_leakage(context_of(frame, data), FAST)
        assert FAST.max_suspect_feature_auc < outcome.ci_low < FAST.max_single_feature_auc
        assert (outcome.status is Status.FAIL) is flagged, outcome.summary


def test_missingness_tied_to_the_label_is_its_own_statistic(corpus):
    frame, data = corpus
    outcome = check_target_leakage(context_of(*only(frame, data, ("days_to_rearrest",))), FAST)
    (described,) = [
        s for s in outcome.details["flagged"]["days_to_rearrest"] if s.startswith("missing")
    ]
    assert described.startswith("missing-indicator ROC AUC 0.9")


def test_the_evidence_names_columns_and_statistics_never_values(corpus):
    frame, data = corpus
    outcome = check_target_leakage(context_of(frame, data), FAST)
    evidence = json.dumps(outcome.to_dict())
    values = {"Y", "N", "yes", "no", *frame["closed_on"], *frame["opened_on"], *frame["code"]}
    leaked = {v for v in values if f'"{v}"' in evidence or f" {v} " in evidence}
    assert leaked == set()
    assert "2013-" not in evidence
    assert "2014-" not in evidence


def test_an_allowed_column_passes_with_its_reason_recorded(corpus):
    frame, data = corpus
    frame, data = only(frame, data, ("measure_0", "reoffended"))
    cfg = FAST.model_copy(update={"allow": {"reoffended": "known at sentencing, by statute"}})
    outcome = check_target_leakage(context_of(frame, data), cfg)
    assert outcome.status is Status.PASS
    assert outcome.details["allowed"] == {
        "reoffended": {"reason": "known at sentencing, by statute", "would_flag": True}
    }
    assert "Allowed after review: reoffended" in outcome.summary
    # The value judged is the strongest input that is not allowed.
    assert outcome.value < FAST.max_single_feature_auc


def test_a_name_alone_is_a_hint_never_a_failure(corpus):
    frame, data = corpus
    frame = frame.assign(final_status=np.random.default_rng(0).normal(size=len(frame)))
    data = data.model_copy(update={"numeric": ("measure_0", "final_status"), "categorical": ()})
    outcome = check_target_leakage(context_of(frame, data), FAST)
    assert outcome.status is Status.PASS
    assert "'final'" in outcome.details["hints"]["final_status"]


def test_an_id_of_distinct_values_is_not_flagged_for_memorising():
    """In sample, a rule learnt from each row's own label scores ROC AUC 1; out of fold, 0.5."""
    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.3).astype(int)
    ids = pd.Series([f"P{i:05d}" for i in range(2000)])
    in_sample = one_feature_scores(ids, y, ids, n_bins=10)
    assert roc_auc_score(y, in_sample) == 1.0
    out_of_fold = cross_fitted_scores(ids, y, n_bins=10, n_folds=5, seed=0)
    assert roc_auc_score(y, out_of_fold) == pytest.approx(0.5, abs=0.02)


def test_a_rare_flag_is_separated_from_the_point_mass_around_it():
    """A 0/1 copy of a rare label: its deciles are all 0, and the rule must still tell 1 from 0."""
    rng = np.random.default_rng(0)
    y = (rng.random(5000) < 0.05).astype(int)
    for flag in (pd.Series(y.astype(float)), pd.Series(1.0 - y)):
        scores = one_feature_scores(flag, y, flag, n_bins=10)
        assert roc_auc_score(y, scores) == 1.0


@pytest.mark.parametrize(
    ("rows", "positives", "why"),
    [(150, 50, "150 rows, fewer than min_samples = 200"), (600, 12, "smaller class has 12 rows")],
)
def test_too_little_training_data_is_not_judged(corpus, rows, positives, why):
    frame, data = corpus
    kept = pd.concat(
        [
            frame[frame["outcome"] == "yes"].head(positives),
            frame[frame["outcome"] == "no"].head(rows - positives),
        ]
    )
    outcome = check_target_leakage(context_of(kept, data), FAST)
    assert outcome.status is Status.SKIP
    assert why in outcome.summary


def test_a_batch_is_not_judged_again(corpus):
    outcome = check_target_leakage(context_of(*corpus, is_batch=True), FAST)
    assert outcome.status is Status.SKIP
    assert "training split" in outcome.summary


def test_the_adult_sample_does_not_flag(halves, make_context, cfg):
    outcome = check_target_leakage(make_context(*halves), FAST)
    assert outcome.status is Status.PASS, outcome.summary
    assert outcome.details["hints"] == {
        "marital-status": outcome.details["hints"]["marital-status"]
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("days_to_new_arrest", "'days to'"),
        ("c_offense_end", "'end'"),
        ("is_recid", "'recid'"),
        ("vr_charge_desc", None),
        ("age", None),
        ("rfstime", "'rfstime'"),  # survival tables: time to recurrence, death or follow-up
        ("futime", "'futime'"),
        ("overtime", "'overtime'"),  # a hint for a person to read, never a flag on its own
        ("censored", "'censored'"),
    ],
)
def test_post_outcome_names_are_hinted(name, expected):
    hint = post_outcome_hint(name, pd.Series([1.0, 2.0]), target="two_year_label")
    assert (hint is None) if expected is None else expected in hint


def test_a_date_column_is_hinted_by_its_values():
    dates = pd.Series(["2013-01-27", "2014-03-02 10:04:00", "2013-12-31"] * 10)
    assert "it holds dates" in post_outcome_hint("c_jail", dates, target="y")


def test_allow_needs_a_reason():
    with pytest.raises(ValueError, match="at least 1 character"):
        TargetLeakageConfig(allow={"reoffended": ""})


def test_the_rank_roc_auc_is_scikit_learns():
    rng = np.random.default_rng(1)
    y = (rng.random(500) < 0.3).astype(int)
    scores = np.round(rng.random(500) + y * 0.3, 1)  # ties, as a rule's scores have
    assert roc_auc(y, scores) == pytest.approx(roc_auc_score(y, scores), abs=1e-12)


def test_allow_must_name_a_declared_column(project_root):
    from mlgate.config import config_from_mapping
    from mlgate.errors import ConfigError
    from mlgate.io import parse_yaml

    raw = parse_yaml((project_root / "params.yaml").read_text(), source="params.yaml")
    raw["checks"]["data"]["target_leakage"]["allow"] = {"fnlwgt": "a sampling weight"}
    with pytest.raises(
        ConfigError, match=r"checks\.data\.target_leakage: reads columns \['fnlwgt'\]"
    ):
        config_from_mapping(raw)


def test_dates_in_mixed_formats_are_ordered_as_days():
    days = rule_values(pd.Series(["27/01/2013", "2013-01-28 12:00:00", None, "2013-01-30"] * 5))
    assert days.iloc[1] - days.iloc[0] == 1.5
    assert np.isnan(days.iloc[2])
    assert days.iloc[3] - days.iloc[0] == 3
