"""robustness.inputs: odd but possible inputs never crash the model or give a non-finite score.

Hypothesis draws batches of rows from the declared schema: numeric values that are missing,
zero, negative, huge, or on the boundary of what training saw; categories that are missing,
known, or never seen (empty, long, unicode). Every batch must score without an exception, and
every score must be a finite probability. The search is derandomised (the same examples every
run) and bounded by ``max_examples``. Hypothesis' own shrinking is switched off (it can take a
minute of predictions); instead the failing batch is cut down to its first offending row.
"""

from __future__ import annotations

from typing import Any, TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
)
from mlgate.checks.context import Need
from mlgate.config.checks.robustness import InputsConfig
from mlgate.data.redaction import withheld_inputs

CHECK_ID = "robustness.inputs"
TITLE = "Odd inputs score cleanly"


class InputsDetails(TypedDict, total=False):
    """``details`` of ``robustness.inputs``."""

    example: list[dict[str, Any]]  # on a fail: the batch that broke the model


@register(CHECK_ID, title=TITLE, config=InputsConfig, needs=(Need.MODEL,), details=InputsDetails)
def check_inputs(ctx: CheckContext, cfg: InputsConfig) -> CheckResult:
    """Fail with the smallest offending batch hypothesis finds, if it finds one."""
    import numpy as np
    import pandas as pd
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    data = ctx.data
    columns = {}
    # A failing batch is quoted in the evidence: never with a withheld column's real values.
    hidden = withheld_inputs(ctx.reference, data)
    for column in data.numeric:
        seen = ctx.reference[column].dropna()
        known = len(seen) and column not in hidden
        low, high = (float(seen.min()), float(seen.max())) if known else (0.0, 1.0)
        columns[column] = st.one_of(
            st.just(np.nan),
            st.sampled_from([low, high, 0.0, -1.0, low - 1, high + 1]),
            st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False),
        )
    for column in data.categorical:
        known = (
            [] if column in hidden else sorted(map(str, ctx.reference[column].dropna().unique()))
        )
        known = known[:50]
        columns[column] = st.one_of(
            st.none(),
            st.sampled_from(known or ["?"]),
            st.text(max_size=30),
        )
    rows = st.fixed_dictionaries(columns)
    batches = st.lists(rows, min_size=1, max_size=cfg.rows_per_example)
    offending: dict = {}

    @settings(
        phases=[Phase.explicit, Phase.generate],
        max_examples=cfg.max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(batches)
    def scores_cleanly(batch):
        frame = pd.DataFrame(batch, columns=list(columns))
        for column in data.numeric:
            frame[column] = frame[column].astype("float64")
        try:
            scores = ctx.model.predict_proba(frame)[:, 1]
        except Exception as exc:
            offending.update(batch=batch, problem=f"{type(exc).__name__}: {exc}")
            raise
        bad = ~np.isfinite(scores) | (scores < 0) | (scores > 1)
        if bad.any():
            offending.update(batch=batch, problem=f"score {scores[bad][0]!r} is not a probability")
            raise AssertionError(offending["problem"])

    try:
        scores_cleanly()
    except Exception:
        offending.update(
            _first_offending_row(offending["batch"], scores_cleanly.hypothesis.inner_test)
        )
        return result(
            CHECK_ID,
            TITLE,
            Status.FAIL,
            f"An odd input broke the model: {offending.get('problem', 'unknown')} "
            f"(smallest batch: {len(offending.get('batch', []))} rows).",
            value=1,
            threshold=0,
            details={"example": _jsonable(offending.get("batch", []))},
        )
    return result(
        CHECK_ID,
        TITLE,
        Status.PASS,
        f"{cfg.max_examples} batches of up to {cfg.rows_per_example} odd rows (missing, extreme, "
        "boundary values; unseen categories) all scored as finite probabilities.",
        value=0,
        threshold=0,
        n=cfg.max_examples,
    )


def _first_offending_row(batch: list[dict], test) -> dict:
    """The first single row of ``batch`` that fails on its own (or the whole batch)."""
    for row in batch:
        try:
            test([row])
        except Exception:
            return {"batch": [row]}
    return {"batch": batch}


def _jsonable(batch: list[dict]) -> list[dict]:
    def plain(value):
        if isinstance(value, float) and value != value:
            return None
        return value

    return [{k: plain(v) for k, v in row.items()} for row in batch]
