"""data.target_leakage: how often it misses a leak, and how often it flags an honest table.

Detection: seeded tables of :mod:`tests.statistical.leakage_corpus` with its four leaks (a noisy
copy of the label, an id numbered by label, a field filled in for one class, an outcome date);
each must be flagged in every table, and no honest input beside them. False positives: clean
tables of the same shape (honest inputs up to ROC AUC 0.85, an id, a date, a high-cardinality
code, values missing at random), none of which may be flagged. The check runs with its shipped
defaults.
Each test prints its measured rate; the documentation quotes them.
"""

from __future__ import annotations

import pytest

from mlgate.checks.base import CheckContext, Status
from mlgate.checks.data.target_leakage import check_target_leakage
from mlgate.config.checks.data import TargetLeakageConfig
from tests.statistical.figures import figure
from tests.statistical.leakage_corpus import LEAKS, corpus_table

pytestmark = pytest.mark.slow

ROWS = 1000
DETECTION_TABLES = 40
CLEAN_TABLES = 100
DEFAULTS = TargetLeakageConfig()


def judge(seed: int, *, leaks: bool):
    frame, data = corpus_table(seed, rows=ROWS, leaks=leaks)
    ctx = CheckContext(data=data, reference=frame, current=frame, current_name="corpus")
    outcome = check_target_leakage(ctx, DEFAULTS)
    assert outcome.status in (Status.PASS, Status.FAIL), outcome.summary
    return outcome


def test_every_leak_is_caught_in_every_table_and_nothing_else():
    flagged = [set(judge(seed, leaks=True).details["flagged"]) for seed in range(DETECTION_TABLES)]
    for leak in LEAKS:
        caught = sum(leak in found for found in flagged) / DETECTION_TABLES
        figure(f"target_leakage detection of {leak}", f"{caught:.1%} of {DETECTION_TABLES}")
        assert caught == 1.0
    honest_flags = sum(bool(found - set(LEAKS)) for found in flagged)
    assert honest_flags == 0


def test_clean_tables_are_never_flagged():
    # Seeds apart from the detection tables': other draws of the honest inputs.
    outcomes = [judge(10_000 + seed, leaks=False) for seed in range(CLEAN_TABLES)]
    rate = sum(bool(o.details["flagged"]) for o in outcomes) / CLEAN_TABLES
    strongest = max(o.value for o in outcomes)
    figure(
        "target_leakage false positives",
        f"{rate:.1%} of {CLEAN_TABLES} clean tables (strongest honest input: ROC AUC "
        f"{strongest:.3f})",
    )
    assert rate == 0.0
