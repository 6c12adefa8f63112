"""Fairness on a labelled batch: the equalized-odds difference against the gate's limits."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from mlgate.config.checks.fairness import GroupParityConfig
from mlgate.config.monitor import MonitorConfig
from mlgate.monitor.outcome import skip, status
from mlgate.monitor.performance import interval, rounded
from mlgate.monitor.summary import BatchSummary
from mlgate.stats.group_rates import ConfusionCounts, disparities, group_metrics

_NORMAL = NormalDist()


def fairness_on_batch(
    summary: BatchSummary,
    groups: dict[str, list[str]],
    fairness: GroupParityConfig | None,
    *,
    reference_rates: dict[str, list],
    cfg: MonitorConfig,
    rng: np.random.Generator,
) -> dict:
    """Equalized-odds difference per sensitive feature against the gate's limit.

    ``reference_rates`` are the groups' confusion cells on the validation split (the
    fingerprint's ``group_rates``): the same difference there is reported beside.
    """
    if fairness is None:
        return skip("checks.fairness.group_parity is not configured: no limit to hold the batch to")
    features = {}
    for feature, names in groups.items():
        limit = fairness.limits.get(feature)
        if limit is None or limit.max_equalized_odds_difference is None:
            continue
        reference = np.asarray(reference_rates.get(feature, []), dtype=np.int64).reshape(-1, 4)
        features[feature] = _group_parity(
            summary.counts[f"group:{feature}"],
            [*names, "(other)"],
            limit.max_equalized_odds_difference,
            reference=np.vstack([reference, np.zeros((1, 4), dtype=np.int64)]),
            min_group_size=fairness.min_group_size,
            cfg=cfg,
            rng=rng,
        )
    judged = {k: v for k, v in features.items() if v["status"] != "skip"}
    if not judged:
        reason = "no sensitive feature with an equalized-odds limit has two groups of "
        return skip(reason + f"{fairness.min_group_size}+ rows with both labels") | {
            "features": features
        }
    p_value = min(1.0, len(judged) * min(v["p_value"] for v in judged.values()))
    return {"status": status(p_value, cfg), "p_value": p_value, "features": features}


def _group_parity(
    cells: np.ndarray,
    names: list[str],
    limit: float,
    *,
    reference: np.ndarray,
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
        return skip(f"fewer than two groups of {min_group_size}+ rows") | {"groups": sized}
    counts = ConfusionCounts(
        tp=cells[kept, 3], fp=cells[kept, 1], fn=cells[kept, 2], tn=cells[kept, 0]
    )
    value = float(disparities(group_metrics(counts))["equalized_odds_difference"])
    # The same groups on the validation split: how far the batch is from what the model did.
    if len(reference) == len(cells):
        ref = reference[kept]
        ref_counts = ConfusionCounts(tp=ref[:, 3], fp=ref[:, 1], fn=ref[:, 2], tn=ref[:, 0])
        with np.errstate(divide="ignore", invalid="ignore"):
            before = float(disparities(group_metrics(ref_counts))["equalized_odds_difference"])
    else:
        before = float("nan")
    resampled = disparities(group_metrics(counts.resampled(rng, cfg.draws)))[
        "equalized_odds_difference"
    ]
    spread = float(np.nanstd(resampled))
    p_value = 1.0 - _NORMAL.cdf((value - limit) / spread) if spread > 0 else float(value <= limit)
    low, high = interval(resampled, cfg)
    return {
        "status": status(p_value, cfg),
        "p_value": p_value,
        "equalized_odds_difference": rounded(value),
        "low": low,
        "high": high,
        "limit": limit,
        "reference": rounded(before),
        "groups": sized,
        "judged_groups": [name for name, keep in zip(names, kept, strict=True) if keep],
    }
