"""How often the rate checks fail a clean batch, at every batch size.

Clean batches: drawn uniformly, without replacement, from the Adult test file (rows neither the
model nor the training split saw), judged against the training file with the project's own
params. Before the rates were judged on their one-sided bounds, `data.leakage` failed 16% of
100-row batches and `data.missing_values` 5%.
Each test prints its measured rate; the documentation quotes them.
"""

from __future__ import annotations

import numpy as np
import pytest

from mlgate.checks.base import Status
from mlgate.checks.context import CheckContext
from mlgate.checks.data.duplicates import check_duplicates
from mlgate.checks.data.label_balance import check_label_balance
from mlgate.checks.data.leakage import check_leakage
from mlgate.checks.data.missing_values import check_missing_values
from tests.statistical.test_false_alarms_and_power import report, upper_binomial

pytestmark = pytest.mark.slow

BATCHES = 100
SIZES = (100, 500, 2000)
CHECKS = {
    "data.missing_values": check_missing_values,
    "data.duplicates": check_duplicates,
    "data.label_balance": check_label_balance,
    "data.leakage": check_leakage,
}
#: The one-sided level of each bound: what a clean batch may fail at, at most.
LEVEL = 0.05


@pytest.mark.parametrize("rows", SIZES)
def test_a_clean_batch_fails_each_rate_check_at_most_at_its_level(
    cfg, adult_train, adult_test, rows
):
    rng = np.random.default_rng(rows)
    failures = dict.fromkeys(CHECKS, 0)
    for _ in range(BATCHES):
        batch = adult_test.iloc[np.sort(rng.choice(len(adult_test), rows, replace=False))]
        ctx = CheckContext(
            data=cfg.data,
            reference=adult_train,
            current=batch.reset_index(drop=True),
            current_name="batch",
            is_batch=True,
        )
        for check_id, check in CHECKS.items():
            failures[check_id] += check(ctx, cfg.checks[check_id]).status is Status.FAIL
    for check_id, failed in failures.items():
        report(f"{check_id} fails a clean {rows}-row batch", failed / BATCHES, BATCHES)
        assert failed / BATCHES <= upper_binomial(LEVEL, BATCHES), check_id
