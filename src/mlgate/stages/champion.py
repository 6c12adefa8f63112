"""Find the champion model at a git revision through DVC, and score it on the current rows.

The champion is ``models/model.skops`` as ``dvc.lock`` recorded it at ``rev`` (``main`` by
default), fetched from the local DVC cache or the configured remote. When it cannot be had, the
reason is returned, and the comparison checks say ``skip`` with it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlgate import paths
from mlgate.checks.context import Baseline
from mlgate.errors import ConfigError, ModelError, RunError
from mlgate.git import folder_prefix, read_json_at, read_text_at, resolve
from mlgate.model.estimators import positive_scores
from mlgate.model.files import load_model_bytes

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
        data = read_model_bytes(rev)
    except Exception as exc:  # DVC raises many kinds: missing path, cache, remote, ...
        return Baseline(
            rev,
            unavailable_reason=(
                f"{paths.MODEL} at {rev} is not in the DVC cache or remote "
                f"({type(exc).__name__}). Run `dvc repro` on {rev} or `dvc pull`."
            ),
        )
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
        data = read_model_bytes(commit)
    except Exception as exc:  # DVC raises many kinds: missing path, cache, remote, ...
        raise RunError(
            f"{paths.MODEL} at {rev} is not in the DVC cache or remote ({type(exc).__name__}). "
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


def locked_md5(rev: str, path: Path = paths.MODEL) -> str:
    """The MD5 of the model (or another DVC output, ``path``) that ``dvc.lock`` at ``rev`` records.

    The champion's bytes come from the DVC cache or a remote, which anyone with write access to
    them could replace; the lock file is in git, where the change would be reviewed. Its bytes
    are held to this hash before anything reads them.

    Raises
    ------
    ModelError
        When the lock at ``rev`` records no model.
    """
    from ruamel.yaml import YAML, YAMLError

    where = f"{path} at {rev}"
    text = read_text_at(rev, "dvc.lock")
    try:
        lock = YAML(typ="safe", pure=True).load(text) if text is not None else None
        outs = [o for stage in lock["stages"].values() for o in stage.get("outs", [])]
        return str(next(o["md5"] for o in outs if o.get("path") == path.as_posix()))
    except (YAMLError, TypeError, KeyError, AttributeError, StopIteration):
        raise ModelError(
            f"{where}: dvc.lock at {rev} records no MD5 for it, so its bytes cannot be verified."
        ) from None


def read_model_bytes(rev: str, path: Path = paths.MODEL) -> bytes:
    """The bytes of ``path`` (the model) at ``rev``, through DVC: check them with ``locked_md5``."""
    import dvc.api

    # At a revision DVC reads the git repository from its root, where a DVC project in a
    # subfolder (a monorepo's `dvc init --subdir`) is a subrepo: name the model from the root.
    with dvc.api.open(f"{folder_prefix()}{path.as_posix()}", rev=rev, mode="rb") as handle:
        return handle.read()
