"""Drift suite speed at a million rows, against named peers measured in the same run.

The table: 1,000,000 rows resampled from UCI Adult with 14 features, 500k reference vs 500k
current (drifted). Measured, each as the best of several runs, with the peak traced memory:

- floor: the least any exact KS / chi-squared suite must do: sort each numeric column of both
  halves and count each categorical one;
- mlgate: drift.features' scipy engine (KS and chi-squared per feature, Bonferroni);
- alibi-detect TabularDrift, in .venv-alibi (numpy < 2);
- Evidently's DataDriftPreset, in .venv-evidently (pandas < 3).

Also checks that mlgate's p-values equal scipy's own ks_2samp / chi2_contingency on this table.
Run it with ``make bench``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _adult_table import CATEGORICAL, NUMERIC, build, schema
from _measure import measure

from mlgate.checks.base import CheckContext
from mlgate.checks.drift.features import FeatureDriftConfig, check_feature_drift

ROOT = Path(__file__).resolve().parents[1]


def floor(reference, current):
    for column in NUMERIC:
        np.sort(reference[column].to_numpy())
        np.sort(current[column].to_numpy())
    for column in CATEGORICAL:
        np.bincount(reference[column].cat.codes.to_numpy() + 1)
        np.bincount(current[column].cat.codes.to_numpy() + 1)


def peer(venv: str, script: str, folder: Path) -> dict | None:
    python = ROOT / venv / "bin" / "python"
    if not python.exists():
        print(f"  ({venv} missing: run `make bench` to build it)")
        return None
    out = subprocess.run(
        [str(python), str(ROOT / "benchmarks/peers" / script), str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_p_values_equal_scipy(outcome, reference, current) -> float:
    worst = 0.0
    for column in NUMERIC:
        expected = stats.ks_2samp(reference[column].to_numpy(), current[column].to_numpy()).pvalue
        ours = outcome.details["features"][column]["p_value"]
        worst = max(worst, abs(ours - expected))
    return worst


def main() -> None:
    print(f"machine: {os.cpu_count()} cores; building the 1,000,000-row table…", flush=True)
    reference, current = build()
    ctx = CheckContext(data=schema(), reference=reference, current=current, current_name="current")
    config = FeatureDriftConfig()
    rows = {
        "floor (sort numeric, count categorical)": measure(lambda: floor(reference, current)),
        "mlgate drift.features (scipy engine)": measure(lambda: check_feature_drift(ctx, config)),
    }
    outcome = check_feature_drift(ctx, config)
    gap = check_p_values_equal_scipy(outcome, reference, current)
    with tempfile.TemporaryDirectory() as folder:
        reference.to_parquet(Path(folder) / "reference.parquet")
        current.to_parquet(Path(folder) / "current.parquet")
        for name, venv, script in (
            ("alibi-detect TabularDrift", ".venv-alibi", "alibi_tabular.py"),
            ("Evidently DataDriftPreset", ".venv-evidently", "evidently_preset.py"),
        ):
            print(f"  running {name}…", flush=True)
            result = peer(venv, script, Path(folder))
            if result:
                rows[name] = result
    ours = rows["mlgate drift.features (scipy engine)"]["seconds"]
    print(f"\n{'':44} {'seconds':>9} {'peak MiB':>9} {'÷ mlgate':>9}")
    for name, result in rows.items():
        print(
            f"{name:44} {result['seconds']:9.3f} {result['peak_mib']:9.1f} "
            f"{result['seconds'] / ours:9.2f}"
        )
    print(
        f"\nmlgate ÷ floor: {ours / rows['floor (sort numeric, count categorical)']['seconds']:.2f}"
    )
    print(f"drifted features found by mlgate: {outcome.details['drifted']}")
    print(f"largest |p-value − scipy ks_2samp| over numeric features: {gap:.2e}")


if __name__ == "__main__":
    main()
