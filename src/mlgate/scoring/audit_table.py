"""The audit file's columns, and one chunk's predictions as a table of them (``mlgate predict``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from mlgate.errors import ConfigError

if TYPE_CHECKING:
    import pyarrow as pa

#: The prefix of the per-feature SHAP columns, and the column of the base value they add up from.
SHAP_PREFIX = "shap_"
SHAP_BASE_VALUE = "shap_base_value"


class ModelIdentityLike(Protocol):
    """What a prediction says of its model (:class:`mlgate.registry.identity.ModelIdentity`)."""

    @property
    def model_sha256(self) -> str: ...  # noqa: D102

    @property
    def version(self) -> str: ...  # noqa: D102

    @property
    def tag(self) -> str: ...  # noqa: D102

    @property
    def evidence_digest(self) -> str: ...  # noqa: D102

    @property
    def trust(self) -> str: ...  # noqa: D102


def prediction_schema(shap_features: list[str] | None = None) -> pa.Schema:
    """The audit file's columns, in order.

    ``row`` (0-based row number in the input), ``input_sha256`` (:mod:`mlgate.data.row_hash`, over
    the model's inputs), ``score`` (the positive label's score), ``decision`` (the label decided),
    ``label`` (the batch's own label, null when the batch has none), with SHAP one ``shap_<f>``
    per original feature and ``shap_base_value``, then the model's ``model_version``,
    ``model_tag``, ``model_sha256``, ``evidence_digest``, ``model_trust`` (how its tag was
    trusted: ``signed``, ``unsigned (--allow-unsigned)`` or ``unregistered``), and ``scored_at``
    (the run's UTC time).
    """
    import pyarrow as pa

    fields = [
        pa.field("row", pa.int64(), nullable=False),
        pa.field("input_sha256", pa.string(), nullable=False),
        pa.field("score", pa.float64(), nullable=False),
        pa.field("decision", pa.string(), nullable=False),
        pa.field("label", pa.string()),
    ]
    if shap_features is not None:
        fields += [pa.field(SHAP_PREFIX + f, pa.float64()) for f in shap_features]
        fields.append(pa.field(SHAP_BASE_VALUE, pa.float64()))
    fields += [
        pa.field(name, pa.string(), nullable=False)
        for name in ("model_version", "model_tag", "model_sha256", "evidence_digest", "model_trust")
    ]
    fields.append(pa.field("scored_at", pa.timestamp("us", tz="UTC"), nullable=False))
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise ConfigError(
            f"a feature's SHAP column would repeat the column {SHAP_BASE_VALUE!r}: rename the "
            "feature named 'base_value' in data.numeric or data.categorical."
        )
    return pa.schema(fields)


def audit_table(
    columns: dict[str, Any],
    schema: pa.Schema,
    *,
    identity: ModelIdentityLike,
    scored_at: datetime,
) -> pa.Table:
    """One chunk's rows with the run's constant columns, in the schema's order and types.

    ``columns`` holds the per-row arrays by name; a name it lacks, or maps to None, is null.
    """
    import pyarrow as pa

    rows = len(columns["row"])
    constants = {
        "model_version": identity.version,
        "model_tag": identity.tag,
        "model_sha256": identity.model_sha256,
        "evidence_digest": identity.evidence_digest,
        "model_trust": identity.trust,
        "scored_at": scored_at,
    }
    arrays = []
    for field in schema:
        if field.name in constants:
            arrays.append(pa.repeat(pa.scalar(constants[field.name], field.type), rows))
        elif columns.get(field.name) is None:
            arrays.append(pa.nulls(rows, field.type))  # a SHAP column of an empty chunk, a label
        else:
            arrays.append(pa.array(columns[field.name], type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
