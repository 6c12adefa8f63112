"""The ``card`` section: what the model card says that no evidence file can.

Intended use, limits, risks and oversight are decisions people make; the card renders them beside
the evidence. Left empty (or written as a placeholder), the card's check fails and promotion is
refused: the Annex IV points they stand for would be undocumented.
"""

from __future__ import annotations

from pydantic import Field

from mlgate.config.base import Section


class CardConfig(Section):
    """Model card text (``card:`` in ``params.yaml``); each is Markdown, one paragraph or more."""

    owners: str = Field("", description="Who is responsible for the model, and how to reach them.")
    intended_use: str = Field("", description="What the model is for, and for whom.")
    out_of_scope: str = Field("", description="Uses it must not be put to.")
    limitations: str = Field("", description="Where it is known to perform worse, and why.")
    risks: str = Field("", description="Foreseeable risks and how they are managed.")
    human_oversight: str = Field(
        "", description="Who reviews its outputs, and how a decision is overridden."
    )
    standards: str = Field(
        "", description="Harmonised standards or specifications applied (or that none were)."
    )
