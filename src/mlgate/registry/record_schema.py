"""The format of the JSON record in every promotion tag's message (``mlgate.promotion/1``).

:func:`mlgate.registry.planning.build_record` writes it; :mod:`mlgate.registry.trust` reads it
before a tag is served. A tag is untrusted input (anyone who can push can make one), so a record
that does not fit this model is no record: the tag is refused, with the key that is wrong.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from mlgate.versioned import FileFormat, Strict, VersionedFile


class MetricRecord(Strict):
    """A judged performance metric of the evidence, with its interval and status."""

    value: float | None
    ci: Annotated[list[float | None], Field(min_length=2, max_length=2)]
    status: str | None


class MirrorRecord(Strict):
    """What the registry's mirror (MLflow) answered when it registered the version."""

    model_name: str
    version: str | None
    run_id: str | None


class PromotionRecord(VersionedFile):
    """What a promotion, registration or rollback tag says: the evidence it binds, who, when."""

    FORMAT = FileFormat("mlgate.promotion", 1, key="schema")

    # ``schema`` is a name pydantic's models already use; the file's key is kept by the alias.
    record_schema: Literal["mlgate.promotion/1"] = Field(alias="schema")
    action: Literal["promote", "register", "rollback"]
    artifact: str
    version: str
    stage: str | None
    decision: str
    commit: str
    evidence_digest: str
    evidence: dict[str, str]
    hashes: dict[str, str]
    metrics: dict[str, MetricRecord]
    mlgate_version: str
    promotion_id: str
    promoted_by: str
    at: str
    previous: str | None
    mlflow: MirrorRecord | None = None
