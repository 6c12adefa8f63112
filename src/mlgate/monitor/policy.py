"""The alert policy: each run's p-value into the e-detector, with the state carried between runs."""

from __future__ import annotations

from mlgate.config.monitor import MonitorAlertConfig
from mlgate.stats.sequential import detector_step

#: The policy's name in the evidence.
POLICY = "e_detector"


def apply_policy(run_p_value: float | None, previous: float, *, cfg: MonitorAlertConfig) -> dict:
    """Whether this run alerts, given the statistic the previous run carried.

    A run where no test could judge carries the previous statistic unchanged and never alerts:
    its status is ``unjudged`` (the command exits 3), never a quiet pass.

    Returns
    -------
    dict
        ``policy``, ``rate``, ``kappa``, ``threshold`` (1/rate), ``previous``, ``e_value``,
        ``statistic``, ``alert`` and ``carried`` (what the next run starts from).
    """
    record = {
        "policy": POLICY,
        "rate": cfg.rate,
        "kappa": cfg.kappa,
        "threshold": 1.0 / cfg.rate,
        "previous": previous,
    }
    if run_p_value is None:
        return record | {
            "e_value": None,
            "statistic": previous,
            "alert": False,
            "carried": previous,
        }
    step = detector_step(previous, run_p_value, kappa=cfg.kappa, rate=cfg.rate)
    return record | {
        "e_value": step.e_value,
        "statistic": step.statistic,
        "alert": step.alert,
        "carried": step.carried,
    }
