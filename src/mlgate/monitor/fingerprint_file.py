"""Read ``models/fingerprint.json`` for a model, and refuse one that is not its own or is malformed.

The fingerprint of the model file comes from the workspace; that of a registered version from its
registration commit through DVC, held to the MD5 ``dvc.lock`` records there, as the model is. In
both cases it must name the model's SHA-256: judging a batch against another model's reference
would compare the wrong scores.
"""

from __future__ import annotations

import hashlib
import json

from mlgate import paths
from mlgate.errors import DataError, ModelError, RunError
from mlgate.monitor.fingerprint_schema import FingerprintFile
from mlgate.revisions import OutputUnavailable, locked_md5, read_output_bytes
from mlgate.versioned import read_versioned


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
    # The model is the check; monitoring keeps working on the mapping it checked.
    read_versioned(
        fingerprint,
        FingerprintFile,
        source=source,
        remedy="Rebuild it with `dvc repro fingerprint`.",
    )
    described = sorted(fingerprint["features"])
    if described != sorted(features):
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
