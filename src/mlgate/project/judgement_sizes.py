"""How many rows a judgement needs: ``mlgate init`` sizes the checks to a new table with it.

The template's sizes were set for Adult's 16,281 test rows: ``min_group_size: 200`` hides every
group of a 300-row test set, and example batches of half the test rows fall under
``monitor.min_rows``, so nothing is judged. Init derives them from the new table instead and
prints the arithmetic, so a person can check it and knows what a larger test set would change.

The rule for groups, and how init chooses the test split, are in
:mod:`mlgate.project.group_sizes`.

:func:`size_fairness`, :func:`size_monitoring` and :func:`optional_below_min_samples` edit the
params init writes (plain data) and return the notes it prints.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from mlgate.config.base import as_tuples
from mlgate.config.checks import CHECK_CONFIGS
from mlgate.project.group_sizes import (
    DEFAULT_EQUALIZED_ODDS_LIMIT,
    FLOOR,
    smallest_judged_group,
)

if TYPE_CHECKING:
    from mlgate.project.schema_inference import InferredTable


def example_rows(test_rows: int, *, floor: int) -> int:
    """Rows per example batch: half the test rows (what the stage can draw), at least ``floor``.

    The stage draws at most half the test rows whatever is asked; asking exactly that says in
    params.yaml what the batches will hold.
    """
    return max(floor, test_rows // 2)


def monitor_min_rows(template_min_rows: int, *, batch_rows: int) -> int:
    """``monitor.min_rows`` that judges the example batches: at most ``batch_rows``."""
    return max(FLOOR, min(template_min_rows, batch_rows))


def size_fairness(checks: dict, table: InferredTable) -> list[str]:
    """Fairness limits at a stated default, and the group sizes judged, from this table."""
    fairness = checks.get("fairness", {})
    performance = checks.get("performance", {})
    if not table.sensitive:
        notes = []
        if fairness.pop("group_parity", None) is not None:
            notes.append("checks.fairness.group_parity: removed (no --sensitive feature)")
        if performance.pop("slices", None) is not None:
            notes.append("checks.performance.slices: removed (no --sensitive feature)")
        return notes
    limit = DEFAULT_EQUALIZED_ODDS_LIMIT
    size = smallest_judged_group(limit, min(table.positive_share, 1 - table.positive_share))
    notes = []
    if "group_parity" in fairness:
        parity = fairness["group_parity"]
        parity["limits"] = {c: {"max_equalized_odds_difference": limit} for c in table.sensitive}
        parity["min_group_size"] = size.rows
        notes.append(
            f"checks.fairness.group_parity.limits: max_equalized_odds_difference {limit} for "
            f"each of {list(table.sensitive)}, a default: set what this model must meet"
        )
        notes.append(
            f"checks.fairness.group_parity.min_group_size: {size.rows} ({size.arithmetic()})"
        )
    if "slices" in performance:
        performance["slices"]["min_group_size"] = size.rows
        notes.append(f"checks.performance.slices.min_group_size: {size.rows} (as for fairness)")
    notes += _plan_notes(table)
    for column, shares in table.group_shares.items():
        expected = [round(share * table.test_rows) for share in shares]
        judged = sum(rows >= size.rows for rows in expected)
        verdict = (
            "judged"
            if judged >= 2
            else "fewer than two can be judged: the check will skip and the gate reject until "
            "the test set is larger (ingest.test_size) or the groups are merged"
        )
        notes.append(
            f"{column}: {len(shares)} groups of about {', '.join(map(str, expected))} test rows; "
            f"{judged} reach {size.rows}: {verdict}"
        )
    return notes


def _plan_notes(table: InferredTable) -> list[str]:
    plan = table.group_plan
    if plan is None:
        return []
    split = (
        f"ingest.test_size: {plan.test_size} (~{plan.test_rows:,} test rows)"
        if plan.test_size is not None
        else f"the test file's {plan.test_rows:,} rows"
    )
    cut = [c for c, g in plan.groupings.items() if g.edges is not None]
    counts = ", ".join(f"{c} in {len(plan.groupings[c].shares)} groups" for c in cut)
    grouped = f"; {counts}" if cut else ""
    if plan.reach == "powered":
        return [
            f"{split}{grouped}: the smallest split (and finest grouping) in which every sensitive "
            f"feature has two groups of {plan.group_rows} rows, where a fair model passes 4 "
            "times in 5"
        ]
    if plan.reach == "judged":
        return [
            f"{split}{grouped}: the smallest split in which every sensitive feature has two "
            f"groups of {plan.group_rows} rows; at that size a fair model passes only about "
            "half the time: more rows, or fewer groups, make the judgement surer"
        ]
    return [
        f"{split}: no split up to half the rows gives two groups of {plan.group_rows} rows "
        "for every sensitive feature, so some fairness judgements will skip, and the gate "
        "reject, until there is more data or the groups are merged"
    ]


def size_monitoring(params: dict, table: InferredTable) -> list[str]:
    """``monitor.min_rows`` no larger than the example batches, so they are judged."""
    monitor = params.get("monitor")
    if not monitor or "min_rows" not in monitor:
        return []
    batch_rows = min((params.get("examples") or {}).get("rows", 0), table.test_rows // 2)
    before = monitor["min_rows"]
    monitor["min_rows"] = monitor_min_rows(before, batch_rows=batch_rows or before)
    if monitor["min_rows"] == before:
        return []
    return [
        f"monitor.min_rows: {monitor['min_rows']} (the example batches hold {batch_rows} rows; "
        f"{before} would leave them unjudged). A batch this small is judged with wide "
        "intervals: raise it once real batches are larger"
    ]


#: Checks judged on the training rows, not the test set.
ON_TRAINING_ROWS = frozenset({"data.target_leakage"})


def optional_below_min_samples(checks: dict, *, test_rows: int, training_rows: int) -> list[str]:
    """Make optional each drift check that needs more rows than the test set will have.

    The test set is a random split of the same data, so drift between it and the training data
    is a sanity check, not a verdict on the model: on a small table it is evidence to read. The
    performance, fairness and comparison checks stay required: a model whose performance could
    not be judged is not promoted (the note says how many rows they need).
    """
    notes = []
    for suite, entries in checks.items():
        for name, params in (entries or {}).items():
            config_class = CHECK_CONFIGS.get(f"{suite}.{name}")
            if config_class is None:
                continue
            config = config_class.model_validate(as_tuples(dict(params or {})))
            needed = getattr(config, "min_samples", 0)
            on_training = f"{suite}.{name}" in ON_TRAINING_ROWS
            available, where = (
                (training_rows, "the training rows") if on_training else (test_rows, "the test set")
            )
            if not config.required or needed <= available:
                continue
            if suite == "drift":
                entries[name]["required"] = False
                notes.append(
                    f"checks.drift.{name}: made optional; it needs {needed} rows and the test "
                    f"set will have about {test_rows}"
                )
            else:
                notes.append(
                    f"checks.{suite}.{name} needs {needed} rows and {where} will be about "
                    f"{available}: it will skip, and the gate reject, until there is more data "
                    "(or you lower its min_samples, knowing the interval widens)"
                )
    return notes


def size_data_checks(data_checks: dict, table: InferredTable) -> list[str]:
    """Duplicate and label-balance limits a table that is sound meets, from its own rates.

    A table of few coarse columns repeats rows that are different people (Titanic's sex, age and
    class), and a rare outcome is rarer than the template's 10% (6% in an insurance table): the
    template's limits would reject such a table for being what it is. The limit keeps a margin
    that a broken file (read twice; a label lost) still crosses.
    """
    notes = []
    duplicates = data_checks.get("duplicates")
    if duplicates is not None:
        limit = duplicates.get("max_duplicate_rate", 0.01)
        raised = math.ceil(table.duplicate_share * 100 + 2) / 100
        if table.duplicate_share > limit and raised >= 1:
            data_checks.pop("duplicates")
            notes.append(
                f"checks.data.duplicates: removed ({table.duplicate_share:.1%} of the table's "
                "rows repeat an earlier one: its columns cannot tell rows apart, so a repeat "
                "says nothing)"
            )
        elif table.duplicate_share > limit:
            duplicates["max_duplicate_rate"] = raised
            notes.append(
                f"checks.data.duplicates.max_duplicate_rate: {duplicates['max_duplicate_rate']} "
                f"({table.duplicate_share:.1%} of the table's rows repeat an earlier one: its "
                "columns cannot tell some rows apart; a file read twice still fails)"
            )
    leakage = data_checks.get("leakage")
    if leakage is not None and table.test_rows:
        # data.leakage discounts the training rows' own repeat rate, but what is left is
        # noisy where rows repeat often: its standard error at the test size, tripled, is the
        # least excess a test set can show beyond doubt.
        limit = leakage.get("max_shared_rate", 0.005)
        spread = math.sqrt(table.duplicate_share * (1 - table.duplicate_share) / table.test_rows)
        raised = math.ceil(3 * spread * 100) / 100
        if raised > limit:
            leakage["max_shared_rate"] = raised
            notes.append(
                f"checks.data.leakage.max_shared_rate: {raised} ({table.duplicate_share:.1%} of "
                f"the table's rows repeat an earlier one, so on ~{table.test_rows:,} test rows "
                f"the share found in training varies by ±{spread:.1%} by chance alone; a test "
                "file that copies training rows still fails)"
            )
    balance = data_checks.get("label_balance")
    minority = min(table.positive_share, 1 - table.positive_share)
    if balance is not None:
        limit = balance.get("min_minority_rate", 0.05)
        if minority < limit:
            balance["min_minority_rate"] = max(0.001, math.floor(minority * 1000 / 2) / 1000)
            notes.append(
                f"checks.data.label_balance.min_minority_rate: {balance['min_minority_rate']} "
                f"(half the table's {minority:.1%}; {limit} would reject it for its own outcome "
                "rate)"
            )
    return notes


def drift_optional_on_one_file(checks: dict) -> list[str]:
    """Drift checks made optional when the test set is a random part of the one file.

    Drift between two random parts of one file can only be chance: a required drift check
    there rejects a model in 5% of runs (its α) and never for a reason. They still run, and
    say what they see; with a separate ``--test`` file they judge.
    """
    drift = checks.get("drift") or {}
    for entry in drift.values():
        entry["required"] = False
    if not drift:
        return []
    return [
        f"checks.drift ({', '.join(drift)}): optional; the test set is a random part of the "
        "same file, so any drift it shows is chance (with --test FILE they are required)"
    ]
