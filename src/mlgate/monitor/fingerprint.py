"""The reference fingerprint: what monitoring compares each batch against, frozen with the model.

Built by the DVC stage ``fingerprint`` into ``models/fingerprint.json``, versioned beside the
model it describes. Everything in it is a count over frozen bins or a small fitted map, so a batch
is judged without the training data, and its summary can be accumulated chunk by chunk:

- ``features``: per input, the training split's counts over frozen bins (numeric) or per
  category (categorical), and missing values. A categorical input whose values are withheld
  (personal data, or more distinct values than ``data.max_listed_distinct``:
  :mod:`mlgate.data.redaction`), or a numeric one that is personal data (an id: its quantile
  edges would be ids), is stored as counts over 64 hash buckets of its values, with
  ``hashed`` saying how many distinct values it had and why: no value is in the file. Drift
  monitoring still sees a change in how the rows spread over the buckets (a few values taking
  over, a run of one value, more missing values), but cannot name a category or tell a new value
  from a known one (a new value falls in a bucket like any other). With many more distinct
  values than buckets, a batch of new people spreads like the old ones: no drift; with a few
  hundred values or fewer the buckets are uneven, and a batch of other values can read as drift;
- ``scores``: the validation split's scores over frozen bins that include the decision threshold,
  their labels, and the positive-class probability per bin from the calibrator and its bootstrap
  refits (performance without labels);
- ``reference``: accuracy and ROC AUC on the validation split, with intervals;
- ``multivariate``: an encoder and a PCA of the training inputs; the reconstruction error of a
  row measures how unlike the training rows it is jointly, with the training errors' bin counts;
- ``groups``: the sensitive features' groups, for fairness on labelled batches.

The validation split is the reference for what the model outputs because the model never fitted
it; the training split is the reference for inputs because it is what the model learned from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from mlgate.config import DataConfig
from mlgate.config.monitor import MonitorConfig
from mlgate.data.groups import group_labels, group_order
from mlgate.data.redaction import HASH_BUCKETS, as_stored, withheld_inputs
from mlgate.model.estimators import positive_scores
from mlgate.model.preprocessing import features_and_labels
from mlgate.monitor.fingerprint_schema import FingerprintFile
from mlgate.stats.binned import bin_counts, category_codes, category_counts, freeze_edges
from mlgate.stats.cbpe import bootstrap_positives, fit_calibrators, metrics_from_counts
from mlgate.versioned import check_written

if TYPE_CHECKING:
    import pandas as pd

#: The format tag of ``models/fingerprint.json``; a reader refuses any other.
FORMAT = FingerprintFile.FORMAT.recorded

#: Decimal places kept for fitted floats, so that the file's bytes are the same on every machine.
DECIMALS = 10


def build_fingerprint(
    model: Any,
    train: pd.DataFrame,
    validation: pd.DataFrame,
    *,
    data: DataConfig,
    cfg: MonitorConfig,
    decision_threshold: float,
    model_sha256: str,
) -> dict:
    """The fingerprint of ``model``: training inputs, validation scores, calibration, groups.

    Parameters
    ----------
    model : estimator
        The trained model.
    train, validation : pandas.DataFrame
        The prepared splits (labelled).
    data : DataConfig
        Features, target and sensitive features.
    cfg : MonitorConfig
        Bins, calibrator refits, PCA variance and seed.
    decision_threshold : float
        A score at or above it predicts the positive class; it is one of the score bins' edges.
    model_sha256 : str
        The model file's hash: a batch is judged only with the model the fingerprint describes.
    """
    X_train, _ = features_and_labels(train, data)
    X_val, y_val = features_and_labels(validation, data)
    hidden = {
        name: {"buckets": HASH_BUCKETS, "distinct": int(X_train[name].nunique()), "reason": why}
        for name, why in withheld_inputs(X_train, data).items()
    }
    stored = as_stored(X_train, hidden)
    scores = positive_scores(model, X_val)
    fingerprint = {
        "format": FORMAT,
        "model_sha256": model_sha256,
        "decision_threshold": decision_threshold,
        "features": {
            name: _feature_reference(
                stored[name], numeric=name in data.numeric and name not in hidden, cfg=cfg
            )
            | ({"hashed": hidden[name]} if name in hidden else {})
            for name in data.features
        },
        "scores": _score_reference(scores, y_val, cfg=cfg, decision_threshold=decision_threshold),
        "multivariate": fit_reconstruction(X_train, data=data, cfg=cfg, hashed=hidden),
        "groups": {
            feature: group_order(set(_groups(validation, feature, data)))
            for feature in data.sensitive_features
        },
    }
    fingerprint["group_rates"] = _group_rates(
        validation, fingerprint["groups"], y_val, scores >= decision_threshold, data=data
    )
    return check_written(fingerprint, FingerprintFile)


def _group_rates(
    frame: pd.DataFrame, groups: dict, y_true: np.ndarray, y_pred: np.ndarray, *, data: DataConfig
) -> dict:
    """Each group's confusion cells on the validation split, (true, predicted) = 00, 01, 10, 11."""
    out = {}
    for feature, names in groups.items():
        codes = {name: index for index, name in enumerate(names)}
        group_codes = np.array([codes[name] for name in _groups(frame, feature, data)])
        cells = group_codes * 4 + y_true * 2 + y_pred.astype(np.int64)
        out[feature] = np.bincount(cells, minlength=4 * len(names)).reshape(-1, 4).tolist()
    return out


def _groups(frame: pd.DataFrame, feature: str, data: DataConfig) -> list[str]:
    return group_labels(frame[feature], data.sensitive_bins.get(feature)).tolist()


def _feature_reference(values: pd.Series, *, numeric: bool, cfg: MonitorConfig) -> dict:
    if numeric:
        array = values.to_numpy(dtype=float)
        edges = _frozen(freeze_edges(array, max_bins=cfg.reference_bins))
        counts, missing = bin_counts(array, edges)
        return {
            "kind": "numeric",
            "edges": _rounded(edges),
            "counts": counts.tolist(),
            "missing": missing,
        }
    present = values.dropna().astype(str)
    frequent = present.value_counts(sort=False)
    # Most frequent first, ties by name: the order (hence the bytes) depends on the data only.
    ranked = sorted(frequent.items(), key=lambda item: (-item[1], item[0]))
    categories = [name for name, _ in ranked[: cfg.max_categories]]
    counts, missing = category_counts(values, categories)
    return {
        "kind": "categorical",
        "categories": categories,
        "counts": counts.tolist(),
        "missing": missing,
    }


def score_edges(scores: np.ndarray, *, max_bins: int, decision_threshold: float) -> np.ndarray:
    """Frozen score bins: the reference's quantiles, with the decision threshold as an edge."""
    edges = freeze_edges(scores, max_bins=max_bins)
    return np.unique(np.concatenate([edges, [decision_threshold]]))


def _score_reference(
    scores: np.ndarray, y_true: np.ndarray, *, cfg: MonitorConfig, decision_threshold: float
) -> dict:
    edges = _frozen(
        score_edges(scores, max_bins=cfg.reference_bins, decision_threshold=decision_threshold)
    )
    bins = np.searchsorted(edges, scores, side="right")
    width = len(edges) + 1
    counts = np.bincount(bins, minlength=width)
    positives = np.bincount(bins, weights=y_true, minlength=width)
    calibrators = fit_calibrators(y_true, scores, n_bootstrap=cfg.calibrators, seed=cfg.seed)
    # A bin's probability is the calibrator's mean over the reference rows in it (its middle
    # score when none fell in it), frozen so that a batch needs only its count per bin.
    centres = np.concatenate([[edges[0]], (edges[:-1] + edges[1:]) / 2, [edges[-1]]])
    probabilities = []
    for calibrator in calibrators:
        summed = np.bincount(bins, weights=calibrator(scores), minlength=width)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(counts > 0, summed / np.maximum(counts, 1), calibrator(centres))
        probabilities.append(_rounded(mean))
    predicted_positive = np.arange(width) > np.searchsorted(edges, decision_threshold)
    rng = np.random.default_rng(cfg.seed)
    draws = bootstrap_positives(positives, counts, draws=cfg.draws, rng=rng)
    observed = metrics_from_counts(positives, counts, predicted_positive)
    resampled = metrics_from_counts(*draws, predicted_positive)
    tail = (1 - cfg.performance.confidence) / 2
    return {
        "edges": _rounded(edges),
        "counts": counts.tolist(),
        "positives": positives.astype(np.int64).tolist(),
        "predicted_positive": predicted_positive.tolist(),
        "probabilities": probabilities,
        "reference": {
            name: {
                "value": round(float(observed[name]), 6),
                "low": round(float(np.nanquantile(resampled[name], tail)), 6),
                "high": round(float(np.nanquantile(resampled[name], 1 - tail)), 6),
            }
            for name in observed
        },
    }


def encode(X: pd.DataFrame, encoder: dict) -> np.ndarray:
    """Rows as standardised numbers: numeric inputs imputed by the median, categories by share."""
    X = as_stored(
        X, {spec["name"]: spec["hashed"] for spec in encoder["categorical"] if "hashed" in spec}
    )
    columns = []
    for spec in encoder["numeric"]:
        values = X[spec["name"]].to_numpy(dtype=float)
        columns.append(np.where(np.isnan(values), spec["median"], values))
    for spec in encoder["categorical"]:
        # An unseen or missing category has share 0: as unlike the training rows as can be.
        shares = np.append(np.fromiter(spec["shares"].values(), dtype=float), 0.0)
        codes = category_codes(X[spec["name"]], list(spec["shares"]))
        columns.append(shares[codes])  # a missing value's code is -1: the last share, 0
    matrix = np.column_stack(columns) if columns else np.empty((len(X), 0))
    return (matrix - np.asarray(encoder["mean"])) / np.asarray(encoder["scale"])


def reconstruction_errors(X: pd.DataFrame, multivariate: dict) -> np.ndarray:
    """Each row's distance to its projection on the reference's principal components."""
    encoded = encode(X, multivariate["encoder"])
    components = np.asarray(multivariate["components"], dtype=float)
    residual = encoded - (encoded @ components.T) @ components
    return np.sqrt(np.einsum("ij,ij->i", residual, residual))


def fit_reconstruction(
    X: pd.DataFrame, *, data: DataConfig, cfg: MonitorConfig, hashed: dict | None = None
) -> dict:
    """Encoder, principal components and the training rows' error bins (NannyML's approach).

    Categories are encoded by their share in the training rows and every column standardised;
    the components keep ``cfg.pca_variance`` of the variance. A batch whose rows relate to each
    other unlike the training rows (each feature alone unchanged) reconstructs worse. The
    columns of ``hashed`` are seen as their hash buckets (:func:`mlgate.data.redaction.as_stored`).
    """
    from threadpoolctl import threadpool_limits

    hashed = hashed or {}
    stored = as_stored(X, hashed)

    # Lists, not mappings: the JSON writer sorts a mapping's keys, and the columns' order is
    # the order of the means, scales and components.
    encoder: dict[str, Any] = {"numeric": [], "categorical": []}
    for name in (n for n in data.numeric if n not in hashed):
        median = float(np.nanmedian(X[name].to_numpy(dtype=float)))
        encoder["numeric"].append({"name": name, "median": median})
    # A withheld numeric input (an id) is encoded like a category: by its hash bucket's share.
    for name in (*data.categorical, *(n for n in data.numeric if n in hashed)):
        shares = stored[name].dropna().astype(str).value_counts(normalize=True)
        rounded = {k: round(float(v), DECIMALS) for k, v in sorted(shares.items())}
        encoder["categorical"].append(
            {"name": name, "shares": rounded} | ({"hashed": hashed[name]} if name in hashed else {})
        )
    encoder |= {"mean": np.zeros(len(data.features)), "scale": np.ones(len(data.features))}
    raw = encode(X, encoder)
    scale, mean = raw.std(axis=0), raw.mean(axis=0)
    # A constant column's spread is rounding noise (1e-17 for a column of equal shares), and
    # dividing by it would blow the rows up to 1e17 and stall the decomposition.
    constant = scale <= 1e-12 * np.maximum(np.abs(mean), 1.0)
    encoder["mean"] = _rounded(mean)
    encoder["scale"] = _rounded(np.where(constant, 1.0, scale))
    standardised = encode(X, encoder)
    # One BLAS thread: the decomposition's last bits follow the thread split otherwise.
    with threadpool_limits(limits=1, user_api="blas"):
        _, singular, vt = np.linalg.svd(standardised, full_matrices=False)
    explained = np.cumsum(singular**2) / np.sum(singular**2)
    kept = int(np.searchsorted(explained, cfg.pca_variance) + 1)
    components = vt[:kept]
    # A component's sign is arbitrary: fix it so that the file is the same wherever it is built.
    signs = np.sign(components[np.arange(kept), np.abs(components).argmax(axis=1)])
    multivariate = {
        "encoder": encoder,
        "components": [_rounded(row) for row in components * signs[:, None]],
    }
    errors = reconstruction_errors(X, multivariate)
    edges = _frozen(freeze_edges(errors, max_bins=cfg.reference_bins))
    counts, _ = bin_counts(errors, edges)
    return multivariate | {"error_edges": _rounded(edges), "error_counts": counts.tolist()}


def _frozen(edges: np.ndarray) -> np.ndarray:
    """Edges as the file will hold them (rounded), so the reference is counted with those."""
    return np.unique(np.round(edges, DECIMALS))


def _rounded(values: Any) -> list[float]:
    return [round(float(v), DECIMALS) for v in np.asarray(values, dtype=float)]
