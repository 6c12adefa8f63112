"""Judge a batch's summary against the fingerprint: one record per test, and the run's p-value.

Each test answers with a p-value for "nothing changed that matters" and a status: ``pass``,
``signal`` (its p-value is at or below ``monitor.signal_level``) or ``skip`` with the reason. A
change matters when it is both significant and larger than ``monitor.min_psi``: each drift
test's p-value is the larger of its own test's (KS, chi-squared: "nothing changed") and a
minimum-effect test's ("the PSI is at most min_psi",
:func:`mlgate.stats.two_sample.psi_above_floor_p_value`). A million-row batch does not alert
on a shift nobody would act on, and a persistent shift just above the floor gathers evidence
batch after batch (a p-value set to 1 under the floor, as before, stopped it from gathering).

The run's p-value is Bonferroni over the tests that judged (``min(1, m·min p)``); the alert policy
(:mod:`mlgate.monitor.policy`) turns the sequence of run p-values into alerts.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlgate.config.checks.fairness import GroupParityConfig
from mlgate.config.monitor import MonitorConfig
from mlgate.monitor.fairness import fairness_on_batch
from mlgate.monitor.outcome import skip, status
from mlgate.monitor.performance import (
    concept_drift,
    estimated_performance,
    realized_performance,
    simulated_metrics,
)
from mlgate.monitor.summary import BatchSummary
from mlgate.stats.binned import binned_ks, coarse_groups, merge_bins, simes_p_value
from mlgate.stats.two_sample import (
    adjust_p_values,
    chi_squared_two_sample,
    population_stability_index,
    psi_above_floor_p_value,
)

#: Tests that need labels.
LABELLED_TESTS = ("realized_performance", "concept_drift", "fairness")

#: PSI is measured over this many bins of equal reference share.
PSI_BINS = 10


def judge_batch(
    summary: BatchSummary,
    fingerprint: dict,
    *,
    cfg: MonitorConfig,
    fairness: GroupParityConfig | None,
    labelled: bool,
) -> dict:
    """Every test on one batch, and the run's combined p-value.

    Parameters
    ----------
    summary : BatchSummary
        The batch's counts over the fingerprint's bins.
    fingerprint : dict
        ``models/fingerprint.json``.
    cfg : MonitorConfig
        Levels, tolerances, draws and seed.
    fairness : GroupParityConfig or None
        The fairness limits the gate applies (``checks.fairness.group_parity``), if configured.
    labelled : bool
        Judge the labelled tests (the batch's labels were asked for and are all present).

    Returns
    -------
    dict
        ``tests``: name -> record; ``run_p_value``; ``judged``: the tests that did not skip.
    """
    if summary.rows < cfg.min_rows:
        reason = f"the batch has {summary.rows} rows, fewer than monitor.min_rows ({cfg.min_rows})"
        names = ("data_drift", "multivariate_drift", "prediction_drift", "estimated_performance")
        tests = {name: skip(reason) for name in names + (LABELLED_TESTS if labelled else ())}
    else:
        rng = np.random.default_rng(cfg.seed)
        scores = fingerprint["scores"]
        simulated = simulated_metrics(summary, scores, cfg=cfg, rng=rng)
        tests = {
            "data_drift": data_drift(summary, fingerprint["features"], cfg=cfg),
            "multivariate_drift": _binned_drift(
                np.asarray(fingerprint["multivariate"]["error_counts"]),
                summary.counts["errors"],
                cfg,
            ),
            "prediction_drift": _binned_drift(
                np.asarray(scores["counts"]), summary.counts["scores"], cfg
            ),
            "estimated_performance": estimated_performance(simulated, scores, cfg=cfg),
        }
        if labelled:
            tests |= {
                "realized_performance": realized_performance(summary, scores, cfg=cfg, rng=rng),
                "concept_drift": concept_drift(summary, scores, simulated, cfg=cfg),
                "fairness": fairness_on_batch(
                    summary,
                    fingerprint["groups"],
                    fairness,
                    reference_rates=fingerprint["group_rates"],
                    cfg=cfg,
                    rng=rng,
                ),
            }
    judged = [name for name, test in tests.items() if test["status"] != "skip"]
    smallest = min((tests[name]["p_value"] for name in judged), default=1.0)
    run_p = min(1.0, len(judged) * smallest) if judged else None
    return {"tests": tests, "judged": judged, "run_p_value": run_p}


def _psi(
    reference: np.ndarray, current: np.ndarray, *, categorical: bool, cfg: MonitorConfig
) -> tuple[float, float]:
    """PSI, and the p-value of "PSI at most ``monitor.min_psi``" over the same bins."""
    if not categorical:
        groups = coarse_groups(reference, groups=PSI_BINS)
        reference, current = merge_bins(reference, groups), merge_bins(current, groups)
    return (
        population_stability_index(reference, current),
        psi_above_floor_p_value(reference, current, floor=cfg.min_psi),
    )


def data_drift(summary: BatchSummary, features: dict, *, cfg: MonitorConfig) -> dict:
    """Per feature: binned KS (numeric) or chi-squared (categorical), PSI; BH across features."""
    records: dict[str, dict[str, Any]] = {}
    for name, reference in features.items():
        current = summary.counts[f"feature:{name}"]
        if current.sum() == 0:
            records[name] = skip("no value in the batch")
            continue
        categorical = reference["kind"] == "categorical"
        ref_counts = np.asarray(reference["counts"])
        test = chi_squared_two_sample if categorical else binned_ks
        outcome = test(ref_counts, current)
        psi, above_floor = _psi(ref_counts, current, categorical=categorical, cfg=cfg)
        records[name] = {
            "test": "chi2" if categorical else "ks",
            "statistic": round(outcome.statistic, 6),
            "p_value": outcome.p_value,
            "psi": round(psi, 6),
            "psi_above_floor_p_value": above_floor,
            "judged_p_value": max(outcome.p_value, above_floor),
        }
    judged = [name for name, record in records.items() if "judged_p_value" in record]
    if not judged:
        return skip("no feature has a value in the batch") | {"features": records}
    adjusted = adjust_p_values(
        np.array([records[n]["judged_p_value"] for n in judged]), method="fdr_bh"
    )
    for name, value in zip(judged, adjusted, strict=True):
        records[name]["p_adjusted"] = float(value)
        records[name]["drifted"] = bool(value <= cfg.signal_level)
    p_value = simes_p_value(np.array([records[n]["judged_p_value"] for n in judged]))
    drifted = [name for name in judged if records[name]["drifted"]]
    return {
        "status": status(p_value, cfg),
        "p_value": p_value,
        "drifted": drifted,
        "features": records,
    }


def _binned_drift(reference: np.ndarray, current: np.ndarray, cfg: MonitorConfig) -> dict:
    outcome = binned_ks(reference, current)
    psi, above_floor = _psi(reference, current, categorical=False, cfg=cfg)
    p_value = max(outcome.p_value, above_floor)
    return {
        "status": status(p_value, cfg),
        "p_value": p_value,
        "ks_statistic": round(outcome.statistic, 6),
        "ks_p_value": outcome.p_value,
        "psi": round(psi, 6),
        "psi_above_floor_p_value": above_floor,
    }
