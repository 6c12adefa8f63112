"""Which registered model a scoring run used: its version, tag and evidence, or "unregistered".

Batch predictions carry these in every row (``mlgate predict``), so an audit can go from a
prediction to the tag, and from the tag to the evidence that let the model through the gate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mlgate import io
from mlgate.registry.evidence import evidence_digest, evidence_hashes
from mlgate.registry.state import Event, RegistryState

#: The version a model has when no registration matches its bytes.
UNREGISTERED = "unregistered"


@dataclass(frozen=True)
class ModelIdentity:
    """What a scoring run stamps on each prediction.

    Attributes
    ----------
    model_sha256 : str
        The scored model file's SHA-256.
    version, tag : str
        The registered version and its tag (``model@v1.2.0``), or :data:`UNREGISTERED` twice.
    commit : str or None
        The commit the version was registered on.
    evidence_digest : str
        The digest the registration recorded; for an unregistered model, that of the
        working folder's evidence files.
    """

    model_sha256: str
    version: str
    tag: str
    commit: str | None
    evidence_digest: str


def identify_model(
    model_path: str, state: RegistryState, *, trusted: Callable[[Event], bool]
) -> ModelIdentity:
    """The registration whose record holds ``model_path``'s SHA-256, newest first.

    Only a registration ``trusted`` accepts names the model: a forged tag whose record copies the
    file's hash must not stamp predictions with its version.
    """
    sha = io.file_sha256(model_path)
    for event in sorted(state.registrations.values(), key=lambda e: e.at, reverse=True):
        hashes = (event.record or {}).get("hashes") or {}
        if hashes.get("model_sha256") == sha and trusted(event):
            return ModelIdentity(
                sha,
                event.version or UNREGISTERED,
                event.tag,
                event.commit,
                str((event.record or {}).get("evidence_digest")),
            )
    return ModelIdentity(sha, UNREGISTERED, UNREGISTERED, None, evidence_digest(evidence_hashes()))
