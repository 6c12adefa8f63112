"""The format of ``models/fingerprint.json`` (:mod:`mlgate.monitor.fingerprint` writes it).

Beyond each key's type, a fingerprint holds together: every bin has a count (one more count than
edges, since values fall below the first edge and above the last), a hashed input's bins are its
buckets, the encoder has one column per input, and each group has its four confusion cells. A
file that breaks one of these would be judged against bins it does not have, so it is refused.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from mlgate.versioned import FileFormat, Strict, VersionedFile

Count = Annotated[int, Field(ge=0)]


class Hashed(Strict):
    """How a withheld input is stored: counts over hash buckets of its values, never the values."""

    buckets: Annotated[int, Field(ge=1)]
    distinct: Count
    reason: str


class NumericFeature(Strict):
    """A numeric input's training counts over frozen bins."""

    kind: Literal["numeric"]
    edges: list[float]
    counts: list[Count]
    missing: Count

    @model_validator(mode="after")
    def _one_count_per_bin(self) -> Self:
        _require_counts(self.counts, len(self.edges) + 1, what="counts")
        return self


class CategoricalFeature(Strict):
    """A categorical input's training counts per category (the rest in the last count)."""

    kind: Literal["categorical"]
    categories: list[str]
    counts: list[Count]
    missing: Count
    hashed: Hashed | None = None

    @model_validator(mode="after")
    def _one_count_per_bin(self) -> Self:
        _require_counts(self.counts, len(self.categories) + 1, what="counts")
        if self.hashed is not None:
            buckets = {f"#{k}" for k in range(self.hashed.buckets)}
            if not set(self.categories) <= buckets:
                raise ValueError(
                    f"hashed: the categories of a hashed input are its {self.hashed.buckets} "
                    "buckets (#0, #1, ...)"
                )
        return self


Feature = Annotated[NumericFeature | CategoricalFeature, Field(discriminator="kind")]


class Interval(Strict):
    """A reference metric with its bootstrap interval (None where the bootstrap had no value)."""

    value: float
    low: float | None
    high: float | None


class Scores(Strict):
    """The validation split's scores over frozen bins, its labels and the calibrators' view."""

    edges: list[float]
    counts: list[Count]
    positives: list[Count]
    predicted_positive: list[bool]
    probabilities: Annotated[list[list[float]], Field(min_length=1)]
    reference: dict[str, Interval]

    @model_validator(mode="after")
    def _one_value_per_bin(self) -> Self:
        width = len(self.edges) + 1
        for what, values in (
            ("counts", self.counts),
            ("positives", self.positives),
            ("predicted_positive", self.predicted_positive),
            *((f"probabilities[{i}]", row) for i, row in enumerate(self.probabilities)),
        ):
            _require_counts(values, width, what=what)
        missing = {"roc_auc", "accuracy"} - set(self.reference)
        if missing:
            raise ValueError(f"reference: no {', '.join(sorted(missing))}")
        return self


class NumericColumn(Strict):
    """A numeric input in the encoder: missing values become its training median."""

    name: str
    median: float


class CategoricalColumn(Strict):
    """A categorical (or hashed) input in the encoder: each value becomes its training share."""

    name: str
    shares: dict[str, float]
    hashed: Hashed | None = None


class Encoder(Strict):
    """How rows become standardised numbers, one column per input."""

    numeric: list[NumericColumn]
    categorical: list[CategoricalColumn]
    mean: list[float]
    scale: list[float]

    @model_validator(mode="after")
    def _one_mean_per_column(self) -> Self:
        width = len(self.numeric) + len(self.categorical)
        _require_counts(self.mean, width, what="mean")
        _require_counts(self.scale, width, what="scale")
        return self


class Multivariate(Strict):
    """The encoder, the principal components and the training rows' reconstruction errors."""

    encoder: Encoder
    components: list[list[float]]
    error_edges: list[float]
    error_counts: list[Count]

    @model_validator(mode="after")
    def _components_span_the_columns(self) -> Self:
        width = len(self.encoder.mean)
        for index, row in enumerate(self.components):
            _require_counts(row, width, what=f"components[{index}]")
        _require_counts(self.error_counts, len(self.error_edges) + 1, what="error_counts")
        return self


class FingerprintFile(VersionedFile):
    """``models/fingerprint.json``: what monitoring compares each batch against."""

    FORMAT = FileFormat("mlgate.fingerprint", 1)

    format: Literal["mlgate.fingerprint/1"]
    model_sha256: str
    decision_threshold: float
    features: dict[str, Feature]
    scores: Scores
    multivariate: Multivariate
    groups: dict[str, list[str]]
    group_rates: dict[str, list[Annotated[list[Count], Field(min_length=4, max_length=4)]]]

    @model_validator(mode="after")
    def _parts_agree(self) -> Self:
        encoded = [c.name for c in (*self.multivariate.encoder.numeric,)] + [
            c.name for c in self.multivariate.encoder.categorical
        ]
        if sorted(encoded) != sorted(self.features):
            raise ValueError(
                f"multivariate.encoder: encodes {sorted(encoded)}, but features holds "
                f"{sorted(self.features)}"
            )
        if set(self.group_rates) != set(self.groups):
            raise ValueError("group_rates: expected one entry per feature of groups")
        for feature, names in self.groups.items():
            _require_counts(self.group_rates[feature], len(names), what=f"group_rates.{feature}")
        return self


def _require_counts(values: list, expected: int, *, what: str) -> None:
    if len(values) != expected:
        raise ValueError(f"{what}: expected {expected} values, found {len(values)}")
