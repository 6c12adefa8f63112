"""The drift tests on a batch's counts: per feature, the model's errors, and the scores.

Each drift test's p-value is the larger of its own test's (KS, chi-squared: "nothing changed") and
a minimum-effect test's ("the PSI is at most ``monitor.min_psi``",
:func:`mlgate.stats.two_sample.psi_above_floor_p_value`): a million-row batch does not alert on a
shift nobody would act on, and a persistent shift just above the floor gathers evidence batch
after batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlgate.config.monitor import MonitorConfig
from mlgate.monitor.outcome import skip, status
from mlgate.monitor.summary import BatchSummary
from mlgate.stats.binned import binned_ks, coarse_groups, merge_bins, simes_p_value
from mlgate.stats.two_sample import (
    adjust_p_values,
    chi_squared_two_sample,
    population_stability_index,
    psi_above_floor_p_value,
)

#: PSI is measured over this many bins of equal reference share.
PSI_BINS = 10


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


def binned_drift(reference: np.ndarray, current: np.ndarray, cfg: MonitorConfig) -> dict:
    """One binned distribution (the model's errors, or its scores) against the reference's."""
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
