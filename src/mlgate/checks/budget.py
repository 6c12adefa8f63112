"""The false-alarm budget of a batch run: how ``check --current`` shares one level among its tests.

Each required test on a batch (a drift test's ``alpha``, a rate check's bound) fails a clean
batch at most at its own level; a dozen of them at 5% each fail one clean batch in five or
more. The budget is the rate at which a whole run may fail a clean batch, and the rule is
Bonferroni's: each of the ``m`` required tests is held at ``budget / m`` (or its own ``alpha``
when that is smaller). By the union bound the run then fails a clean batch at most ``budget``
of the time, however the tests depend on each other. The rule is declared in the evidence
(:func:`budget_record`) so a reader can check each level.

The pipeline's own check stage (test split against training rows) is not a batch: each of its
checks keeps its params' level there, and the gate reads each result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mlgate.config.checks.base import CheckConfig


@dataclass(frozen=True)
class BatchLevels:
    """The per-test levels of a batch run, derived from its budget."""

    budget: float
    tested: tuple[str, ...]  # the required checks with a level, in params order
    level: float  # budget / len(tested)
    configs: dict[str, CheckConfig]  # every check's params, the tested ones at their level


def batch_levels(
    configs: Mapping[str, CheckConfig], *, suites: set[str], budget: float
) -> BatchLevels:
    """Hold each required test of ``suites`` at ``budget / m`` (never above its own alpha)."""
    tested = tuple(
        check_id
        for check_id, cfg in configs.items()
        if check_id.split(".", 1)[0] in suites and cfg.required and hasattr(cfg, "alpha")
    )
    level = budget / len(tested) if tested else budget
    levelled = {
        check_id: (
            cfg.model_copy(update={"alpha": min(cfg.alpha, level)}) if check_id in tested else cfg
        )
        for check_id, cfg in configs.items()
    }
    return BatchLevels(budget=budget, tested=tested, level=level, configs=levelled)


def budget_record(levels: BatchLevels) -> dict:
    """What the evidence says of the rule: the budget, the tests sharing it, and each level."""
    return {
        "rule": "bonferroni",
        "false_alarm_budget": levels.budget,
        "tests": {check_id: levels.configs[check_id].alpha for check_id in levels.tested},
    }


def budget_line(levels: BatchLevels) -> str:
    """One line for the log: the budget and how it is shared."""
    if not levels.tested:
        return f"false-alarm budget {levels.budget:g}: no required test on this batch"
    return (
        f"false-alarm budget {levels.budget:g} across {len(levels.tested)} required tests "
        f"(Bonferroni): each at {levels.level:.4g} or its own lower alpha"
    )
