"""Params of the model checks (``checks.model.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from pydantic import Field

from mlgate.config.checks.base import CheckConfig


class ReproducibilityConfig(CheckConfig):
    """How many rows of the current data the scores are compared on."""

    max_rows: int = Field(5000, ge=10, description="Rows compared (the first ones).")
