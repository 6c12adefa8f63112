"""Read ``models/fingerprint.json`` for a model, and refuse one that is not its own or is malformed.

The fingerprint of the model file comes from the workspace; that of a registered version from its
registration commit through DVC, held to the MD5 ``dvc.lock`` records there, as the model is. In
both cases it must name the model's SHA-256: judging a batch against another model's reference
would compare the wrong scores.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mlgate import paths
from mlgate.errors import DataError, ModelError, RunError
from mlgate.monitor.fingerprint import FORMAT
from mlgate.revisions import OutputUnavailable, locked_md5, read_output_bytes


def load_fingerprint(*, model_sha256: str, commit: str | None, features: tuple[str, ...]) -> dict:
    """The fingerprint of the model whose file hashes to ``model_sha256``.

    Parameters
    ----------
    model_sha256 : str
        The monitored model's SHA-256.
    commit : str or None
        The registration commit of a registered version; None for the workspace's file.
    features : tuple of str
        The model's inputs (``data.features``): the fingerprint must describe exactly these.

    Raises
    ------
    DataError
        When the file is missing, not JSON, or not a fingerprint of this format.
    ModelError
        When it describes another model, or its bytes are not those ``dvc.lock`` records.
    RunError
        When DVC cannot find it in its cache or remote.
    """
    if commit is None:
        source = str(paths.FINGERPRINT)
        if not paths.FINGERPRINT.is_file():
            raise DataError(
                f"{source} not found: run `dvc repro fingerprint` (it is written beside the model)."
            )
        data = paths.FINGERPRINT.read_bytes()
    else:
        source = f"{paths.FINGERPRINT} at {commit[:12]}"
        data = _registered_bytes(commit, source)
    try:
        fingerprint = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{source} is not valid JSON: {exc}.") from None
    problem = structure_problem(fingerprint)
    if problem is not None:
        raise DataError(
            f"{source} is not a fingerprint mlgate can read: {problem}. Rebuild it with "
            "`dvc repro fingerprint`."
        )
    described = sorted(fingerprint["features"])
    if described != sorted(features) or sorted(_encoded(fingerprint)) != sorted(features):
        raise DataError(
            f"{source} describes the inputs {described}, but data: in params.yaml declares "
            f"{sorted(features)}. Run `dvc repro` so that model and fingerprint follow params.yaml."
        )
    if fingerprint["model_sha256"] != model_sha256:
        raise ModelError(
            f"{source} describes the model with SHA-256 {fingerprint['model_sha256'][:12]}, not "
            f"the monitored one ({model_sha256[:12]}). Run `dvc repro fingerprint` after "
            "training, or monitor the model it describes."
        )
    return fingerprint


def _encoded(fingerprint: dict) -> list[str]:
    encoder = fingerprint["multivariate"]["encoder"]
    return [spec["name"] for spec in (*encoder["numeric"], *encoder["categorical"])]


def _registered_bytes(commit: str, source: str) -> bytes:
    expected = locked_md5(commit, paths.FINGERPRINT)
    try:
        data = read_output_bytes(commit, paths.FINGERPRINT)
    except OutputUnavailable as exc:
        raise RunError(
            f"{source} is not in the DVC cache or remote ({exc.kind}). Run `dvc pull` "
            "for that commit, or `dvc repro` on it."
        ) from None
    found = hashlib.md5(data).hexdigest()
    if found != expected:
        raise ModelError(
            f"{source}: its bytes (MD5 {found}) are not the ones dvc.lock at that commit records "
            f"({expected}): refused."
        )
    return data


def structure_problem(fingerprint: Any) -> str | None:
    """What makes ``fingerprint`` unreadable (a key, what was expected), or None."""
    if not isinstance(fingerprint, dict) or fingerprint.get("format") != FORMAT:
        found = fingerprint.get("format") if isinstance(fingerprint, dict) else type(fingerprint)
        return f"format is {found!r}, expected {FORMAT!r}"
    try:
        problems = [
            *(_feature_problem(name, f) for name, f in fingerprint["features"].items()),
            _score_problem(fingerprint["scores"]),
            _multivariate_problem(fingerprint["multivariate"], len(fingerprint["features"])),
            None if isinstance(fingerprint["model_sha256"], str) else "model_sha256 is not text",
            None if _number(fingerprint["decision_threshold"]) else "decision_threshold",
            None if _groups_ok(fingerprint["groups"]) else "groups: expected lists of names",
            _rates_problem(fingerprint["group_rates"], fingerprint["groups"]),
        ]
    except (KeyError, TypeError, AttributeError) as exc:
        return f"key {exc} is missing or of the wrong type"
    return next((p for p in problems if p is not None), None)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numbers(values: Any, length: int | None = None) -> bool:
    return (
        isinstance(values, list)
        and all(_number(v) for v in values)
        and (length is None or len(values) == length)
    )


def _feature_problem(name: str, feature: dict) -> str | None:
    bins = feature["edges"] if feature["kind"] == "numeric" else feature["categories"]
    if feature["kind"] not in ("numeric", "categorical") or not isinstance(bins, list):
        return f"features.{name}: kind or bins are malformed"
    if not _numbers(feature["counts"], len(bins) + 1) or not _number(feature["missing"]):
        return f"features.{name}.counts: expected {len(bins) + 1} counts"
    if "hashed" in feature and not _hashed_ok(feature["hashed"], bins):
        return f"features.{name}.hashed: expected a bucket count (an integer) naming the bins"
    return None


def _hashed_ok(hashed: Any, bins: list) -> bool:
    buckets = hashed.get("buckets") if isinstance(hashed, dict) else None
    return (
        isinstance(buckets, int)
        and not isinstance(buckets, bool)
        and buckets >= 1
        and set(bins) <= {f"#{k}" for k in range(buckets)}
    )


def _score_problem(scores: dict) -> str | None:
    width = len(scores["edges"]) + 1
    fields = [scores["counts"], scores["positives"], *scores["probabilities"]]
    if not scores["probabilities"] or not all(_numbers(f, width) for f in fields):
        return f"scores: expected counts, positives and probabilities of {width} bins each"
    if len(scores["predicted_positive"]) != width:
        return f"scores.predicted_positive: expected {width} values"
    for name in ("roc_auc", "accuracy"):
        if not _number(scores["reference"][name]["value"]):
            return f"scores.reference.{name}.value is not a number"
    return None


def _multivariate_problem(multivariate: dict, n_features: int) -> str | None:
    encoder = multivariate["encoder"]
    width = len(encoder["numeric"]) + len(encoder["categorical"])
    if width != n_features or not _numbers(encoder["mean"], width):
        return f"multivariate.encoder: expected {n_features} columns"
    if not all(_numbers(row, width) for row in multivariate["components"]):
        return f"multivariate.components: expected rows of {width} numbers"
    edges = multivariate["error_edges"]
    if not _numbers(edges) or not _numbers(multivariate["error_counts"], len(edges) + 1):
        return "multivariate.error_counts: expected one count per error bin"
    return None


def _rates_problem(rates: Any, groups: dict) -> str | None:
    for feature, names in groups.items():
        cells = rates[feature]
        if not isinstance(cells, list) or len(cells) != len(names):
            return f"group_rates.{feature}: expected one row of 4 counts per group"
        if not all(_numbers(row, 4) for row in cells):
            return f"group_rates.{feature}: expected one row of 4 counts per group"
    return None


def _groups_ok(groups: Any) -> bool:
    return isinstance(groups, dict) and all(
        isinstance(names, list) and all(isinstance(n, str) for n in names)
        for names in groups.values()
    )
