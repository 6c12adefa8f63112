"""The ``examples`` section: shifted batches drawn from the test rows, to try monitoring on."""

from __future__ import annotations

from pydantic import Field

from mlgate.config.base import ColumnName, Section


class CovariateShift(Section):
    """Rows whose ``feature`` is above a quantile made ``weight`` times as likely to be drawn."""

    feature: ColumnName = Field(description="A numeric input (data.numeric).")
    above_quantile: float = Field(
        0.8,
        gt=0,
        lt=1,
        description="Quantile of `feature` over the test rows; the rows above it are favoured.",
    )
    weight: float = Field(
        5.0, gt=1, description="How many times as likely a row above the quantile is drawn."
    )


class ConceptShift(Section):
    """A share of the labels flipped among the rows of one group: the inputs do not change."""

    feature: ColumnName = Field(description="A column of the data (an input or sensitive feature).")
    group: str = Field(min_length=1, description="The value of ``feature`` whose labels change.")
    share: float = Field(
        0.3,
        gt=0,
        le=1,
        description="Chance that a drawn row of `group` has its label flipped to the other label.",
    )


class ExamplesConfig(Section):
    """Example batches (``examples:`` in ``params.yaml``; DVC stage ``examples``)."""

    rows: int = Field(
        2000,
        ge=50,
        description="Rows per batch, drawn without replacement (at most half the test rows).",
    )
    seed: int = Field(
        0, ge=0, description="Seed of the draws (each batch its own offset of it) and the flips."
    )
    prior_weight: float = Field(
        3.0, gt=1, description="Rows of the positive label made this many times as likely."
    )
    covariate: CovariateShift | None = Field(None, description="None: no covariate batch.")
    concept: ConceptShift | None = Field(None, description="None: no concept batch.")
