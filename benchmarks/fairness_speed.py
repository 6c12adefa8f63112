"""Fairness evidence at a million rows: mlgate's count-based bootstrap vs fairlearn's MetricFrame.

Four metrics (selection rate, TPR, FPR, accuracy) by one sensitive feature (four groups) on
1,000,000 predictions. MetricFrame's point estimates are timed as they are; its bootstrap
(``n_boot``) refits every metric on every resample, so it is timed at ``n_boot=5`` and scaled to
100 (``--full`` runs all 100, about a quarter of an hour). mlgate computes the same point
estimates (a parity test pins them) and 1,000-resample intervals of every group metric and of the
four disparities. Run it with ``make bench``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import measure

from mlgate.stats.group_rates import fairness_evidence

N_ROWS = 1_000_000


def main() -> None:
    from fairlearn.metrics import (
        MetricFrame,
        false_positive_rate,
        selection_rate,
        true_positive_rate,
    )
    from sklearn.metrics import accuracy_score

    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="run MetricFrame with n_boot=100")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    groups = rng.choice(np.array(["a", "b", "c", "d"], dtype=object), N_ROWS)
    y = (rng.random(N_ROWS) < 0.24).astype(np.int64)
    pred = (rng.random(N_ROWS) < 0.2).astype(np.int64)
    metrics = {
        "selection_rate": selection_rate,
        "tpr": true_positive_rate,
        "fpr": false_positive_rate,
        "accuracy": accuracy_score,
    }

    def frame(n_boot=None):
        return MetricFrame(
            metrics=metrics,
            y_true=y,
            y_pred=pred,
            sensitive_features=groups,
            n_boot=n_boot,
            ci_quantiles=[0.025, 0.975] if n_boot else None,
            random_state=0,
        )

    print(f"machine: {os.cpu_count()} cores; {N_ROWS:,} rows, 4 groups, 4 metrics")
    point = measure(frame, repeats=1)
    boots = 100 if args.full else 5
    start = time.perf_counter()
    frame(n_boot=boots)
    boot_seconds = (time.perf_counter() - start) * 100 / boots
    ours = measure(
        lambda: fairness_evidence(y, pred, groups, n_resamples=1000, confidence=0.95, seed=0),
        repeats=3,
    )
    scaled = "" if args.full else f" (measured n_boot={boots}, scaled to 100)"
    print(f"fairlearn MetricFrame, point estimates:   {point['seconds']:8.2f} s")
    print(f"fairlearn MetricFrame, n_boot=100:        {boot_seconds:8.1f} s{scaled}")
    print(
        f"mlgate fairness_evidence, 1,000 resamples: {ours['seconds']:7.2f} s, "
        f"peak {ours['peak_mib']:.0f} MiB"
    )
    print(f"MetricFrame n_boot=100 ÷ mlgate: {boot_seconds / ours['seconds']:.0f}")


if __name__ == "__main__":
    main()
