"""Judge a batch's summary against the fingerprint: one record per test, and the run's p-value.

Each test (:mod:`mlgate.monitor.batch_tests`, registered in :mod:`mlgate.monitor.catalogue`)
answers with a p-value for "nothing changed that matters" and a status: ``pass``, ``signal`` (its
p-value is at or below ``monitor.signal_level``) or ``skip`` with the reason. A change matters
when it is both significant and larger than ``monitor.min_psi`` (:mod:`mlgate.monitor.drift_tests`).

The run's p-value is Bonferroni over the tests that judged (``min(1, m·min p)``); the alert policy
(:mod:`mlgate.monitor.policy`) turns the sequence of run p-values into alerts.
"""

from __future__ import annotations

import numpy as np

from mlgate.config.checks.fairness import GroupParityConfig
from mlgate.config.monitor import MonitorConfig
from mlgate.monitor.batch_tests import tests_for
from mlgate.monitor.catalogue import BatchInputs
from mlgate.monitor.outcome import TestStatus, skip
from mlgate.monitor.performance import simulated_metrics
from mlgate.monitor.summary import BatchSummary


def judge_batch(
    summary: BatchSummary,
    fingerprint: dict,
    *,
    cfg: MonitorConfig,
    fairness: GroupParityConfig | None,
    labelled: bool,
) -> dict:
    """Every test on one batch, and the run's combined p-value.

    Parameters
    ----------
    summary : BatchSummary
        The batch's counts over the fingerprint's bins.
    fingerprint : dict
        ``models/fingerprint.json``.
    cfg : MonitorConfig
        Levels, tolerances, draws and seed.
    fairness : GroupParityConfig or None
        The fairness limits the gate applies (``checks.fairness.group_parity``), if configured.
    labelled : bool
        Judge the labelled tests (the batch's labels were asked for and are all present).

    Returns
    -------
    dict
        ``tests``: name -> record; ``run_p_value``; ``judged``: the tests that did not skip.
    """
    tests_to_run = tests_for(labelled=labelled)
    if summary.rows < cfg.min_rows:
        reason = f"the batch has {summary.rows} rows, fewer than monitor.min_rows ({cfg.min_rows})"
        tests = {test.id: skip(reason) for test in tests_to_run}
    else:
        rng = np.random.default_rng(cfg.seed)
        simulated = simulated_metrics(summary, fingerprint["scores"], cfg=cfg, rng=rng)
        inputs = BatchInputs(summary, fingerprint, simulated, cfg, fairness, rng)
        tests = {test.id: test.function(inputs) for test in tests_to_run}
    judged = [name for name, test in tests.items() if test["status"] != TestStatus.SKIP]
    smallest = min((tests[name]["p_value"] for name in judged), default=1.0)
    run_p = min(1.0, len(judged) * smallest) if judged else None
    return {"tests": tests, "judged": judged, "run_p_value": run_p}
