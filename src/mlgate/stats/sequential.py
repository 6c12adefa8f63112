"""Alerting over repeated runs: an e-detector that bounds false alarms across time.

A monitor that runs every day multiplies its chances of a false alarm: at a 1 % level per run, 200
clean runs alert at least once with probability 0.87. Each run's p-value is turned into an
e-value, ``e = κ·p^(κ-1)`` (a calibrator: its expectation is at most 1 when p is uniform), and the
detector's statistic is ``M_t = e_t · max(M_{t-1}, 1)``, alerting when ``M_t ≥ 1/α`` and
starting again from 1 after an alert. This is the CUSUM-style e-detector of Shin, Ramdas and
Rinaldo ("E-detectors", 2022): without a shift, the mean number of runs to a false alarm is at
least 1/α, under any dependence between runs, so one parameter sets the false-alarm budget.
Evidence accumulates: a moderate shift that no single run proves alerts after a few runs, and a
gross one (``p ≤ (κα)^(1/(1-κ))``, 2.5e-5 at the defaults) alerts at once.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Smaller p-values are floored here: below double precision's resolution near 1, a normal tail
#: or a KS p-value says "off the scale", not a number to multiply evidence by.
MIN_P_VALUE = 1e-16


@dataclass(frozen=True)
class DetectorStep:
    """One run of the detector.

    Attributes
    ----------
    e_value : float
        This run's evidence against "no change" (1 is neutral).
    statistic : float
        ``M_t`` after this run.
    alert : bool
        Whether ``M_t`` reached the threshold ``1/α``.
    carried : float
        What the next run starts from: ``M_t``, or 1 after an alert.
    """

    e_value: float
    statistic: float
    alert: bool
    carried: float


def e_value(p_value: float, *, kappa: float) -> float:
    """The e-value ``κ·p^(κ-1)`` of a p-value floored at :data:`MIN_P_VALUE`."""
    return kappa * max(p_value, MIN_P_VALUE) ** (kappa - 1.0)


def detector_step(previous: float, p_value: float, *, kappa: float, rate: float) -> DetectorStep:
    """Advance the e-detector by one run.

    Parameters
    ----------
    previous : float
        The statistic carried from the previous run (1 for the first run).
    p_value : float
        This run's p-value: uniform or larger on clean data.
    kappa : float
        The calibrator's exponent, in (0, 1).
    rate : float
        α: the detector alerts when the statistic reaches 1/α; without a shift, alerts come on
        average at most once in 1/α runs.
    """
    evidence = e_value(p_value, kappa=kappa)
    statistic = evidence * max(previous, 1.0)
    alert = statistic >= 1.0 / rate
    return DetectorStep(evidence, statistic, alert, 1.0 if alert else statistic)
