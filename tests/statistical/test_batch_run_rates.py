"""How often `mlgate check --current` fails a clean batch, as a whole run and check by check.

The whole run's false-alarm rate, measured again. Clean batches: drawn uniformly, without
replacement, from the Adult test file (rows neither the model nor the training split saw), judged
against the training file with the project's params and the run's false-alarm budget
(:mod:`mlgate.checks.budget`), exactly as the command runs them. Before the budget and the per-
batch reference sample of ``drift.multivariate``, the whole run failed 30%, 22%, 14% and 12% of
clean batches of 100, 500, 2,000 and 10,000 rows.

Power: the same clean batches with a stated shift (a 2-year age shift; 10 more points of one
marital status).
Each test prints its figures (``FIGURE`` lines); the documentation quotes them.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from mlgate.checks import BATCH_SUITES
from mlgate.checks.budget import batch_levels
from mlgate.checks.context import CheckContext
from mlgate.checks.runner import blocking, run_checks
from tests.statistical.shifts import more_never_married, older
from tests.statistical.test_false_alarms_and_power import report, upper_binomial

pytestmark = pytest.mark.slow

#: Batches per size: more at the sizes that cost little.
BATCHES = {100: 200, 500: 200, 2_000: 100, 10_000: 40}
POWER_BATCHES = 40
POWER_ROWS = 2_000


def judge(cfg, model, reference, reference_scores, batch: pd.DataFrame) -> list:
    """The blocking results of the batch suites on ``batch``, at the run's levels."""
    levels = batch_levels(
        cfg.checks, suites=set(BATCH_SUITES), budget=cfg.batches.false_alarm_budget
    )
    labels = (batch[cfg.data.target] == cfg.data.positive_label).to_numpy(dtype="int64")
    ctx = CheckContext(
        data=cfg.data,
        reference=reference,
        current=batch,
        current_name="batch",
        reference_scores=reference_scores,
        current_scores=model.predict_proba(batch)[:, 1],
        y_true=labels,
        model=model,
        decision_threshold=cfg.evaluate.decision_threshold,
        is_batch=True,
    )
    return blocking(run_checks(ctx, levels.configs, suites=BATCH_SUITES))


@pytest.fixture(scope="module")
def scored_reference(adult_train, small_model):
    return adult_train, small_model.predict_proba(adult_train)[:, 1]


def draw(frame: pd.DataFrame, rows: int, rng: np.random.Generator) -> pd.DataFrame:
    return frame.iloc[np.sort(rng.choice(len(frame), rows, replace=False))].reset_index(drop=True)


@pytest.mark.parametrize("rows", sorted(BATCHES))
def test_a_clean_batch_fails_the_whole_run_at_most_at_the_budget(
    cfg, small_model, scored_reference, adult_test, rows
):
    reference, reference_scores = scored_reference
    rng = np.random.default_rng(rows)
    batches, failed_runs, failed_checks = BATCHES[rows], 0, Counter()
    for _ in range(batches):
        stopping = judge(cfg, small_model, reference, reference_scores, draw(adult_test, rows, rng))
        failed_runs += bool(stopping)
        failed_checks.update(r.id for r in stopping)
    budget = cfg.batches.false_alarm_budget
    report(f"check --current fails a clean {rows}-row batch", failed_runs / batches, batches)
    for check_id, failed in sorted(failed_checks.items()):
        report(f"{check_id} fails a clean {rows}-row batch", failed / batches, batches)
    assert failed_runs / batches <= upper_binomial(budget, batches)


SHIFTS = {
    "ages 2 years higher": lambda batch, rng: older(batch, 2),
    "10 more points of never-married": lambda batch, rng: more_never_married(batch, 0.10, rng),
}


@pytest.mark.parametrize("name", sorted(SHIFTS))
def test_check_current_catches_a_mild_shift_in_a_2000_row_batch(
    cfg, small_model, scored_reference, adult_test, name
):
    reference, reference_scores = scored_reference
    shift = SHIFTS[name]
    rng = np.random.default_rng(7)
    caught = 0
    for _ in range(POWER_BATCHES):
        batch = shift(draw(adult_test, POWER_ROWS, rng), rng)
        caught += bool(judge(cfg, small_model, reference, reference_scores, batch))
    report(f"check --current catches {name} ({POWER_ROWS} rows)", caught / POWER_BATCHES, 40)
    assert caught / POWER_BATCHES >= 0.8
