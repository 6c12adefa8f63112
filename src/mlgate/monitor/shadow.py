"""A challenger scored beside the monitored model on the same batch: shadow deployment, offline.

Every row is scored by both; the summary keeps, per row, both models' score bins and the label
(``shadow``), and with labels each group's label and both decisions (``shadow_group:<feature>``).
Without labels the comparison says how often the two decide alike and how their positive rates
differ. With labels it adds the paired difference in accuracy and ROC AUC, with a Poisson
bootstrap over the shared rows (a row's cell carries both models' outcomes, so the resampling is
paired), McNemar's exact test both ways, and each model's equalized-odds difference per
sensitive feature. It informs a decision; it never raises an alert.

Rows the challenger was trained on (:mod:`.training_rows`) flatter it: they are left out, the
comparison is on the others, and ``training_overlap`` and a ``warning`` say how many were left
out. When its training rows could not be read, nothing can be left out: it is then not judged on
labels (a skip with the reason, and the warning).
"""

from __future__ import annotations

import numpy as np

from mlgate.config.checks.fairness import GroupParityConfig
from mlgate.config.monitor import MonitorConfig
from mlgate.monitor.outcome import skip
from mlgate.monitor.performance import interval, rounded
from mlgate.monitor.summary import BatchSummary
from mlgate.monitor.training_rows import TrainedRows
from mlgate.stats.cbpe import metrics_from_counts
from mlgate.stats.group_rates import ConfusionCounts, disparities, group_metrics
from mlgate.stats.paired import mcnemar_from_counts

#: Compared metrics, in report order.
COMPARED = ("roc_auc", "accuracy")


def compare_shadow(
    summary: BatchSummary,
    fingerprint: dict,
    *,
    cfg: MonitorConfig,
    fairness: GroupParityConfig | None,
    labelled: bool,
    rng: np.random.Generator,
    trained_rows: TrainedRows,
) -> dict:
    """The challenger against the monitored model on the batch's rows (see the module)."""
    positive = np.asarray(fingerprint["scores"]["predicted_positive"], dtype=bool)
    width = len(positive)
    joint = summary.counts["shadow"].reshape(width, width, 2)  # model's bin, challenger's, label
    rows = int(joint.sum())
    overlap, refusal = _training_overlap(summary, trained_rows, compared=rows)
    if rows == 0:
        reason = "the batch has no rows"
        if overlap["training_overlap"]["rows"]:
            reason = "every row of the batch is one the challenger was trained on"
        return {"rows": 0} | overlap | skip(reason)
    both = joint.sum(axis=2)
    same = positive[:, np.newaxis] == positive[np.newaxis, :]
    record = {
        "rows": rows,
        "decision_agreement": round(float(both[same].sum() / rows), 6),
        "positive_rate": {
            "model": round(float(both[positive, :].sum() / rows), 6),
            "challenger": round(float(both[:, positive].sum() / rows), 6),
        },
    }
    record |= overlap
    if not labelled:
        return record
    if refusal is not None:
        return record | skip(refusal)
    negatives, positives = joint[..., 0], joint[..., 1]
    if positives.sum() in (0, rows):
        return record | skip("the batch's labels hold one class only")
    record["metrics"] = _paired_metrics(joint, positive, cfg=cfg, rng=rng)
    # McNemar from the discordant rows: cells where exactly one model decided right.
    model_right = np.where(positive[:, None], positives, negatives)  # summed over the label below
    challenger_right = np.where(positive[None, :], positives, negatives)
    model_only = model_right * ~same
    challenger_only = challenger_right * ~same
    worse = mcnemar_from_counts(int(model_only.sum()), int(challenger_only.sum()))
    better = mcnemar_from_counts(int(challenger_only.sum()), int(model_only.sum()))
    record["mcnemar"] = {
        "challenger_only_right": int(challenger_only.sum()),
        "model_only_right": int(model_only.sum()),
        "p_challenger_less_accurate": worse.p_value,
        "p_challenger_more_accurate": better.p_value,
    }
    record["fairness"] = _fairness(summary, fingerprint["groups"], fairness)
    return record


def _training_overlap(
    summary: BatchSummary, trained_rows: TrainedRows, *, compared: int
) -> tuple[dict, str | None]:
    """``training_overlap`` (and a ``warning``) for the record; why labels may not judge, if so.

    ``compared`` rows are those left once the rows the challenger was trained on are taken out.
    """
    seen = summary.counts.get("shadow_trained")
    if seen is None:
        reason = trained_rows.reason or "its training rows were not looked for in the batch"
        warning = (
            f"whether the challenger was trained on these rows could not be checked ({reason}): "
            "on rows it was trained on it looks better than it is"
        )
        refusal = f"{warning}; not compared on labels until they can be read"
        return {"training_overlap": {"rows": None, "reason": reason}, "warning": warning}, refusal
    left_out = int(seen[1])
    total = left_out + compared
    overlap = {
        "training_overlap": {
            "rows": left_out,
            "share": round(left_out / total, 6) if total else 0.0,
            "source": trained_rows.source,
        }
    }
    if left_out == 0:
        return overlap, None
    outcome = (
        f"so they are left out and the comparison is on the other {compared:,}"
        if compared
        else "so it is not compared on this batch"
    )
    warning = (
        f"{left_out:,} of the {total:,} rows ({left_out / total:.1%}) are rows the challenger "
        f"was trained on (the same values in its input columns as a row of "
        f"{trained_rows.source}): on them it looks better than it is, {outcome}"
    )
    return overlap | {"warning": warning}, None


def _paired_metrics(
    joint: np.ndarray, positive: np.ndarray, *, cfg: MonitorConfig, rng: np.random.Generator
) -> dict:
    cells = np.flatnonzero(joint)
    model_bin, challenger_bin, label = np.unravel_index(cells, joint.shape)
    width = joint.shape[0]

    def metrics(counts: np.ndarray) -> tuple[dict, dict]:
        # Marginal counts per bin for each model, from the joint cells' counts.
        out = []
        for bins in (model_bin, challenger_bin):
            rows = np.bincount(bins, weights=counts, minlength=width)
            pos = np.bincount(bins, weights=counts * label, minlength=width)
            out.append(metrics_from_counts(pos, rows, positive))
        return out[0], out[1]

    observed_model, observed_challenger = metrics(joint.ravel()[cells].astype(float))
    differences: dict[str, list[float]] = {name: [] for name in COMPARED}
    for _ in range(cfg.draws):
        model, challenger = metrics(rng.poisson(joint.ravel()[cells]).astype(float))
        for name in COMPARED:
            differences[name].append(float(challenger[name] - model[name]))
    out = {}
    for name in COMPARED:
        difference = float(observed_challenger[name] - observed_model[name])
        low, high = interval(np.array(differences[name]), cfg)
        verdict = "no clear difference"  # also when the interval is undefined (None)
        if low is not None and low > 0:
            verdict = "better"
        elif high is not None and high < 0:
            verdict = "worse"
        out[name] = {
            "model": rounded(observed_model[name]),
            "challenger": rounded(observed_challenger[name]),
            "difference": rounded(difference),
            "low": low,
            "high": high,
            "challenger_is": verdict,
        }
    return out


def _fairness(
    summary: BatchSummary, groups: dict[str, list[str]], fairness: GroupParityConfig | None
) -> dict:
    """Each model's equalized-odds difference over groups large enough to judge."""
    if fairness is None:
        return skip("checks.fairness.group_parity is not configured")
    out = {}
    for feature in groups:
        limit = fairness.limits.get(feature)
        if limit is None or limit.max_equalized_odds_difference is None:
            continue
        cells = summary.counts[f"shadow_group:{feature}"].reshape(-1, 2, 2, 2)  # y, model, chal
        sizes = cells.sum(axis=(1, 2, 3))
        kept = (sizes >= fairness.min_group_size) & (cells[:, 1].sum(axis=(1, 2)) > 0)
        kept &= cells[:, 0].sum(axis=(1, 2)) > 0
        if kept.sum() < 2:
            out[feature] = skip(f"fewer than two groups of {fairness.min_group_size}+ rows")
            continue
        values = {}
        # Each model's decisions: the other model's axis summed out, leaving (group, y, decision).
        for name, other_axis in (("model", 3), ("challenger", 2)):
            decided = cells[kept].sum(axis=other_axis)
            counts = ConfusionCounts(
                tp=decided[:, 1, 1], fp=decided[:, 0, 1], fn=decided[:, 1, 0], tn=decided[:, 0, 0]
            )
            eod = disparities(group_metrics(counts))["equalized_odds_difference"]
            values[name] = rounded(eod)
        out[feature] = values | {"limit": limit.max_equalized_odds_difference}
    return out
