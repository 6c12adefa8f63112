"""What ``mlgate init`` proposes about target leakage: the columns to keep out of the inputs.

The same statistics as the ``data.target_leakage`` check (:mod:`mlgate.data.target_leakage`),
with the same params, on the whole table init reads: a column flagged there would fail the gate
on the first ``dvc repro``, so init leaves it out of the inputs, puts it on the deny-list, and
says why with the statistic. Names that only hint at post-outcome information are listed for a
person to review; they are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mlgate.config.checks.data import TargetLeakageConfig
from mlgate.data.target_leakage import leak_signs, measure_inputs, too_little_data

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class LeakageProposal:
    """Columns to leave out (column -> why, with the statistic), hints, or why none was judged."""

    flagged: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    not_judged: str | None = None


def propose_leakage(
    frame: pd.DataFrame,
    *,
    target: str,
    positive_label: str,
    columns: tuple[str, ...],
    cfg: TargetLeakageConfig,
) -> LeakageProposal:
    """Measure each of ``columns`` against the target on the rows that have one.

    ``frame`` holds numeric columns as numbers and the others as text; rows without a target
    value are left out, as ingest drops them.
    """
    import numpy as np

    labelled = frame[frame[target].notna()].reset_index(drop=True)
    y = (labelled[target].str.strip() == positive_label).to_numpy(dtype=np.int64)
    reason = too_little_data(
        y, min_samples=cfg.min_samples, min_class_rows=cfg.min_class_rows, n_folds=cfg.n_folds
    )
    if reason:
        return LeakageProposal(not_judged=reason)
    limit, suspect = cfg.max_single_feature_auc, cfg.max_suspect_feature_auc
    measured = measure_inputs(
        labelled,
        y,
        columns=columns,
        target=target,
        cfg=cfg,
    )
    flagged = {
        column: f"{', '.join(s.describe() for s in above)}; lower bound above "
        f"{limit if any(s.low > limit for s in above) else suspect}"
        + (f"; {m.hint}" if m.hint else "")
        for column, m in measured.items()
        if (above := leak_signs(m, limit, suspect=suspect))
    }
    hints = {c: m.hint for c, m in measured.items() if m.hint and c not in flagged}
    return LeakageProposal(flagged=flagged, hints=hints)


def deny_leaking_columns(data_checks: dict, proposal: LeakageProposal) -> list[str]:
    """Deny the flagged columns in ``checks.data`` (edited in place); what a person should review.

    The old table's ``allow`` is cleared: it named that table's columns.
    """
    notes = []
    if "target_leakage" in data_checks:
        data_checks["target_leakage"]["allow"] = {}
    if proposal.flagged:
        data_checks.setdefault("denied_inputs", {})["columns"] = sorted(proposal.flagged)
        notes.append(
            f"checks.data.denied_inputs.columns: {sorted(proposal.flagged)} (target leakage, "
            "see above); if one is known before the outcome, make it an input again and list "
            "it, with the reason, under checks.data.target_leakage.allow"
        )
    notes += [f"{column}: kept as an input, but {hint}" for column, hint in proposal.hints.items()]
    if proposal.not_judged:
        notes.append(f"target leakage not looked for: {proposal.not_judged}")
    return notes
