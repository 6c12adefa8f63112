"""Reading a loaded model's fitted fields defensively: each estimator by its place in the model.

A model skops has just built from a file is a tree of objects whose attributes are whatever the
file says. :func:`placed_estimators` walks the parts scoring goes through (pipeline steps, the
column transformer's fitted transformers, a mitigated model's base and ensemble, a forest's
trees), checking the containers' shapes as it goes, and names each part by its path
(``preprocess/categorical/encode``). :class:`Fitted` reads one estimator's fields, refusing
with a :class:`ModelError` that names the estimator, its place and the field.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from mlgate.errors import ModelError

#: The name of the model itself in messages (its parts are named by their path from it).
TOP = "the top"


def is_missing(value: Any) -> bool:
    """Whether ``value`` is what scikit-learn treats as a missing category (None or NaN)."""
    return value is None or (isinstance(value, float | np.floating) and math.isnan(value))


class Fitted:
    """One estimator of a loaded model, named by its place: fields read with a check each."""

    def __init__(self, estimator: Any, *, where: str, source: str) -> None:
        self.estimator = estimator
        self.where = where
        self.source = source

    def child(self, estimator: Any, name: str) -> Fitted:
        """``estimator``, held by this one under ``name``, named by its place."""
        return Fitted(estimator, where=place(self.where, name), source=self.source)

    def refuse(self, message: str) -> ModelError:
        """The error naming this estimator, its place and what is wrong."""
        return ModelError(
            f"{self.source}: {type(self.estimator).__name__} at {self.where}: {message}. "
            "Refusing the model: its fitted state disagrees with itself, and scoring trusts it "
            "(mlgate writes no such file; was it edited?)."
        )

    def get(self, field: str) -> Any:
        """The fitted field ``field``; refused when missing."""
        if not hasattr(self.estimator, field):
            raise self.refuse(f"{field} is missing")
        return getattr(self.estimator, field)

    def count(self, field: str, *, minimum: int = 0) -> int:
        """The integer field ``field`` (Python or numpy, not a bool), at least ``minimum``."""
        value = self.get(field)
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
            raise self.refuse(f"{field} is {value!r}, not an integer of at least {minimum}")
        return int(value)

    def array(
        self,
        field: str,
        *,
        kinds: str,
        shape: tuple[int | None, ...],
        value: Any = None,
        finite: bool = False,
        minimum_length: int = 0,
    ) -> np.ndarray:
        """The array field ``field`` (or ``value``, named so) of dtype kinds and shape given.

        ``kinds`` are numpy dtype kind letters (``f`` floats, ``iu`` integers, ``O`` objects);
        ``None`` in ``shape`` takes any length there.
        """
        array = self.get(field) if value is None else value
        if not isinstance(array, np.ndarray) or array.dtype.kind not in kinds:
            described = f"dtype {array.dtype}" if isinstance(array, np.ndarray) else "not an array"
            raise self.refuse(f"{field} is {described}, expected an array of kind {kinds!r}")
        expected = tuple(
            n if n is not None else found for n, found in zip(shape, array.shape, strict=False)
        )
        if array.ndim != len(shape) or array.shape != expected or array.shape[0] < minimum_length:
            wanted = tuple("any" if n is None else n for n in shape)
            raise self.refuse(f"{field} has shape {array.shape}, expected {wanted}")
        if finite and not np.isfinite(array).all():
            raise self.refuse(f"{field} holds a value that is not finite")
        return array

    def constructor_parameters(self) -> None:
        """scikit-learn's own validation of the constructor parameters (types and ranges)."""
        from sklearn.utils._param_validation import InvalidParameterError

        if not hasattr(type(self.estimator), "_parameter_constraints"):
            return
        try:
            self.estimator._validate_params()
        except (InvalidParameterError, ValueError, TypeError) as exc:
            raise self.refuse(f"a parameter is invalid: {exc}") from None


def placed_estimators(model: Any, *, source: str) -> list[tuple[str, Any]]:
    """Every part of ``model`` that scoring goes through, with its path, deepest parts first.

    Deepest first, so that a check of a part can rely on the checks of what it holds.

    Raises
    ------
    ModelError
        When a container (pipeline steps, fitted transformers, ensemble) is not of the shape
        scikit-learn's code and mlgate's assume.
    """
    placed: list[tuple[str, Any]] = []
    pending = [(TOP, model)]
    while pending:
        where, item = pending.pop()
        children = list(_children(Fitted(item, where=where, source=source)))
        placed.append((where, item))
        pending.extend((place(where, name), child) for name, child in children)
    return placed[::-1]


def place(where: str, name: str) -> str:
    """The path of the part ``name`` of the part at ``where``."""
    return name if where == TOP else f"{where}/{name}"


def _children(fitted: Fitted) -> Iterator[tuple[str, Any]]:
    kind = type(fitted.estimator).__name__
    if kind == "Pipeline":
        steps = fitted.get("steps")
        if not (
            isinstance(steps, list) and steps
            and all(isinstance(s, tuple) and len(s) == 2 and isinstance(s[0], str) for s in steps)
            and len({name for name, _ in steps}) == len(steps)
        ):  # fmt: skip
            raise fitted.refuse(
                "steps is not a list of (name, estimator) pairs with distinct names"
            )
        yield from ((name, step) for name, step in steps if step not in (None, "passthrough"))
    elif kind == "ColumnTransformer":
        transformers = fitted.get("transformers_")
        if not isinstance(transformers, list) or not all(_is_fitted_entry(t) for t in transformers):
            raise fitted.refuse("transformers_ is not a list of (name, transformer, columns)")
        if len({t[0] for t in transformers}) != len(transformers):
            raise fitted.refuse("transformers_ names two transformers alike")
        yield from ((name, t) for name, t, _ in transformers if not isinstance(t, str))
    elif kind == "MitigatedModel":
        base = fitted.get("base")
        steps = getattr(base, "named_steps", None) if type(base).__name__ == "Pipeline" else None
        if not steps or type(steps.get("preprocess")).__name__ != "ColumnTransformer":
            raise fitted.refuse("base is not a pipeline starting with mlgate's preprocess step")
        yield "base", base
        ensemble = fitted.get("ensemble")
        if not isinstance(ensemble, list):
            raise fitted.refuse("ensemble is not a list")
        yield from ((f"ensemble[{i}]", member) for i, member in enumerate(ensemble))
    elif kind == "RandomForestClassifier":
        trees = fitted.get("estimators_")
        if isinstance(trees, list):
            yield from ((f"estimators_[{i}]", tree) for i, tree in enumerate(trees))


def _is_fitted_entry(entry: Any) -> bool:
    if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], str)):
        return False
    columns = entry[2]
    return isinstance(columns, list) and all(isinstance(c, str | int) for c in columns)
