"""The ``gate`` section: the policy the promotion gate applies to the evidence."""

from __future__ import annotations

from pydantic import Field

from mlgate.config.base import Section


class GateConfig(Section):
    """Gate policy (``gate:`` in ``params.yaml``)."""

    allow_skip: tuple[str, ...] = Field(
        default=(),
        description="Required checks that may say 'skip' without rejecting (e.g. the champion "
        "comparison of a first model, which has no champion). Ids or id prefixes.",
    )
    min_results: int = Field(1, ge=1, description="Fewer results than this: evidence is missing.")
