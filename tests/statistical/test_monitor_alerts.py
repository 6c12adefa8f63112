"""Monitoring over repeated batches: how often it alerts on clean batches, how fast on shifted ones.

The model and fingerprint are the template's, reproduced by `dvc repro` (seeded).
Batches are 2,000 rows of the Adult test file (16,281 rows the fingerprint never saw), drawn
without replacement within a batch, each with its labels. Every row is scored once; a batch is a
selection of scored rows (the summary of a batch is the sum of its rows' cells, so this is what
`mlgate monitor` computes for the same rows).
The documentation quotes the figures.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from mlgate.model.files import load_model
from mlgate.monitor.judge import judge_batch
from mlgate.monitor.policy import apply_policy
from mlgate.monitor.summary import row_cells, summarise_rows
from tests.statistical.figures import figure
from tests.statistical.shifts import more_never_married, older

pytestmark = pytest.mark.slow

BATCH_ROWS = 2000
CLEAN_BATCHES = 200


@pytest.fixture(scope="module")
def monitored(seed, cfg):
    """The reproduced model and fingerprint, the test rows, and each row's cells (labelled)."""
    model = load_model(seed / "models/model.skops")
    fingerprint = json.loads((seed / "models/fingerprint.json").read_text())
    test = pd.read_parquet(seed / "data/ingested/test.parquet")
    flipped = test.copy()
    # Concept shift: 30% of women's labels flipped (inputs unchanged; ROC AUC 0.93 -> ~0.76).
    rng = np.random.default_rng(0)
    flip = (test["sex"] == "Female").to_numpy() & (rng.random(len(test)) < 0.3)
    labels = test[cfg.data.target].astype(object)
    swapped = np.where(
        labels == cfg.data.positive_label, cfg.data.negative_label, cfg.data.positive_label
    )
    flipped[cfg.data.target] = pd.Series(
        np.where(flip, swapped, labels), dtype=test[cfg.data.target].dtype
    )
    # Label noise: 5.4% of all labels flipped at random, which takes about 4 points off the
    # realized accuracy (each flip of a correct decision costs one, of a wrong one gives one back).
    noisy = test.copy()
    noise = np.random.default_rng(1).random(len(test)) < 0.054
    noisy[cfg.data.target] = pd.Series(
        np.where(noise, swapped, labels), dtype=test[cfg.data.target].dtype
    )
    return {
        "fingerprint": fingerprint,
        "test": test,
        "cells": row_cells(test, model, fingerprint, data=cfg.data),
        "concept_cells": row_cells(flipped, model, fingerprint, data=cfg.data),
        "noise_cells": row_cells(noisy, model, fingerprint, data=cfg.data),
        "older_cells": row_cells(older(test, 2), model, fingerprint, data=cfg.data),
        "married_cells": row_cells(
            more_never_married(test, 0.10, rng), model, fingerprint, data=cfg.data
        ),
    }


def weights_for(shift: str, test: pd.DataFrame, strength: float, cfg) -> np.ndarray | None:
    if shift == "covariate":  # people over 50 `strength` times as likely to be in the batch
        return np.where(test["age"] > 50, strength, 1.0)
    if shift == "prior":  # people earning >50K `strength` times as likely
        return np.where(test[cfg.data.target] == cfg.data.positive_label, strength, 1.0)
    return None


def batch_rows(rng, n_rows: int, weights: np.ndarray | None) -> np.ndarray:
    p = None if weights is None else weights / weights.sum()
    return rng.choice(n_rows, size=BATCH_ROWS, replace=False, p=p)


def judge(monitored, rows, monitor_cfg, cfg, *, cells="cells", labelled=True) -> dict:
    summary = summarise_rows(monitored[cells], rows)
    return judge_batch(
        summary,
        monitored["fingerprint"],
        cfg=monitor_cfg,
        fairness=cfg.checks.get("fairness.group_parity"),
        labelled=labelled,
    )


def first_alert(judgements, alert_cfg) -> int | None:
    """The run (from 1) at which the alert policy, started fresh, first alerts; None if never.

    ``judgements`` may be lazy: no batch is judged after the alert.
    """
    statistic = 1.0
    for run, judged in enumerate(judgements, start=1):
        decision = apply_policy(judged["run_p_value"], statistic, cfg=alert_cfg)
        statistic = decision["carried"]
        if decision["alert"]:
            return run
    return None


def without_effect_floors(monitor_cfg):
    """Every significant change counts: no PSI floor, no tolerated drop."""
    performance = monitor_cfg.performance.model_copy(
        update={"max_drop": dict.fromkeys(monitor_cfg.performance.max_drop, 0.0)}
    )
    return monitor_cfg.model_copy(update={"min_psi": 0.0, "performance": performance})


@pytest.mark.parametrize("floors", ["params", "none"])
def test_clean_batches_alert_at_most_at_the_configured_rate(monitored, cfg, floors):
    monitor_cfg = cfg.monitor if floors == "params" else without_effect_floors(cfg.monitor)
    rng = np.random.default_rng(20261128)
    statistic, alerts, p_values = 1.0, 0, []
    for _ in range(CLEAN_BATCHES):
        judged = judge(monitored, batch_rows(rng, len(monitored["test"]), None), monitor_cfg, cfg)
        decision = apply_policy(judged["run_p_value"], statistic, cfg=monitor_cfg.alert)
        statistic, alerts = decision["carried"], alerts + decision["alert"]
        p_values.append(judged["run_p_value"])
    p_values = np.array(p_values)
    rate = monitor_cfg.alert.rate
    figure(
        f"monitor clean batches ({floors} effect floors)",
        f"{alerts / CLEAN_BATCHES:.1%} of {CLEAN_BATCHES} alert (rate {rate}); a per-run test at "
        f"{rate} would alert on {(p_values <= rate).mean():.1%}",
    )
    assert alerts / CLEAN_BATCHES <= rate


SHIFTS = [
    ("covariate", 5.0),  # over-50s from 21% to ~57% of rows
    ("covariate", 2.0),  # to ~35%
    ("prior", 3.0),  # >50K from 24% to ~48%
    ("prior", 1.5),  # to ~32%
    ("concept", 0.3),  # 30% of women's labels flipped
    ("noise", 0.054),  # 5.4% of labels flipped: accuracy about 4 points lower
    ("older", 2),  # every age 2 years higher
    ("married", 0.10),  # 10 more points of never-married
]


@pytest.mark.parametrize(("shift", "strength"), SHIFTS)
def test_power_at_stated_shifts(monitored, cfg, shift, strength):
    """From a fresh detector: the share of single batches that alert, and batches until an alert."""
    rng = np.random.default_rng(7)
    weights = weights_for(shift, monitored["test"], strength, cfg)
    cells = {
        "concept": "concept_cells",
        "noise": "noise_cells",
        "older": "older_cells",
        "married": "married_cells",
    }.get(shift, "cells")

    def batches():
        for _ in range(10):
            rows = batch_rows(rng, len(monitored["test"]), weights)
            yield judge(monitored, rows, cfg.monitor, cfg, cells=cells)

    delays = [first_alert(batches(), cfg.monitor.alert) for _ in range(20)]
    first = np.mean([d == 1 for d in delays])
    within = np.mean([d is not None for d in delays])
    found = [d for d in delays if d is not None]
    mean_delay = f"{np.mean(found):.1f}" if found else "–"
    figure(
        f"monitor power, {shift} x{strength}",
        f"first batch alerts in {first:.0%} of 20 sequences; alert within 10 batches "
        f"{within:.0%}, mean delay {mean_delay} batches",
    )
    if (shift, strength) in (("covariate", 5.0), ("concept", 0.3)):
        assert first >= 0.9  # the example batches' strong shifts: caught at once
    if shift == "noise":  # 4 points of accuracy against a 3-point max_drop, with labels
        assert first >= 0.9
    if (shift, strength) == ("prior", 3.0):
        # The scores' PSI is about 0.12, just over monitor.min_psi: one batch of 2,000 rows
        # cannot tell it from 0.1, two or three can (with labels, the first batch alerts).
        assert within == 1.0
    if (shift, strength) in (("covariate", 2.0), ("prior", 1.5), ("older", 2), ("married", 0.1)):
        # PSI under the floor: not a shift that matters, never an alert (check --current, which
        # has no floor, catches the mild two in 97.5% and 100% of 2,000-row batches).
        assert within <= 0.1


def test_concept_shift_needs_labels(monitored, cfg):
    rng = np.random.default_rng(3)
    rows = batch_rows(rng, len(monitored["test"]), None)
    blind = judge(monitored, rows, cfg.monitor, cfg, cells="concept_cells", labelled=False)
    seen = judge(monitored, rows, cfg.monitor, cfg, cells="concept_cells", labelled=True)
    assert apply_policy(blind["run_p_value"], 1.0, cfg=cfg.monitor.alert)["alert"] is False
    assert seen["tests"]["concept_drift"]["status"] == "signal"


@pytest.mark.parametrize(
    ("shift", "strength"), [("uniform", 1.0), ("covariate", 5.0), ("prior", 3.0)]
)
def test_label_free_estimate_error(monitored, cfg, shift, strength):
    """The estimate without labels against the realized value on the same rows."""
    rng = np.random.default_rng(11)
    weights = weights_for(shift, monitored["test"], strength, cfg)
    errors: dict[str, list[float]] = {"roc_auc": [], "accuracy": []}
    covered: dict[str, list[bool]] = {"roc_auc": [], "accuracy": []}
    for _ in range(50):
        judged = judge(
            monitored, batch_rows(rng, len(monitored["test"]), weights), cfg.monitor, cfg
        )
        estimated = judged["tests"]["estimated_performance"]["metrics"]
        realized = judged["tests"]["realized_performance"]["metrics"]
        for name in errors:
            value = realized[name]["value"]
            errors[name].append(abs(estimated[name]["estimate"] - value))
            covered[name].append(estimated[name]["low"] <= value <= estimated[name]["high"])
    level = cfg.monitor.performance.confidence
    figure(
        f"monitor label-free estimate, {shift}",
        ", ".join(
            f"{name} MAE {np.mean(errors[name]):.4f}, {level:.0%} interval covers "
            f"{np.mean(covered[name]):.0%}"
            for name in errors
        ),
    )
    if shift == "uniform":
        assert max(np.mean(e) for e in errors.values()) <= 0.015


@pytest.mark.parametrize("rows", [500, 2000])
def test_a_persistent_shift_just_above_the_floor_gathers_evidence(monitored, cfg, rows):
    """Over-50s 2.5 times as likely: the age PSI sits just above monitor.min_psi.

    With the p-value set to 1 under the floor (before 2026-12), such a shift alerted only on a
    batch whose PSI came out high by chance, and less often in larger batches. With the
    minimum-effect test every batch adds evidence: an alert comes within 20 batches, sooner in
    larger ones.
    """
    rng = np.random.default_rng(11)
    weights = weights_for("covariate", monitored["test"], 2.5, cfg)
    p = weights / weights.sum()
    psis = []

    def batches():
        for _ in range(20):
            picked = rng.choice(len(monitored["test"]), size=rows, replace=False, p=p)
            summary = summarise_rows(monitored["cells"], picked)
            judged = judge_batch(
                summary, monitored["fingerprint"], cfg=cfg.monitor, fairness=None, labelled=False
            )
            psis.append(judged["tests"]["data_drift"]["features"]["age"]["psi"])
            yield judged

    delays = [first_alert(batches(), cfg.monitor.alert) for _ in range(10)]
    found = [d for d in delays if d is not None]
    figure(
        f"monitor, over-50s x2.5 in {rows}-row batches (age PSI {np.mean(psis):.3f}, floor "
        f"{cfg.monitor.min_psi})",
        f"alert within 20 batches in {len(found)} of 10 sequences, mean delay "
        f"{np.mean(found) if found else float('nan'):.1f} batches",
    )
    assert len(found) >= 7
    if rows == 2000:
        assert max(found) <= 10
