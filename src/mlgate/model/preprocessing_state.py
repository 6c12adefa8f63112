"""The fitted state of mlgate's preprocessing, recomputed from what each field is derived from.

Part of :mod:`mlgate.model.bookkeeping`: the pipeline's widths, the column transformer (which
columns each transformer reads and where its output lands), the one-hot and ordinal encoders
(categories, infrequent and dropped categories, output widths), the imputer and the scaler.
Each check takes one estimator (:class:`mlgate.model.fitted.Fitted`) and raises naming it and
the field.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np

from mlgate.model.fitted import Fitted, is_missing, place


def output_width(transformer: Any, *, source: str, where: str) -> int:
    """The number of columns ``transformer`` outputs, from its (checked) fitted state."""
    fitted = Fitted(transformer, where=where, source=source)
    name = type(transformer).__name__
    if name == "Pipeline":
        width = None
        for step_name, step in fitted.get("steps"):
            step_where = place(where, step_name)
            n_in = Fitted(step, where=step_where, source=source).count("n_features_in_", minimum=1)
            if width is not None and n_in != width:
                raise fitted.refuse(
                    f"step {step_name!r} reads {n_in} columns (n_features_in_), but the step "
                    f"before it outputs {width}"
                )
            width = output_width(step, source=source, where=step_where)
        return int(width or 0)
    if name == "OneHotEncoder":
        return sum(fitted.get("_n_features_outs"))
    if name == "SimpleImputer":
        statistics = fitted.get("statistics_")
        if fitted.get("keep_empty_features"):
            return len(statistics)
        return sum(1 for value in statistics.tolist() if not is_missing(value))
    if name in ("StandardScaler", "OrdinalEncoder"):
        return fitted.count("n_features_in_", minimum=1)
    if name == "ColumnTransformer":
        return _column_transformer_width(fitted)
    raise fitted.refuse("is not a transformer mlgate's preprocessing builds")


def check_pipeline(fitted: Fitted) -> None:
    """The classifier reads as many columns as the preprocessing before it outputs."""
    steps = fitted.get("steps")
    first, last = steps[0][1], steps[-1][1]
    if type(first).__name__ != "ColumnTransformer" or not hasattr(last, "n_features_in_"):
        return  # a preprocessing pipeline inside the column transformer: widths checked there
    width = output_width(first, source=fitted.source, where=place(fitted.where, steps[0][0]))
    classifier = fitted.child(last, steps[-1][0])
    n_in = classifier.count("n_features_in_", minimum=1)
    if n_in != width:
        raise classifier.refuse(
            f"n_features_in_ {n_in} disagrees with the {width} columns its preprocessing outputs"
        )


def check_column_transformer(fitted: Fitted) -> None:
    """Each transformer reads the columns it was fitted on; its output lands in its slice."""
    _column_transformer_width(fitted)


def _column_transformer_width(fitted: Fitted) -> int:
    """Each transformer's inputs and output slice checked; the total output width."""
    n_features = fitted.count("n_features_in_", minimum=1)
    names = fitted.array("feature_names_in_", kinds="OU", shape=(n_features,))
    if len(set(names.tolist())) != n_features:
        raise fitted.refuse("feature_names_in_ names one column twice")
    for field, expected in (("transformer_weights", None), ("sparse_output_", False)):
        if fitted.get(field) is not expected:
            raise fitted.refuse(
                f"{field} is {fitted.get(field)!r}; mlgate's models have {expected}"
            )
    inputs = fitted.get("_transformer_to_input_indices")
    slices = fitted.get("output_indices_")
    if not isinstance(inputs, dict) or not isinstance(slices, dict):
        raise fitted.refuse("_transformer_to_input_indices or output_indices_ is not a dict")
    offset = 0
    for name, transformer, columns in fitted.get("transformers_"):
        where = place(fitted.where, name)
        indices = inputs.get(name)
        if not isinstance(indices, list) or not all(
            type(i) is int and 0 <= i < n_features for i in indices
        ):
            raise fitted.refuse(
                f"_transformer_to_input_indices[{name!r}] {indices!r} is not a list of column "
                f"indices in 0..{n_features - 1}"
            )
        # Scoring reads each transformer's columns by these indices, not by ``columns``.
        read = [str(n) for n in names[indices]] if indices else []
        if read != [str(c) for c in columns]:
            raise fitted.refuse(
                f"_transformer_to_input_indices[{name!r}] reads columns {read}, but the "
                f"transformer was fitted on {[str(c) for c in columns]}"
            )
        width = 0
        if not isinstance(transformer, str) and indices:
            n_in = Fitted(transformer, where=where, source=fitted.source).count("n_features_in_")
            if n_in != len(indices):
                raise fitted.refuse(f"{name!r} reads {len(indices)} columns, fitted on {n_in}")
            width = output_width(transformer, source=fitted.source, where=where)
        elif transformer != "drop" and indices:
            raise fitted.refuse(f"transformer {name!r} is {transformer!r}, not drop or fitted")
        expected = (offset, offset + width) if width else (0, 0)
        found = slices.get(name)
        if not isinstance(found, slice) or (found.start, found.stop) != expected:
            raise fitted.refuse(
                f"output_indices_[{name!r}] is {found!r}, but {name!r} outputs {width} columns "
                f"from column {offset} (expected slice{expected})"
            )
        offset += width
    return offset


def _check_categories(fitted: Fitted) -> list[np.ndarray]:
    """``categories_``: one sorted array of distinct values per input feature."""
    n_features = fitted.count("n_features_in_", minimum=1)
    categories = fitted.get("categories_")
    if not isinstance(categories, list) or len(categories) != n_features:
        raise fitted.refuse(f"categories_ does not list one array per input ({n_features})")
    for index, values in enumerate(categories):
        field = f"categories_[{index}]"
        fitted.array(field, value=values, kinds="OUbiuf", shape=(None,), minimum_length=1)
        # The encoding is a binary search on numbers: an unsorted array sends a known value to
        # the next feature's column (or past the last).
        present = [v for v in values.tolist() if not is_missing(v)]
        try:
            ordered = all(a < b for a, b in pairwise(present))
        except TypeError:
            ordered = False
        if (
            not ordered
            or len(present) < len(values) - 1
            or (len(present) < len(values) and not is_missing(values[-1]))
        ):
            raise fitted.refuse(f"{field} is not sorted and distinct (a missing value last)")
    return categories


def _check_infrequent(fitted: Fitted, categories: list[np.ndarray]) -> None:
    """``_infrequent_indices`` in range; ``_default_to_infrequent_mappings`` derived from them."""
    enabled = fitted.get("_infrequent_enabled")
    if type(enabled) is not bool:
        raise fitted.refuse(f"_infrequent_enabled is {enabled!r}, not a bool")
    if not enabled:
        return
    infrequent = fitted.get("_infrequent_indices")
    mappings = fitted.get("_default_to_infrequent_mappings")
    fields = {"_infrequent_indices": infrequent, "_default_to_infrequent_mappings": mappings}
    for field, value in fields.items():
        if not isinstance(value, list) or len(value) != len(categories):
            raise fitted.refuse(f"{field} does not hold one entry per input ({len(categories)})")
    per_feature = zip(categories, infrequent, mappings, strict=True)
    for index, (cats, rare, mapping) in enumerate(per_feature):
        n_cats = len(cats) - (1 if is_missing(cats[-1]) else 0)
        if rare is None:
            if mapping is not None:
                raise fitted.refuse(f"_default_to_infrequent_mappings[{index}] maps no category")
            continue
        fitted.array(f"_infrequent_indices[{index}]", value=rare, kinds="iu", shape=(None,))
        if (
            # Every category may be infrequent (an id-like column): scikit-learn fits that.
            not (0 < rare.size <= n_cats and rare.min() >= 0 and rare.max() < n_cats)
            or (np.diff(rare) <= 0).any()
        ):
            raise fitted.refuse(
                f"_infrequent_indices[{index}] {rare.tolist()} are not distinct, sorted "
                f"indices of categories_[{index}] (0..{n_cats - 1})"
            )
        # What scikit-learn computes when it fits (``_fit_infrequent_category_mapping``).
        expected = np.empty(n_cats, dtype=np.int64)
        frequent = np.setdiff1d(np.arange(n_cats), rare)
        expected[rare] = len(frequent)
        expected[frequent] = np.arange(len(frequent))
        if not isinstance(mapping, np.ndarray) or not np.array_equal(mapping, expected):
            raise fitted.refuse(
                f"_default_to_infrequent_mappings[{index}] disagrees with _infrequent_indices"
                f"[{index}] (expected {expected.tolist()})"
            )


def _check_drop(fitted: Fitted, categories: list[np.ndarray]) -> None:
    for field in ("drop_idx_", "_drop_idx_after_grouping"):
        value = fitted.get(field)
        if value is None:
            continue
        if not isinstance(value, np.ndarray) or value.shape != (len(categories),):
            raise fitted.refuse(f"{field} does not hold one entry per input ({len(categories)})")
        for index, (drop, cats) in enumerate(zip(value.tolist(), categories, strict=True)):
            if drop is not None and not (type(drop) is int and 0 <= drop < len(cats)):
                raise fitted.refuse(f"{field}[{index}] {drop!r} is not a category index")


def check_one_hot_encoder(fitted: Fitted) -> None:
    """``_n_features_outs`` is what categories, infrequent and dropped categories make it."""
    categories = _check_categories(fitted)
    _check_drop(fitted, categories)
    _check_infrequent(fitted, categories)
    widths = fitted.get("_n_features_outs")
    # scikit-learn's own derivation, from the fields just checked.
    expected = fitted.estimator._compute_n_features_outs()
    if (
        not isinstance(widths, list)
        or [type(w) for w in widths] != [int] * len(widths)
        or (widths != expected)
    ):
        raise fitted.refuse(
            f"_n_features_outs {widths!r} disagrees with categories_ and the infrequent "
            f"categories (widths {expected})"
        )


def check_ordinal_encoder(fitted: Fitted) -> None:
    """Categories sorted and distinct; ``_missing_indices`` where the missing category is."""
    categories = _check_categories(fitted)
    _check_infrequent(fitted, categories)
    missing = fitted.get("_missing_indices")
    expected = {i: len(c) - 1 for i, c in enumerate(categories) if is_missing(c[-1])}
    if missing != expected:
        raise fitted.refuse(f"_missing_indices {missing!r} disagrees with categories_ ({expected})")


def check_imputer(fitted: Fitted) -> None:
    """One statistic per input (numbers unless constant); no missing-value indicator."""
    n_features = fitted.count("n_features_in_", minimum=1)
    statistics = fitted.array("statistics_", kinds="fOU", shape=(n_features,))
    if fitted.get("strategy") != "constant" and statistics.dtype.kind != "f":
        raise fitted.refuse(f"statistics_ is of dtype {statistics.dtype}, not numbers")
    if fitted.get("add_indicator") or fitted.get("indicator_") is not None:
        raise fitted.refuse("has a missing-value indicator, which mlgate never fits")


def check_scaler(fitted: Fitted) -> None:
    """``mean_``, ``var_`` and ``scale_``: one finite number per input, scales positive."""
    n_features = fitted.count("n_features_in_", minimum=1)
    for field, used in (("mean_", "with_mean"), ("var_", "with_std"), ("scale_", "with_std")):
        if fitted.get(used):
            fitted.array(field, kinds="f", shape=(n_features,), finite=True)
    if fitted.get("with_std") and (fitted.get("scale_") <= 0).any():
        raise fitted.refuse("scale_ holds a scale that is not positive")
