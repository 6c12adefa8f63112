"""Infer how a delimited file is written and what its columns are, for ``mlgate init``.

Pure functions from the file's bytes to an :class:`InferredTable`: encoding, separator, header,
missing-value markers, numeric or categorical columns (pandas' own number parsing decides), the
target's two labels, columns that look like personal data, and cut points for numeric sensitive
features. Every guess is printed by ``mlgate init`` for a person to review.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mlgate.config.checks.data import TargetLeakageConfig
from mlgate.data.column_names import refuse_duplicated_names
from mlgate.data.groups import group_labels
from mlgate.data.personal_data import identifying_reason
from mlgate.errors import DataError
from mlgate.project.group_sizes import Grouping, GroupPlan, plan_groups
from mlgate.project.leakage_proposal import LeakageProposal, propose_leakage

if TYPE_CHECKING:
    import pandas as pd

#: Encodings tried in order: the first that decodes the whole file is taken.
ENCODINGS = ("utf-8", "cp1252", "latin-1")
SEPARATORS = ",;\t|"
#: Fields that mean "missing" when they stand alone (the empty field always does).
MISSING_MARKERS = ("?", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "none")
#: The share of a one-file table that ingest holds out as the test set (``ingest.test_size``)
#: when no sensitive feature asks for more (:func:`mlgate.project.judgement_sizes.plan_groups`).
TEST_SIZE = 0.2
#: The quantiles tried as a numeric sensitive feature's cut points, finest first.
CUT_QUANTILES = ((0.25, 0.5, 0.75), (1 / 3, 2 / 3), (0.5,))
#: Label pairs whose second value is the positive class, compared in lower case.
POSITIVE_WORDS = ("1", "yes", "true", "y", "t", "positive", "pos", ">50k")


@dataclass(frozen=True)
class InferredTable:
    """What :func:`infer_table` found; field names follow ``params.yaml``'s ``data``/``ingest``."""

    encoding: str
    separator: str
    skip_initial_space: bool
    na_values: tuple[str, ...]
    rows: int
    target: str
    labels: tuple[str, str]
    positive_label: str
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    sensitive: tuple[str, ...]
    sensitive_bins: dict[str, tuple[float, ...]] = field(default_factory=dict)
    personal: dict[str, str] = field(default_factory=dict)  # column -> why it looks personal
    missing_rates: dict[str, float] = field(default_factory=dict)
    test_rows: int = 0
    #: ``ingest.test_size`` (None with a separate test file).
    test_size: float | None = TEST_SIZE
    unlabelled: int = 0
    leakage: LeakageProposal = field(default_factory=LeakageProposal)  # left out of the inputs
    #: Columns that cannot inform a model (every value missing, or one value): column -> why.
    uninformative: dict[str, str] = field(default_factory=dict)
    positive_share: float = 0.5  # of the labelled rows
    duplicate_share: float = 0.0  # rows repeating an earlier row, in the columns ingest keeps
    #: Per sensitive feature, each group's share of the rows, largest first (no group names:
    #: init prints sizes only, so a sensitive column's values never reach a log).
    group_shares: dict[str, tuple[float, ...]] = field(default_factory=dict)
    #: How the test share and groups were chosen (None without a sensitive feature).
    group_plan: GroupPlan | None = None


def infer_table(
    raw: bytes,
    *,
    source: str,
    target: str,
    sensitive: tuple[str, ...] = (),
    test_rows: int | None = None,
    leakage: TargetLeakageConfig | None = None,
) -> InferredTable:
    """Infer the layout and schema of the delimited file ``raw`` (a header row is required).

    ``test_rows`` is the size of a separate test file; without one, the 20% that ingest holds out.
    With ``leakage``, the params of ``data.target_leakage``, a column that check would flag is
    left out of the inputs (:mod:`mlgate.project.leakage_proposal`).

    Raises
    ------
    DataError
        When the file has no header naming ``target``, the target is not binary, or a sensitive
        feature is not a column.
    """
    import pandas as pd

    encoding, text = _decode(raw)
    separator, skip_space = _layout(text)
    frame = _read(text, separator=separator, skip_space=skip_space, source=source)
    if target not in frame.columns:
        raise DataError(
            f"{source}: no column {target!r} in its first line {list(frame.columns)!r}. mlgate "
            "init needs a header row naming the columns; add one, or pass the right --target."
        )
    missing = [c for c in sensitive if c not in frame.columns]
    if missing:
        raise DataError(f"{source}: --sensitive {missing!r} are not columns of the file.")
    markers = tuple(m for m in MISSING_MARKERS if frame.isin([m]).to_numpy().any())
    frame = frame.mask(frame.isin([*markers, ""]))
    labels, positive = _labels(frame[target], source=source, target=target)
    numeric, categorical, personal, uninformative = [], [], {}, {}
    typed = {target: frame[target]}
    for column in frame.columns:
        if column == target:
            continue
        why = _uninformative(frame[column])
        if why is not None and column not in sensitive:
            uninformative[column] = why
            continue
        values = _as_numbers(frame[column])
        typed[column] = values if values is not None else frame[column]
        reason = identifying_reason(column, typed[column])
        if reason is not None and column not in sensitive:
            personal[column] = reason
        elif values is not None:
            numeric.append(column)
        else:
            categorical.append(column)
    proposal = LeakageProposal()
    if leakage is not None:
        proposal = propose_leakage(
            pd.DataFrame(typed),
            target=target,
            positive_label=positive,
            columns=(*numeric, *categorical),
            cfg=leakage,
        )
        numeric = [c for c in numeric if c not in proposal.flagged]
        categorical = [c for c in categorical if c not in proposal.flagged]
    labelled = frame[target].dropna().str.strip()
    positive_share = float((labelled == positive).mean())
    test_size = None if test_rows is not None else TEST_SIZE
    held_out = test_rows if test_rows is not None else int(len(frame) * TEST_SIZE)
    plan, bins = None, {}
    if sensitive:
        # The target has two values (_labels), so both shares are above 0.
        plan = plan_groups(
            rows=len(frame),
            test_rows=test_rows,
            rarer_share=min(positive_share, 1 - positive_share),
            candidates={
                c: _groupings(typed[c])
                if c in numeric
                else (Grouping(None, _group_shares(typed[c], None)),)
                for c in sensitive
            },
        )
        test_size, held_out = plan.test_size, plan.test_rows
        bins = {c: grouping.edges for c, grouping in plan.groupings.items() if grouping.edges}
    return InferredTable(
        encoding=encoding,
        separator=separator,
        skip_initial_space=skip_space,
        na_values=markers,
        rows=len(frame),
        target=target,
        labels=labels,
        positive_label=positive,
        numeric=tuple(numeric),
        categorical=tuple(categorical),
        sensitive=tuple(sensitive),
        sensitive_bins=bins,
        personal=personal,
        missing_rates={
            c: round(float(frame[c].isna().mean()), 4)
            for c in frame.columns
            if frame[c].isna().any()
        },
        test_rows=held_out,
        test_size=test_size,
        group_plan=plan,
        unlabelled=int(frame[target].isna().sum()),
        leakage=proposal,
        uninformative=uninformative,
        positive_share=positive_share,
        duplicate_share=float(frame.drop(columns=list(personal)).duplicated().mean()),
        group_shares={c: _group_shares(typed[c], bins.get(c)) for c in sensitive},
    )


def _decode(raw: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return encoding, raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _layout(text: str) -> tuple[str, bool]:
    sample = "\n".join(text.splitlines()[:50])
    try:
        separator = csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        separator = ","
    fields = [f for line in sample.splitlines()[1:] for f in line.split(separator)[1:]]
    skip_space = bool(fields) and sum(f.startswith(" ") for f in fields) > len(fields) / 2
    return separator, skip_space


def _read(text: str, *, separator: str, skip_space: bool, source: str) -> pd.DataFrame:
    import pandas as pd

    options = {"sep": separator, "dtype": str, "na_filter": False, "skipinitialspace": skip_space}
    try:
        # pandas renames a repeated name (age, age.1): the header is read as it is written.
        header = pd.read_csv(io.StringIO(text), header=None, nrows=1, **options)
        refuse_duplicated_names(header.iloc[0], source=source, where="its header")
        frame = pd.read_csv(io.StringIO(text), **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{source} could not be read as a delimited table: {exc}") from None
    if frame.empty:
        raise DataError(f"{source} has no data rows.")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _labels(values: pd.Series, *, source: str, target: str) -> tuple[tuple[str, str], str]:
    present = values.dropna().str.strip()
    counts = present.value_counts()
    if len(counts) != 2:
        raise DataError(
            f"{source}: the target {target!r} has {len(counts)} distinct values "
            f"({list(counts.index[:5])!r}); mlgate builds binary classifiers, so it needs two."
        )
    first, second = sorted(counts.index, key=lambda v: (v.lower() in POSITIVE_WORDS, v))
    if not any(v.lower() in POSITIVE_WORDS for v in counts.index):
        # No word says which is positive: the rarer class, as is usual (default, fraud, churn).
        first, second = sorted(counts.index, key=lambda v: (-counts[v], v))
    return (str(first), str(second)), str(second)


def _as_numbers(values: pd.Series) -> pd.Series | None:
    import numpy as np
    import pandas as pd

    present = values.dropna()
    numbers = pd.to_numeric(present.str.strip(), errors="coerce")
    if present.empty or numbers.isna().any() or not np.isfinite(numbers).all():
        return None
    return pd.to_numeric(values, errors="coerce")


def _uninformative(values: pd.Series) -> str | None:
    """Why a column cannot inform a model: every value missing, or a single value; else None."""
    present = values.dropna()
    if present.empty:
        return "every value is missing"
    # One value and some missing still tells rows apart (present or not): it is kept.
    if present.nunique() == 1 and len(present) == len(values):
        return "one value on every row"
    return None


def _group_shares(values: pd.Series, edges: tuple[float, ...] | None) -> tuple[float, ...]:
    """Each group's share of the rows, largest first, grouped as the fairness checks group."""
    import pandas as pd

    if edges is not None:
        values = pd.to_numeric(values, errors="coerce")
    shares = group_labels(values, edges or None).value_counts(normalize=True)
    return tuple(round(float(s), 6) for s in shares.to_numpy())


def _groupings(values: pd.Series) -> tuple[Grouping, ...]:
    """A numeric sensitive feature's groupings at :data:`CUT_QUANTILES`, finest first.

    Cut points are rounded to two significant digits (a person reads them as ages, not as
    31.4159); the shares are of the rows with a value, since every one of those groups must be
    large enough for the grouping to be judged.
    """
    import pandas as pd

    numbers = pd.to_numeric(values, errors="coerce").dropna()
    groupings, seen = [], set()
    for quantiles in CUT_QUANTILES:
        edges = tuple(sorted({float(f"{q:.2g}") for q in numbers.quantile(list(quantiles))}))
        if edges in seen:
            continue
        seen.add(edges)
        shares = group_labels(numbers, edges).value_counts(normalize=True).to_numpy()
        groupings.append(Grouping(edges, tuple(round(float(s), 6) for s in sorted(shares)[::-1])))
    return tuple(groupings)
