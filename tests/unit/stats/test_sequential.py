"""The e-detector: its calibrator is a valid e-value, it alerts at 1/rate and starts again."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from mlgate.stats.sequential import detector_step, e_value


@pytest.mark.parametrize("kappa", [0.2, 0.5, 0.8])
def test_the_calibrator_has_mean_at_most_one_under_uniform_p_values(kappa):
    # Substituting p = u^(1/κ) removes the integrand's singularity at 0.
    def integrand(u):
        p = u ** (1 / kappa)
        return e_value(p, kappa=kappa) * p / (kappa * u) if u > 0 else 1.0

    mean, _ = integrate.quad(integrand, 0, 1)
    assert mean == pytest.approx(1.0, abs=1e-6)
    assert mean <= 1.0 + 1e-9


def test_one_overwhelming_batch_alerts_and_the_next_starts_again():
    step = detector_step(1.0, 1e-9, kappa=0.5, rate=0.01)
    assert step.alert
    assert step.statistic >= 100
    assert step.carried == 1.0
    assert not detector_step(step.carried, 0.5, kappa=0.5, rate=0.01).alert


def test_moderate_evidence_accumulates_over_batches():
    statistic, alerts = 1.0, []
    for _ in range(6):
        step = detector_step(statistic, 0.001, kappa=0.5, rate=0.01)  # e = 15.8 each
        statistic, alerts = step.carried, [*alerts, step.alert]
    assert alerts[:1] == [False]
    assert any(alerts)


def test_clean_runs_rarely_alert():
    rng = np.random.default_rng(0)
    alerts, statistic = 0, 1.0
    for p in rng.random(20_000):
        step = detector_step(statistic, float(p), kappa=0.5, rate=0.01)
        statistic, alerts = step.carried, alerts + step.alert
    assert alerts / 20_000 <= 0.01
