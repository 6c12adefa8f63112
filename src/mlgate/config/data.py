"""The ``data`` and ``ingest`` sections: the table's schema, and how its files are read."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from pydantic import Field, field_validator, model_validator

from mlgate.config.base import ColumnName, Section


class DataConfig(Section):
    """The schema of the tabular data: target, labels and feature columns."""

    target: ColumnName = Field(
        description="The label column; each of its values must be one of `labels` (after "
        "`ingest.strip_label_suffix`)."
    )
    labels: tuple[str, str] = Field(description="The two class labels, negative first.")
    positive_label: str = Field(
        description="The label the model's score is the probability of (one of `labels`); "
        "precision, recall and `positive_rate` count it."
    )
    numeric: tuple[ColumnName, ...] = Field(
        default=(),
        description="Numeric model inputs, read as numbers: a value that is not a finite number "
        "(and not in `ingest.na_values`) stops ingest.",
    )
    categorical: tuple[ColumnName, ...] = Field(
        default=(),
        description="Categorical model inputs, read as text; a missing value is a category of "
        "its own.",
    )
    sensitive_features: tuple[ColumnName, ...] = Field(
        default=(), description="Columns to slice fairness evidence by; need not be model inputs."
    )
    sensitive_bins: dict[ColumnName, tuple[float, ...]] = Field(
        default_factory=dict,
        description="Cut points that group a numeric sensitive feature (e.g. age) into slices.",
    )
    personal: tuple[ColumnName, ...] = Field(
        default=(),
        description="Columns of personal data (names, ids, emails, dates of birth, free text): "
        "dropped when a file is read, so no feature, report or audit file ever holds them.",
    )
    max_listed_distinct: int = Field(
        100,
        ge=1,
        description="A column with more distinct values than this, or one that looks like "
        "personal data, never has its values written into evidence, the monitoring fingerprint, "
        "reports, the card or logs: they are counted, not listed.",
    )

    @model_validator(mode="after")
    def _check_columns(self) -> DataConfig:
        if self.labels[0] == self.labels[1]:
            raise ValueError(f"labels must be two different values, got {list(self.labels)!r}")
        if self.positive_label not in self.labels:
            raise ValueError(
                f"positive_label {self.positive_label!r} must be one of labels "
                f"{list(self.labels)!r}"
            )
        if not self.numeric and not self.categorical:
            raise ValueError("declare at least one feature under numeric or categorical")
        for name, columns in (("numeric", self.numeric), ("categorical", self.categorical)):
            duplicated = sorted({c for c in columns if columns.count(c) > 1})
            if duplicated:
                raise ValueError(f"{name} lists {duplicated!r} more than once")
        both = sorted(set(self.numeric) & set(self.categorical))
        if both:
            raise ValueError(f"columns {both!r} are declared both numeric and categorical")
        if self.target in self.features:
            raise ValueError(f"the target {self.target!r} is also declared as a feature")
        used = sorted(set(self.personal) & set(self.required_columns))
        if used:
            raise ValueError(
                f"personal lists {used!r}, which are also the target, features or sensitive "
                "features: personal data is dropped when the data is read"
            )
        for column, edges in self.sensitive_bins.items():
            if column not in self.sensitive_features:
                raise ValueError(f"sensitive_bins names {column!r}, not a sensitive feature")
            if not edges or any(b <= a for a, b in pairwise(edges)):
                raise ValueError(
                    f"sensitive_bins.{column} must be increasing cut points, got {list(edges)!r}"
                )
        return self

    @property
    def features(self) -> tuple[str, ...]:
        """Model input columns: numeric first, then categorical, in declared order."""
        return self.numeric + self.categorical

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Every column the pipeline reads: features, sensitive features and the target."""
        extra = tuple(c for c in self.sensitive_features if c not in self.features)
        return (*self.features, *extra, self.target)

    @property
    def negative_label(self) -> str:
        """The label that is not the positive one."""
        return self.labels[1] if self.labels[0] == self.positive_label else self.labels[0]


class IngestConfig(Section):
    """Where the source data is and how its text files are written.

    Paths are local paths relative to the project root, or any fsspec URL (``s3://...``).
    """

    train_path: str = Field(
        min_length=1,
        description="The training file (and, without `test_path`, the test rows' source too); "
        "a compressed file is decompressed by its extension (.gz, .bz2, .zst).",
    )
    test_path: str | None = Field(
        None,
        min_length=1,
        description="The held-out test file. Without it, a seeded split of train_path stratified "
        "on the target (test_size, seed) is the test set.",
    )
    test_size: float = Field(0.2, gt=0, lt=1, description="Share of train_path held out.")
    seed: int = Field(0, ge=0, description="Seed of the test split.")
    header: bool = Field(True, description="Whether the first line of each file names columns.")
    column_names: tuple[ColumnName, ...] | None = Field(
        None, description="Column names, in file order; required when header is false."
    )
    separator: str = Field(
        ",",
        min_length=1,
        description="The field separator; longer than one character, pandas reads it as a "
        "regular expression.",
    )
    encoding: str = Field("utf-8", description="The text encoding of the source files and batches.")
    skip_initial_space: bool = Field(
        False, description="Whether spaces after a separator are dropped (Adult writes `, `)."
    )
    na_values: tuple[str, ...] = Field(
        default=(),
        description="Field values that mean missing (Adult: `?`); an empty field is missing "
        "anyway.",
    )
    comment: str | None = Field(
        None, min_length=1, max_length=1, description="Lines starting with it are skipped."
    )
    strip_label_suffix: str = Field("", description="Removed from the end of target values.")
    unlabelled_rows: Literal["refuse", "drop"] = Field(
        "refuse",
        description="Rows of the source files without a target value: refuse the file, or drop "
        "them (they cannot be trained or scored against a label). Batches may be unlabelled.",
    )
    retrain_dir: str | None = Field(
        None,
        min_length=1,
        description="A local folder of labelled batches (*.parquet, each DVC-tracked) that "
        "`mlgate retrain` adds to the training rows; a dependency of the ingest stage.",
    )

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, encoding: str) -> str:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(f"{encoding!r} is not a text encoding Python knows") from None
        return encoding

    @model_validator(mode="after")
    def _check_names(self) -> IngestConfig:
        if not self.header and not self.column_names:
            raise ValueError("column_names is required when header is false")
        if self.column_names and len(set(self.column_names)) != len(self.column_names):
            raise ValueError("column_names must not repeat a name")
        return self


@dataclass(frozen=True)
class TableRules:
    """How a table is read and held to its schema: ``ingest:`` (the text format) and ``data:``.

    The slice of the config every batch reader takes (``Config.table_rules``): the engines, and
    each Dask task, which it is shipped to.
    """

    data: DataConfig
    ingest: IngestConfig
