"""Planning a registry action's tags, writing them, and pushing them (for :mod:`.actions`).

GTO writes the annotated tags (``model@v1.2.0``, ``model#prod#N``) locally; mlgate owns the traffic
with the remote, because GTO pushes one tag at a time and leaves a rejected tag behind. One
attempt: fetch the remote's tags (they are the truth), read the state, plan, tag, push every new
tag atomically. A push the remote rejects means another promotion won the race: the local tags
are deleted and the attempt starts again from the fetch, where the winner's tags now decide
(usually: already done, a no-op).
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mlgate.errors import ConfigError, PromotionRefused, RunError
from mlgate.git import (
    delete_local_tags,
    fetch_tags_and_branch,
    has_remote,
    is_ancestor,
    push_tags_atomic,
    read_text_at,
    resolve,
)
from mlgate.io import parse_yaml
from mlgate.provenance import mlgate_version
from mlgate.registry.acting import VersionRequest
from mlgate.registry.evidence import (
    RECORD_SCHEMA,
    format_message,
    key_metrics,
    locked_hashes,
)
from mlgate.registry.journal import remember
from mlgate.registry.state import Event, RegistryState, read_state

if TYPE_CHECKING:
    from mlgate.config.registry import RegistryConfig

#: Attempts before a promotion that keeps losing races gives up (exit 3).
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Plan:
    """What one promotion will do.

    Attributes
    ----------
    commit, version, stage : str
        The commit, its version (new or registered before) and the target stage.
    register : bool
        Whether the version is new (a ``model@version`` tag).
    force : bool
        Whether GTO needs ``force``: the version was in this stage before (a rollback).
    record : dict
        The JSON record every new tag carries.
    noop : str or None
        Why nothing needs doing (the version already holds the stage); None otherwise.
    """

    commit: str
    version: str
    stage: str
    register: bool
    force: bool
    record: dict[str, Any]
    noop: str | None = None

    def tag_names(self, state: RegistryState, artifact: str) -> list[str]:
        """The tags this plan writes (the stage tag's counter as GTO computes it)."""
        counter = max((e.counter for e in state.events), default=0) + 1
        names = [f"{artifact}@{self.version}"] if self.register else []
        return [*names, f"{artifact}#{self.stage}#{counter}"]


def next_version(state: RegistryState, *, version: str | None, bump: str | None) -> str:
    """The version to register: ``version`` as given, or the latest one bumped (patch default)."""
    from gto.versions import SemVer

    if version is not None:
        if not SemVer.is_valid(version):
            raise ConfigError(
                f"--version {version!r} is not a version: expected v<major>.<minor>.<patch>, "
                "e.g. v1.2.0."
            )
        if version in state.registrations:
            raise PromotionRefused(
                f"{state.artifact}@{version} is already registered, on commit "
                f"{state.registrations[version].commit[:12]} "
                f"({state.registrations[version].describe()}). Choose another version."
            )
        return version
    latest = state.latest_version()
    if latest is None:
        return "v0.1.0"
    part = bump or "patch"
    return SemVer(latest).bump(**{f"bump_{part}": True}).version


@dataclass(frozen=True)
class Proof:
    """What a promotion's record proves the commit by: the recomputed gate and what it read.

    Attributes
    ----------
    digest : str
        The evidence digest the recomputed gate gave.
    hashes : dict
        Each evidence file's SHA-256.
    evidence : dict
        ``reports/checks.json`` (its metrics and provenance are recorded).
    lock : dict
        ``dvc.lock`` as committed (the outputs' hashes are recorded).
    """

    digest: str
    hashes: dict[str, str]
    evidence: dict[str, Any]
    lock: dict[str, Any]


def build_record(
    *,
    artifact: str,
    stage: str | None,
    commit: str,
    proof: Proof,
    actor: str,
    previous: Event | None,
) -> dict[str, Any]:
    """The JSON record a promotion's tags carry (schema :data:`~.evidence.RECORD_SCHEMA`).

    Its ``version`` is left empty: :func:`plan_promotion` fills it in.
    """
    return {
        "schema": RECORD_SCHEMA,
        "action": "promote",
        "artifact": artifact,
        "version": "",
        "stage": stage,
        "decision": "promote",
        "commit": commit,
        "evidence_digest": proof.digest,
        "evidence": proof.hashes,
        "hashes": {**locked_hashes(proof.lock), **_fingerprint_hashes(proof.evidence)},
        "metrics": key_metrics(proof.evidence),
        "mlgate_version": mlgate_version(),
        "promotion_id": str(uuid.uuid4()),
        "promoted_by": actor,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "previous": None if previous is None else f"{previous.tag} ({previous.version})",
    }


def _fingerprint_hashes(evidence: dict[str, Any]) -> dict[str, Any]:
    provenance = evidence.get("provenance") or {}
    keys = ("model_sha256", "params_sha256", "code_sha256")
    return {key: provenance.get(key) for key in keys if key in provenance}


def read_lock_at_head() -> dict[str, Any]:
    """``dvc.lock`` as committed ({} if absent)."""
    text = read_text_at("HEAD", "dvc.lock")
    parsed = parse_yaml(text, source="dvc.lock") if text else {}
    return parsed if isinstance(parsed, dict) else {}


def plan_promotion(
    state: RegistryState,
    *,
    commit: str,
    stage: str,
    request: VersionRequest,
    record: dict[str, Any],
) -> Plan:
    """Decide the tags for promoting ``commit`` to ``stage`` given the registry ``state``.

    A commit registered before keeps its version (``request.bump`` numbers new versions only);
    asking for another ``request.version`` is refused.
    """
    version = request.version
    registered = state.version_at(commit)
    if registered is not None and version is not None and version != registered:
        raise PromotionRefused(
            f"commit {commit[:12]} is already registered as {state.artifact}@{registered}; it "
            f"cannot also be {version}. Promote it as {registered} (omit --version)."
        )
    chosen = registered or next_version(state, version=version, bump=request.bump)
    holder = state.holder(stage)
    plan = Plan(
        commit,
        chosen,
        stage,
        register=registered is None,
        force=state.assigned_before(chosen, stage),
        record={**record, "version": chosen, "stage": stage},
    )
    if holder is not None and holder.version == chosen:
        return replace(
            plan,
            noop=f"already promoted: {state.artifact}@{chosen} is in {stage} "
            f"({holder.describe()}).",
        )
    return plan


def write_tags(plan: Plan, artifact: str, *, author: tuple[str, str]) -> list[str]:
    """Create the plan's annotated tags locally through GTO's API; their names."""
    from gto import api

    created = []
    name, email = author
    if plan.register:
        registration_record = {**plan.record, "action": "register", "stage": None}
        registration = api.register(
            ".",
            artifact,
            plan.commit,
            version=plan.version,
            message=format_message(registration_record),
            author=name or None,
            author_email=email or None,
        )
        created.append(registration.tag)
    assignment = api.assign(
        ".",
        artifact,
        plan.stage,
        version=plan.version,
        message=format_message(plan.record),
        force=plan.force,
        author=name or None,
        author_email=email or None,
    )
    created.append(assignment.tag)
    return created


def check_protected(cfg: RegistryConfig, commit: str) -> None:
    """Refuse a commit that is not on the protected branch (as the remote has it)."""
    if cfg.protected_branch is None:
        return
    branch = f"{cfg.remote}/{cfg.protected_branch}" if cfg.remote else cfg.protected_branch
    if resolve(branch) is None:
        raise PromotionRefused(
            f"the protected branch {branch} does not exist here, so {commit[:12]} cannot be "
            "shown to be on it (registry.protected_branch in params.yaml)."
        )
    if not is_ancestor(commit, branch):
        raise PromotionRefused(
            f"commit {commit[:12]} is not on the protected branch {branch}: only merged, "
            "reviewed commits are promoted (registry.protected_branch in params.yaml)."
        )


def sync(cfg: RegistryConfig) -> None:
    """Fetch the remote's tags and protected branch; refuse a configured remote that is absent.

    The tags seen before and after are added to this clone's journal (:mod:`.journal`), so a tag
    the fetch prunes (deleted on the remote) still shows in ``registry history``.
    """
    if cfg.remote is None:
        return
    if not has_remote(cfg.remote):
        raise ConfigError(
            f"registry.remote is {cfg.remote!r}, but this repository has no such git remote. "
            "Add it (git remote add), or set registry.remote to null to keep tags local."
        )
    remember(read_state(cfg.artifact))
    fetch_tags_and_branch(cfg.remote, cfg.protected_branch)
    remember(read_state(cfg.artifact))


def run_with_retry(cfg: RegistryConfig, attempt_once: Any, *, sleep: Any = time.sleep) -> Any:
    """Call ``attempt_once()`` until its tags reach the remote, at most :data:`MAX_ATTEMPTS`.

    ``attempt_once`` fetches, plans and tags; it returns ``(outcome, created_tags)``.
    """
    message = ""
    for attempt in range(MAX_ATTEMPTS):
        sync(cfg)
        outcome, created = attempt_once()
        if not created or cfg.remote is None:
            return outcome
        pushed, message = push_tags_atomic(cfg.remote, created)
        if pushed:
            return outcome
        delete_local_tags(created)
        sleep(0.2 + random.random() * (attempt + 1))
    raise RunError(
        f"the remote {cfg.remote} refused the promotion's tags {MAX_ATTEMPTS} times "
        f"(other promotions kept winning, or no push access): {message}"
    )
