"""How many rows a fairness judgement needs, and the test split and groups that give them.

The rule for groups: a disparity compares a rate (true or false positive rate) between two
groups, each rate computed over one class of the group's rows. With ``k`` rows of that class in
each group, the difference of two rates of a fair model has a 95% interval of at most
``±1.96·√(0.5/k)`` (each rate's variance at most 0.25/k). The limit can only be met once that
interval fits under it: ``k ≥ 0.5·(1.96/limit)²``. A group holds ``k`` rows of its rarer class
when it has ``k / rarer_share`` rows.

Pure arithmetic on shares and counts: :mod:`mlgate.project.schema_inference` plans a new
table's test split with it, :mod:`mlgate.project.judgement_sizes` writes the sizes into params.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: The two-sided 95% normal quantile.
Z_95 = 1.96
#: How many times the rows a fair model needs to pass 4 times in 5 rather than half the time:
#: ((1.96 + 0.84) / 1.96)², the 80%-power quantile added.
POWER_FACTOR = ((Z_95 + 0.8416) / Z_95) ** 2
#: The smallest min_group_size and monitor.min_rows the config accepts.
FLOOR = 10
#: The limit init sets on each sensitive feature's equalized-odds difference: a gap of 20
#: points in true or false positive rate between two groups is the most it lets through unnoticed.
DEFAULT_EQUALIZED_ODDS_LIMIT = 0.2
#: The test shares init may hold out of one file, smallest first: a larger share judges more
#: groups and trains on fewer rows, so init takes the smallest that judges what was asked.
TEST_SIZES = (0.2, 0.3, 0.4, 0.5)


@dataclass(frozen=True)
class GroupSize:
    """The smallest group judged at ``limit``, and how it was found."""

    rows: int
    class_rows: int
    limit: float
    rarer_share: float

    def arithmetic(self) -> str:
        """The derivation, for a person to check."""
        return (
            f"a rate difference within ±{self.limit:g} at 95% needs "
            f"0.5·(1.96/{self.limit:g})² = {self.class_rows} rows of the rarer class per group; "
            f"it is {self.rarer_share:.0%} of the rows, so {self.class_rows}/"
            f"{self.rarer_share:.2f} = {self.rows} rows. At that size a fair model passes about "
            f"half the time; at {math.ceil(self.rows * POWER_FACTOR)} rows, 4 times in 5"
        )


def smallest_judged_group(limit: float, rarer_share: float) -> GroupSize:
    """The rows a group needs for a disparity at ``limit`` to be judged (see the module)."""
    if not 0 < limit <= 1 or not 0 < rarer_share <= 0.5:
        raise ValueError(f"limit {limit} and rarer_share {rarer_share} out of range")
    class_rows = math.ceil(0.5 * (Z_95 / limit) ** 2)
    rows = max(FLOOR, math.ceil(class_rows / rarer_share))
    return GroupSize(rows=rows, class_rows=class_rows, limit=limit, rarer_share=rarer_share)


@dataclass(frozen=True)
class Grouping:
    """One way to group a sensitive feature: cut points (none for categories) and group shares."""

    edges: tuple[float, ...] | None
    shares: tuple[float, ...]  # each group's share of the rows, largest first


@dataclass(frozen=True)
class GroupPlan:
    """The test share and the grouping of each sensitive feature init writes, and why."""

    test_size: float | None  # None: a separate test file sets the test rows
    test_rows: int
    groupings: dict[str, Grouping]
    group_rows: int  # the group size planned for
    #: "powered" (a fair model passes 4 times in 5), "judged" (about half the time), or
    #: "unjudged" (fewer than two groups of some feature can be judged at any test share).
    reach: str


def plan_groups(
    *,
    rows: int,
    test_rows: int | None,
    rarer_share: float,
    candidates: dict[str, tuple[Grouping, ...]],
) -> GroupPlan:
    """The smallest test share, and each numeric feature's finest grouping, that judge fairness.

    ``candidates`` lists each sensitive feature's groupings, finest first (quartiles, tertiles,
    halves for a number; its categories for a category). A grouping of cut points needs every
    group large enough, a grouping of categories two groups (the rest are reported, not judged).
    First tried at the size where a fair model passes 4 times in 5, then at the size where it
    passes half the time; without a separate test file (``test_rows`` None), at each of
    :data:`TEST_SIZES` in turn. When nothing reaches even the second, the template's share and
    the finest groupings stay, and the fairness check will say it could not judge.
    """
    size = smallest_judged_group(DEFAULT_EQUALIZED_ODDS_LIMIT, rarer_share)
    targets = (("powered", math.ceil(size.rows * POWER_FACTOR)), ("judged", size.rows))
    shares = (None,) if test_rows is not None else TEST_SIZES
    for reach, group_rows in targets:
        for test_size in shares:
            held_out = test_rows if test_size is None else int(rows * test_size)
            chosen = {}
            for column, groupings in candidates.items():
                fits = [g for g in groupings if _judges(g, held_out, group_rows)]
                if not fits:
                    break
                chosen[column] = fits[0]
            else:
                return GroupPlan(test_size, held_out, chosen, group_rows, reach)
    first = shares[0]
    return GroupPlan(
        test_size=first,
        test_rows=test_rows if first is None else int(rows * first),
        groupings={column: groupings[0] for column, groupings in candidates.items()},
        group_rows=size.rows,
        reach="unjudged",
    )


def _judges(grouping: Grouping, test_rows: int, group_rows: int) -> bool:
    reached = sum(share * test_rows >= group_rows for share in grouping.shares)
    if grouping.edges is None:
        return reached >= 2
    return reached == len(grouping.shares) >= 2
