"""Params of the fairness checks (``checks.fairness.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from itertools import combinations

from pydantic import BaseModel, ConfigDict, Field

from mlgate.config.checks.base import BootstrapConfig
from mlgate.config.data import DataConfig

GROUP_PARITY_ID = "fairness.group_parity"


class ParityLimits(BaseModel):
    """Limits on the disparities between the groups of one slice; None switches a limit off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_demographic_parity_difference: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Largest gap in selection rate (share predicted positive) between two groups.",
    )
    min_demographic_parity_ratio: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Smallest ratio of the lowest group selection rate to the highest.",
    )
    max_equalized_odds_difference: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Largest gap in true-positive or in false-positive rate between two groups, "
        "whichever is larger.",
    )
    min_equalized_odds_ratio: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Smallest ratio of the lowest group rate to the highest, for the "
        "true-positive and the false-positive rate, whichever is smaller.",
    )
    max_false_positive_rate_difference: float | None = Field(
        None, ge=0, le=1, description="Largest gap in false-positive rate between two groups."
    )
    max_false_negative_rate_difference: float | None = Field(
        None, ge=0, le=1, description="Largest gap in false-negative rate between two groups."
    )

    def limits(self) -> dict[str, tuple[float, bool]]:
        """Configured limits: disparity -> (limit, is_maximum)."""
        pairs = {
            "demographic_parity_difference": (self.max_demographic_parity_difference, True),
            "demographic_parity_ratio": (self.min_demographic_parity_ratio, False),
            "equalized_odds_difference": (self.max_equalized_odds_difference, True),
            "equalized_odds_ratio": (self.min_equalized_odds_ratio, False),
            "false_positive_rate_difference": (self.max_false_positive_rate_difference, True),
            "false_negative_rate_difference": (self.max_false_negative_rate_difference, True),
        }
        return {name: pair for name, pair in pairs.items() if pair[0] is not None}


class GroupParityConfig(BootstrapConfig):
    """Which slices are judged against which limits; the others are reported as evidence."""

    intersections: bool = Field(True, description="Also report each pair of sensitive features.")
    min_group_size: int = Field(
        200,
        ge=10,
        description="Groups with fewer rows are listed with their counts and left out of the "
        "disparities; a slice with fewer than two larger groups is skipped.",
    )
    limits: dict[str, ParityLimits] = Field(
        default_factory=dict,
        description="Slice ('sex', or 'sex×race' for a pair) -> its limits. A slice without "
        "limits is reported as evidence, not judged.",
    )

    def named_columns(self) -> tuple[str, ...]:  # noqa: D102
        return tuple(column for key in self.limits for column in key.split("×"))

    def item_ids(self, check_id: str, data: DataConfig) -> tuple[str, ...]:  # noqa: D102
        return tuple(
            f"{check_id}.{name}" for name in slice_names(data, intersections=self.intersections)
        )

    def blocks(self, result_id: str) -> bool:
        """Only a slice with limits is judged; the others are evidence (see the module)."""
        name = result_id.removeprefix(f"{GROUP_PARITY_ID}.")
        return self.required and bool(self.limits.get(name, ParityLimits()).limits())


def slice_names(data: DataConfig, *, intersections: bool) -> list[str]:
    """Each sensitive feature, then each pair of them (``a×b``) when ``intersections``."""
    features = list(data.sensitive_features)
    pairs = [f"{a}×{b}" for a, b in combinations(features, 2)] if intersections else []
    return features + pairs
