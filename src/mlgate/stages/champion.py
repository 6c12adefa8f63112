"""Find the champion model at a git revision through DVC, and score it on the current rows.

The champion is ``models/model.skops`` as ``dvc.lock`` recorded it at ``rev`` (``main`` by
default), fetched from the local DVC cache or the configured remote. When it cannot be had, the
reason is returned, and the comparison checks say ``skip`` with it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from mlgate import paths
from mlgate.checks.context import Baseline
from mlgate.errors import ConfigError, ModelError, RunError
from mlgate.git import read_json_at, resolve
from mlgate.model.estimators import positive_scores
from mlgate.model.files import load_model_bytes
from mlgate.revisions import OutputUnavailable, locked_md5, read_output_bytes

if TYPE_CHECKING:
    import pandas as pd


def load_baseline(
    rev: str,
    current_features: pd.DataFrame,
    *,
    current_model_md5: str | None,
    extra_types: frozenset[str] = frozenset(),
) -> Baseline:
    """The champion's positive-class scores on ``current_features``, or why there are none."""
    commit = resolve(rev)
    if commit is None:
        return Baseline(rev, unavailable_reason=f"git revision {rev!r} does not exist here.")
    expected = locked_md5(rev)
    if current_model_md5 is not None and current_model_md5 == expected:
        # Decided from the lock alone, so that a clone without the DVC cache says the same.
        return Baseline(rev, unavailable_reason=f"the model at {rev} is this very model.")
    try:
        data = read_output_bytes(rev)
    except OutputUnavailable as exc:
        return Baseline(rev, unavailable_reason=f"{exc} Run `dvc repro` on {rev} or `dvc pull`.")
    found = hashlib.md5(data).hexdigest()
    if found != expected:
        raise ModelError(
            f"the champion {paths.MODEL} at {rev}: its bytes (MD5 {found}) are not the ones "
            f"dvc.lock at {rev} records ({expected}). The DVC cache or remote holds another file "
            "under that name: refused."
        )
    # A refused champion is an attack or a corrupted cache, not a missing baseline: exit 2.
    model = load_model_bytes(
        data, source=f"the champion {paths.MODEL} at {rev}", extra_types=extra_types
    )
    inputs = getattr(getattr(model, "base", model), "feature_names_in_", None)
    missing = sorted(set(inputs if inputs is not None else ()) - set(current_features.columns))
    if missing:
        # A renamed column or two is worth naming; another table's columns are not: count them.
        named = f" ({', '.join(map(repr, missing))})" if len(missing) <= 3 else ""
        return Baseline(
            rev,
            unavailable_reason=(
                f"the model at {rev} was trained on other inputs: {len(missing)} of its "
                f"{len(inputs)} are not columns of the current data{named} (a first model on "
                "new data has no champion to compare with)."
            ),
        )
    return Baseline(rev, scores=positive_scores(model, current_features))


def load_model_at(rev: str, *, extra_types: frozenset[str] = frozenset()) -> tuple[Any, str, str]:
    """The model ``dvc.lock`` records at ``rev``, its SHA-256 and the commit, held to the lock.

    Raises
    ------
    ConfigError
        When ``rev`` is not a revision here.
    ModelError
        When the bytes are not those ``dvc.lock`` records, or the audit refuses them.
    RunError
        When DVC cannot find them in its cache or remote.
    """
    commit = resolve(rev)
    if commit is None:
        raise ConfigError(f"git revision {rev!r} does not exist here (fetch it, or name another).")
    expected = locked_md5(commit)
    try:
        data = read_output_bytes(commit)
    except OutputUnavailable as exc:
        raise RunError(
            f"{paths.MODEL} at {rev} is not in the DVC cache or remote ({exc.kind}). "
            f"Run `dvc pull` for {rev}, or `dvc repro` on it."
        ) from None
    if hashlib.md5(data).hexdigest() != expected:
        raise ModelError(
            f"{paths.MODEL} at {rev}: its bytes are not the ones dvc.lock there records "
            f"({expected}): refused."
        )
    source = f"{paths.MODEL} at {rev}"
    model = load_model_bytes(data, source=source, extra_types=extra_types)
    return model, hashlib.sha256(data).hexdigest(), commit


def load_baseline_importance(rev: str) -> dict[str, float] | None:
    """Mean |SHAP| per feature recorded in git at ``rev`` (a DVC metric kept in git), if any."""
    recorded = read_json_at(rev, paths.SHAP_IMPORTANCE)
    try:
        return dict(recorded["mean_abs_shap"])
    except (KeyError, TypeError, ValueError):
        return None
