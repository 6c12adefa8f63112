"""The ``alibi`` engine of drift.features: alibi-detect's ``TabularDrift``, one feature at a time.

alibi-detect is optional (``pip install 'mlgate[alibi]'``): it is licensed BSL 1.1 and pins
numpy < 2 and pandas < 3. Each feature gets its own one-column detector, so that missing values
can be dropped per numeric feature as the scipy engine does; categorical features are encoded as
integer codes (missing as a code of its own). The raw, uncorrected p-values are returned, and
drift.features applies the same multiple-testing correction as for the scipy engine.

Where the two engines' methods differ: alibi-detect always uses the asymptotic KS distribution
(scipy's exact one is used up to 10,000 rows), applies Yates' continuity correction to binary
categories, and does not pool sparse categories; elsewhere the p-values agree (a parity test in
the alibi environment pins this to 1e-6).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from mlgate.checks.drift._columns import category_counts, numeric_values
from mlgate.errors import RunError

if TYPE_CHECKING:
    from mlgate.checks.base import CheckContext


def feature_tests(ctx: CheckContext) -> dict[str, dict]:
    """Per-feature statistic and raw p-value from alibi-detect, in drift.features' format."""
    try:
        from alibi_detect.cd import TabularDrift
    except ImportError:
        raise RunError(
            "checks.drift.features.engine is 'alibi', but alibi-detect is not installed. "
            "Install the extra (pip install 'mlgate[alibi]'; see docs/how-to/alibi-engine.md) "
            "or set engine: scipy."
        ) from None

    tests: dict[str, dict] = {}
    for column in ctx.data.numeric:
        reference = numeric_values(ctx.reference[column])
        current = numeric_values(ctx.current[column])
        if len(reference) == 0 or len(current) == 0:
            tests[column] = {
                "test": "ks",
                "statistic": None,
                "p_value": None,
                "adjusted_p_value": None,
                "drifted": True,
                "reason": f"no values in {ctx.current_name}",
            }
            continue
        with warnings.catch_warnings():
            # TabularDrift warns that, without categories, a feature is taken as numerical: it is.
            warnings.filterwarnings("ignore", message="No `categories_per_feature`")
            detector = TabularDrift(reference[:, None], p_val=0.05)
        tests[column] = _outcome("ks", detector, current[:, None])
    for column in ctx.data.categorical:
        counts_ref, counts_cur, _ = category_counts(ctx.reference[column], ctx.current[column])
        reference = np.repeat(np.arange(len(counts_ref)), counts_ref).astype(np.float64)
        current = np.repeat(np.arange(len(counts_cur)), counts_cur).astype(np.float64)
        detector = TabularDrift(reference[:, None], p_val=0.05, categories_per_feature={0: None})
        tests[column] = _outcome("chi2", detector, current[:, None])
    return tests


def _outcome(test: str, detector, current: np.ndarray) -> dict:
    prediction = detector.predict(
        current, drift_type="feature", return_p_val=True, return_distance=True
    )["data"]
    return {
        "test": test,
        "statistic": float(prediction["distance"][0]),
        "p_value": float(prediction["p_val"][0]),
        "drifted": False,
    }
