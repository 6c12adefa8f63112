"""The model a scoring run uses, with its identity: a model file, or a registered version.

A model file is read once: the bytes that are audited and loaded are the bytes whose SHA-256 the
predictions carry. A registered version's model is read at its registration commit through DVC,
and refused unless its MD5 is the one ``dvc.lock`` records at that commit and its SHA-256 the one
the registration's tag records. The registry is read from the local tags (``git fetch --tags``, or
any ``mlgate registry`` command, brings them up to date); outside a git repository every model is
unregistered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlgate import paths
from mlgate.config.registry import RegistryConfig
from mlgate.errors import ConfigError, ModelError, RunError
from mlgate.git import run_git
from mlgate.model.files import load_model_bytes
from mlgate.registry.identity import SIGNED, UNSIGNED_ALLOWED, ModelIdentity, identify_model
from mlgate.registry.state import Event, RegistryState, read_state
from mlgate.registry.trust import (
    UNSIGNED_WARNING,
    event_problems,
    load_policy,
    resolution_problems,
)
from mlgate.revisions import OutputUnavailable, locked_md5, read_output_bytes


@dataclass(frozen=True)
class ServedModel:
    """A loaded model and what its predictions say about it.

    Attributes
    ----------
    model : estimator
        The model, loaded through mlgate's audit (:func:`mlgate.model.files.load_model_bytes`).
    identity : ModelIdentity
        Its SHA-256, version, tag, registration commit and evidence digest.
    source : str
        Where its bytes came from, for people.
    """

    model: Any
    identity: ModelIdentity
    source: str

    def describe(self) -> str:
        """One line: where the model came from, its version, hash and evidence."""
        identity = self.identity
        registered = (
            f"{identity.version} ({identity.tag}, commit {identity.commit[:12]})"
            if identity.commit
            else "unregistered"
        )
        return (
            f"{self.source}: {registered}, sha256 {identity.model_sha256[:12]}, evidence "
            f"{identity.evidence_digest}"
        )


def local_registry(artifact: str) -> RegistryState:
    """The registry as the local tags say; empty outside a git repository (or without git)."""
    try:
        inside = run_git("rev-parse", "--is-inside-work-tree", check=False).stdout.strip()
    except RunError:  # git is not installed: nothing can be registered here
        inside = ""
    return read_state(artifact) if inside == "true" else RegistryState(artifact, ())


def model_from_file(
    path: str | Path,
    *,
    registry: RegistryConfig,
    extra_types: frozenset[str] = frozenset(),
    allow_unsigned: bool = False,
) -> ServedModel:
    """Load the model file at ``path`` and identify it by its SHA-256 among the registrations.

    Only a registration that proves itself (:mod:`mlgate.registry.trust`) identifies it.

    Raises
    ------
    ModelError
        When the file is missing, is refused by the audit, or changed while it was read.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(
            f"model file {path} not found. Run the train stage (dvc repro train), or give "
            "--model, --stage or --version."
        )
    data = path.read_bytes()
    model = load_model_bytes(data, source=str(path), extra_types=extra_types)
    policy = load_policy(registry, allow_unsigned=allow_unsigned)
    identity = identify_model(
        str(path),
        local_registry(registry.artifact),
        trusted=lambda event: not event_problems(event, policy),
        signatures_checked=not allow_unsigned,
    )
    if identity.model_sha256 != hashlib.sha256(data).hexdigest():
        raise ModelError(f"{path} changed while it was read: run the command again.")
    return ServedModel(model, identity, str(path))


def model_from_registry(
    cfg: RegistryConfig,
    *,
    stage: str | None = None,
    version: str | None = None,
    extra_types: frozenset[str] = frozenset(),
    allow_unsigned: bool = False,
) -> ServedModel:
    """Load the model of a registered ``version``, or of the version ``stage`` holds.

    The tags that name it (the stage's assignment, the version's registration) must prove
    themselves first (:mod:`mlgate.registry.trust`); ``allow_unsigned`` skips their signatures.

    Raises
    ------
    ConfigError
        When the stage or version is unknown, or the stage holds no version.
    ModelError
        When a tag cannot be trusted, or the bytes are not the ones ``dvc.lock`` and the tag
        record, or are refused.
    RunError
        When DVC cannot find the model in its cache or remote.
    """
    state = local_registry(cfg.artifact)
    named_by = _named_by(state, cfg, stage=stage, version=version)
    problems = resolution_problems(state, named_by, load_policy(cfg, allow_unsigned=allow_unsigned))
    if problems:
        raise ModelError(
            f"refusing {named_by.tag}: the registry's tag cannot be trusted:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )
    event = state.registrations[named_by.version or ""]
    where = f"{event.tag} ({paths.MODEL} at {event.commit[:12]})"
    try:
        data = read_output_bytes(event.commit)
    except OutputUnavailable as exc:
        raise RunError(
            f"{where} is not in the DVC cache or remote ({exc.kind}: {exc.detail}). "
            "Run `dvc pull` (or `dvc fetch`) for that commit, or `dvc repro` on it."
        ) from None
    expected_md5 = locked_md5(event.commit)
    sha256 = hashlib.sha256(data).hexdigest()
    recorded = ((event.record or {}).get("hashes") or {}).get("model_sha256")
    if hashlib.md5(data).hexdigest() != expected_md5 or recorded not in (None, sha256):
        raise ModelError(
            f"{where}: its bytes (SHA-256 {sha256}) are not the ones dvc.lock at that commit "
            f"(MD5 {expected_md5}) and the tag (SHA-256 {recorded}) record: refused."
        )
    model = load_model_bytes(data, source=where, extra_types=extra_types)
    digest = str((event.record or {}).get("evidence_digest"))
    trust = UNSIGNED_ALLOWED if allow_unsigned else SIGNED
    identity = ModelIdentity(sha256, str(event.version), event.tag, event.commit, digest, trust)
    if allow_unsigned:
        where = f"{where} [{UNSIGNED_WARNING}]"
    return ServedModel(model, identity, where)


def served_model(
    cfg: RegistryConfig,
    *,
    model_path: Path | None,
    stage: str | None,
    version: str | None,
    extra_types: frozenset[str] = frozenset(),
    allow_unsigned: bool = False,
) -> ServedModel:
    """The model that ``--model``, ``--stage`` or ``--version`` names (default: the model file)."""
    if stage is None and version is None:
        return model_from_file(
            model_path or paths.MODEL,
            registry=cfg,
            extra_types=extra_types,
            allow_unsigned=allow_unsigned,
        )
    return model_from_registry(
        cfg, stage=stage, version=version, extra_types=extra_types, allow_unsigned=allow_unsigned
    )


def _named_by(
    state: RegistryState, cfg: RegistryConfig, *, stage: str | None, version: str | None
) -> Event:
    """The tag that names the model: the stage's assignment, or the version's registration."""
    if stage is not None:
        if stage not in cfg.stages:
            raise ConfigError(
                f"--stage {stage!r} is not a registry stage: expected one of {list(cfg.stages)} "
                "(registry.stages in params.yaml)."
            )
        holder = state.holder(stage)
        if holder is None:
            raise ConfigError(
                f"no version of {cfg.artifact!r} is in stage {stage!r} (by the local tags: "
                "`git fetch --tags` brings the remote's). Promote one with `mlgate promote`."
            )
        return holder
    registration = state.registrations.get(version or "")
    if registration is None:
        known = sorted(state.registrations) or "none"
        raise ConfigError(
            f"{cfg.artifact!r} has no registered version {version!r} (by the local tags; "
            f"registered: {known}). Give a version `mlgate registry show` lists."
        )
    return registration
