"""Judge a batch's summary against the fingerprint: one record per test, and the run's p-value.

Each test answers with a p-value for "nothing changed that matters" and a status: ``pass``,
``signal`` (its p-value is at or below ``monitor.signal_level``) or ``skip`` with the reason. A
change matters when it is both significant and large: a feature whose PSI stays under
``monitor.min_psi`` gets p-value 1 whatever its test says (still a valid p-value, only
conservative), so a million-row batch does not alert on a shift nobody would act on.

The run's p-value is Bonferroni over the tests that judged (``min(1, m·min p)``); the alert policy
(:mod:`mlgate.monitor.policy`) turns the sequence of run p-values into alerts.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

import numpy as np

from mlgate.config.checks.fairness import GroupParityConfig
from mlgate.config.monitor import MonitorConfig
from mlgate.monitor.summary import BatchSummary
from mlgate.stats.binned import binned_ks, coarse_groups, merge_bins, simes_p_value
from mlgate.stats.cbpe import bootstrap_positives, metrics_from_counts, simulate_positives
from mlgate.stats.group_rates import ConfusionCounts, disparities, group_metrics
from mlgate.stats.two_sample import (
    adjust_p_values,
    chi_squared_two_sample,
    population_stability_index,
)

#: Tests that need labels.
LABELLED_TESTS = ("realized_performance", "concept_drift", "fairness")

#: PSI is measured over this many bins of equal reference share.
PSI_BINS = 10

_NORMAL = NormalDist()


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
        tests = {name: _skip(reason) for name in names + (LABELLED_TESTS if labelled else ())}
    else:
        rng = np.random.default_rng(cfg.seed)
        scores = fingerprint["scores"]
        simulated = _simulated_metrics(summary, scores, cfg=cfg, rng=rng)
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
                    summary, fingerprint["groups"], fairness, cfg=cfg, rng=rng
                ),
            }
    judged = [name for name, test in tests.items() if test["status"] != "skip"]
    smallest = min((tests[name]["p_value"] for name in judged), default=1.0)
    run_p = min(1.0, len(judged) * smallest) if judged else None
    return {"tests": tests, "judged": judged, "run_p_value": run_p}


def _skip(reason: str) -> dict:
    return {"status": "skip", "reason": reason}


def _status(p_value: float, cfg: MonitorConfig) -> str:
    return "signal" if p_value <= cfg.signal_level else "pass"


def _psi(reference: np.ndarray, current: np.ndarray, *, categorical: bool) -> float:
    if categorical:
        return population_stability_index(reference, current)
    groups = coarse_groups(reference, groups=PSI_BINS)
    return population_stability_index(merge_bins(reference, groups), merge_bins(current, groups))


def data_drift(summary: BatchSummary, features: dict, *, cfg: MonitorConfig) -> dict:
    """Per feature: binned KS (numeric) or chi-squared (categorical), PSI; BH across features."""
    records: dict[str, dict[str, Any]] = {}
    for name, reference in features.items():
        current = summary.counts[f"feature:{name}"]
        if current.sum() == 0:
            records[name] = _skip("no value in the batch")
            continue
        categorical = reference["kind"] == "categorical"
        ref_counts = np.asarray(reference["counts"])
        test = chi_squared_two_sample if categorical else binned_ks
        outcome = test(ref_counts, current)
        psi = _psi(ref_counts, current, categorical=categorical)
        records[name] = {
            "test": "chi2" if categorical else "ks",
            "statistic": round(outcome.statistic, 6),
            "p_value": outcome.p_value,
            "psi": round(psi, 6),
            "judged_p_value": outcome.p_value if psi >= cfg.min_psi else 1.0,
        }
    judged = [name for name, record in records.items() if "judged_p_value" in record]
    if not judged:
        return _skip("no feature has a value in the batch") | {"features": records}
    adjusted = adjust_p_values(
        np.array([records[n]["judged_p_value"] for n in judged]), method="fdr_bh"
    )
    for name, value in zip(judged, adjusted, strict=True):
        records[name]["p_adjusted"] = float(value)
        records[name]["drifted"] = bool(value <= cfg.signal_level)
    p_value = simes_p_value(np.array([records[n]["judged_p_value"] for n in judged]))
    drifted = [name for name in judged if records[name]["drifted"]]
    return {
        "status": _status(p_value, cfg),
        "p_value": p_value,
        "drifted": drifted,
        "features": records,
    }


def _binned_drift(reference: np.ndarray, current: np.ndarray, cfg: MonitorConfig) -> dict:
    outcome = binned_ks(reference, current)
    psi = _psi(reference, current, categorical=False)
    p_value = outcome.p_value if psi >= cfg.min_psi else 1.0
    return {
        "status": _status(p_value, cfg),
        "p_value": p_value,
        "ks_statistic": round(outcome.statistic, 6),
        "ks_p_value": outcome.p_value,
        "psi": round(psi, 6),
    }


def _simulated_metrics(
    summary: BatchSummary, scores: dict, *, cfg: MonitorConfig, rng: np.random.Generator
) -> dict:
    counts = summary.counts["scores"]
    probabilities = np.asarray(scores["probabilities"], dtype=float)
    positive = np.asarray(scores["predicted_positive"], dtype=bool)
    draws = simulate_positives(counts, probabilities, draws=cfg.draws, rng=rng)
    expected = metrics_from_counts(counts * probabilities[0], counts, positive)
    return {"expected": expected, "draws": metrics_from_counts(draws, counts, positive)}


def _interval(draws: np.ndarray, cfg: MonitorConfig) -> tuple[float, float]:
    tail = (1 - cfg.performance.confidence) / 2
    low, high = np.nanquantile(draws, [tail, 1 - tail])
    return round(float(low), 6), round(float(high), 6)


def _p_above(value: float, floor: float, draws: np.ndarray) -> float:
    """One-sided p-value of "the metric is at or above ``floor``", from the draws' spread."""
    spread = float(np.nanstd(draws))
    if not np.isfinite(value) or spread == 0:
        return 1.0 if value >= floor else 0.0
    return _NORMAL.cdf((value - floor) / spread)


def estimated_performance(simulated: dict, scores: dict, *, cfg: MonitorConfig) -> dict:
    """Performance without labels, with its predictive interval, against reference − max_drop."""
    metrics = {}
    for name, max_drop in cfg.performance.max_drop.items():
        estimate = float(simulated["expected"][name])
        floor = scores["reference"][name]["value"] - max_drop
        low, high = _interval(simulated["draws"][name], cfg)
        metrics[name] = {
            "estimate": round(estimate, 6),
            "low": low,
            "high": high,
            "reference": scores["reference"][name]["value"],
            "floor": round(floor, 6),
            "p_value": _p_above(estimate, floor, simulated["draws"][name]),
        }
    return _family(metrics, cfg)


def _family(metrics: dict, cfg: MonitorConfig) -> dict:
    if not metrics:
        return _skip("monitor.performance.max_drop lists no metric")
    p_value = min(1.0, len(metrics) * min(m["p_value"] for m in metrics.values()))
    return {"status": _status(p_value, cfg), "p_value": p_value, "metrics": metrics}


def _classes_present(summary: BatchSummary) -> str | None:
    positives = int(summary.counts["positives"].sum())
    if positives == 0 or positives == summary.rows:
        return f"the batch's labels hold one class only ({positives} positives in {summary.rows})"
    return None


def realized_performance(
    summary: BatchSummary, scores: dict, *, cfg: MonitorConfig, rng: np.random.Generator
) -> dict:
    """Performance from the batch's labels, with a bootstrap interval, against the floor."""
    if (reason := _classes_present(summary)) is not None:
        return _skip(reason)
    counts, positives = summary.counts["scores"], summary.counts["positives"]
    positive = np.asarray(scores["predicted_positive"], dtype=bool)
    observed = metrics_from_counts(positives, counts, positive)
    resampled = metrics_from_counts(
        *bootstrap_positives(positives, counts, draws=cfg.draws, rng=rng), positive
    )
    metrics = {}
    for name, max_drop in cfg.performance.max_drop.items():
        floor = scores["reference"][name]["value"] - max_drop
        value = float(observed[name])
        low, high = _interval(resampled[name], cfg)
        metrics[name] = {
            "value": round(value, 6),
            "low": low,
            "high": high,
            "floor": round(floor, 6),
            "p_value": _p_above(value, floor, resampled[name]),
        }
    return _family(metrics, cfg)


def concept_drift(
    summary: BatchSummary, scores: dict, simulated: dict, *, cfg: MonitorConfig
) -> dict:
    """Realized performance against what the same scores predict (concept drift).

    The predictive draws already hold this batch's scores, so a covariate shift moves the
    expectation and the realized value together; only a change of P(label | inputs) separates them.
    """
    if (reason := _classes_present(summary)) is not None:
        return _skip(reason)
    positive = np.asarray(scores["predicted_positive"], dtype=bool)
    observed = metrics_from_counts(summary.counts["positives"], summary.counts["scores"], positive)
    metrics = {}
    for name, max_drop in cfg.performance.max_drop.items():
        expected = float(simulated["expected"][name])
        low, high = _interval(simulated["draws"][name], cfg)
        realized = float(observed[name])
        metrics[name] = {
            "realized": round(realized, 6),
            "expected": round(expected, 6),
            "low": low,
            "high": high,
            "p_value": _p_above(realized, expected - max_drop, simulated["draws"][name]),
        }
    return _family(metrics, cfg)


def fairness_on_batch(
    summary: BatchSummary,
    groups: dict[str, list[str]],
    fairness: GroupParityConfig | None,
    *,
    cfg: MonitorConfig,
    rng: np.random.Generator,
) -> dict:
    """Equalized-odds difference per sensitive feature against the gate's limit."""
    if fairness is None:
        return _skip(
            "checks.fairness.group_parity is not configured: no limit to hold the batch to"
        )
    features = {}
    for feature, names in groups.items():
        limit = fairness.limits.get(feature)
        if limit is None or limit.max_equalized_odds_difference is None:
            continue
        features[feature] = _group_parity(
            summary.counts[f"group:{feature}"],
            [*names, "(other)"],
            limit.max_equalized_odds_difference,
            min_group_size=fairness.min_group_size,
            cfg=cfg,
            rng=rng,
        )
    judged = {k: v for k, v in features.items() if v["status"] != "skip"}
    if not judged:
        reason = "no sensitive feature with an equalized-odds limit has two groups of "
        return _skip(reason + f"{fairness.min_group_size}+ rows with both labels") | {
            "features": features
        }
    p_value = min(1.0, len(judged) * min(v["p_value"] for v in judged.values()))
    return {"status": _status(p_value, cfg), "p_value": p_value, "features": features}


def _group_parity(
    cells: np.ndarray,
    names: list[str],
    limit: float,
    *,
    min_group_size: int,
    cfg: MonitorConfig,
    rng: np.random.Generator,
) -> dict:
    sizes = cells.sum(axis=1)
    # A group is judged with enough rows, and with both labels (else its TPR or FPR is undefined).
    kept = (
        (sizes >= min_group_size) & (cells[:, 2:].sum(axis=1) > 0) & (cells[:, :2].sum(axis=1) > 0)
    )
    sized = {name: int(size) for name, size in zip(names, sizes, strict=True) if size > 0}
    if kept.sum() < 2:
        return _skip(f"fewer than two groups of {min_group_size}+ rows") | {"groups": sized}
    counts = ConfusionCounts(
        tp=cells[kept, 3], fp=cells[kept, 1], fn=cells[kept, 2], tn=cells[kept, 0]
    )
    value = float(disparities(group_metrics(counts))["equalized_odds_difference"])
    resampled = disparities(group_metrics(counts.resampled(rng, cfg.draws)))[
        "equalized_odds_difference"
    ]
    spread = float(np.nanstd(resampled))
    p_value = 1.0 - _NORMAL.cdf((value - limit) / spread) if spread > 0 else float(value <= limit)
    low, high = _interval(resampled, cfg)
    return {
        "status": _status(p_value, cfg),
        "p_value": p_value,
        "equalized_odds_difference": round(value, 6),
        "low": low,
        "high": high,
        "limit": limit,
        "groups": sized,
        "judged_groups": [name for name, keep in zip(names, kept, strict=True) if keep],
    }
