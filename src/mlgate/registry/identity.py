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

#: How the tag that names a model was trusted (``model_trust`` in the audit file): its signature
#: verified against ``registry.allowed_signers``, or accepted without it (``--allow-unsigned``).
SIGNED = "signed"
UNSIGNED_ALLOWED = "unsigned (--allow-unsigned)"


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
    trust : str
        :data:`SIGNED`, :data:`UNSIGNED_ALLOWED`, or :data:`UNREGISTERED` (no tag names it):
        an audit can tell a prediction made under ``--allow-unsigned`` from one that was not.
    """

    model_sha256: str
    version: str
    tag: str
    commit: str | None
    evidence_digest: str
    trust: str = UNREGISTERED


def identify_model(
    model_path: str,
    state: RegistryState,
    *,
    trusted: Callable[[Event], bool],
    signatures_checked: bool = True,
) -> ModelIdentity:
    """The registration whose record holds ``model_path``'s SHA-256, newest first.

    Only a registration ``trusted`` accepts names the model: a forged tag whose record copies the
    file's hash must not stamp predictions with its version. ``signatures_checked`` says whether
    ``trusted`` verified the tags' signatures (False under ``--allow-unsigned``).
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
                SIGNED if signatures_checked else UNSIGNED_ALLOWED,
            )
    return ModelIdentity(sha, UNREGISTERED, UNREGISTERED, None, evidence_digest(evidence_hashes()))
