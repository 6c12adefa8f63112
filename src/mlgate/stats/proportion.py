"""One-sided bounds of a share counted on a sample: how a rate check judges a small batch.

A rate limit compared with the observed share fails clean small batches by chance: one missing
value in ten rows is 10%. The data checks compare the limit with the share's one-sided bound
instead (Wilson's score interval, which stays inside [0, 1] and is accurate at a handful of
rows): a share over its maximum fails only when its lower bound is over it too. With zero
tolerance (a maximum of 0) a single row still fails, since its lower bound is above 0.
"""

from __future__ import annotations

#: The one-sided level of each bound (a two-sided 90% interval's ends).
ALPHA = 0.05


def confidence_words(alpha: float) -> str:
    """How a summary names a one-sided bound at ``alpha``: ``95%``, ``99.4%``."""
    return f"{1 - alpha:.1%}".replace(".0%", "%")


def lower_bound(successes: int, trials: int, *, alpha: float = ALPHA) -> float:
    """The one-sided ``1 - alpha`` lower bound of ``successes / trials`` (Wilson)."""
    return _interval(successes, trials, alpha)[0]


def upper_bound(successes: int, trials: int, *, alpha: float = ALPHA) -> float:
    """The one-sided ``1 - alpha`` upper bound of ``successes / trials`` (Wilson)."""
    return _interval(successes, trials, alpha)[1]


def _interval(successes: int, trials: int, alpha: float) -> tuple[float, float]:
    from scipy.stats import binomtest

    if trials <= 0:
        raise ValueError("a share needs at least one trial")
    interval = binomtest(int(successes), int(trials)).proportion_ci(
        confidence_level=1 - 2 * alpha, method="wilson"
    )
    # Wilson's bounds can stray a rounding error outside the observed share's side.
    share = successes / trials
    return min(float(interval.low), share), max(float(interval.high), share)
