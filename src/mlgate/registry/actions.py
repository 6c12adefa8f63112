"""The registry's actions as the commands run them: promote, roll back, verify a tag.

Each action is one attempt function handed to :func:`~.planning.run_with_retry`, which fetches the
remote's tags before every attempt and pushes what the attempt tagged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mlgate.errors import ConfigError, PromotionRefused
from mlgate.git import delete_local_tags, resolve
from mlgate.registry.acting import Acting, VersionRequest
from mlgate.registry.evidence import read_checks_evidence
from mlgate.registry.mirrors import RegistryMirror, mirror_for
from mlgate.registry.planning import (
    Plan,
    Proof,
    build_record,
    check_protected,
    plan_promotion,
    read_lock_at_head,
    run_with_retry,
    sync,
    write_tags,
)
from mlgate.registry.signatures import sign_tag
from mlgate.registry.state import Event, RegistryState, read_state
from mlgate.registry.trust import (
    event_problems,
    load_policy,
    resolution_problems,
    signature_problems,
)
from mlgate.registry.verify import Verification, verify_head

if TYPE_CHECKING:
    from mlgate.config import Config
    from mlgate.config.registry import RegistryConfig


@dataclass(frozen=True)
class Outcome:
    """What an action did: the plan, and the tags it wrote (none for a no-op or a dry run)."""

    plan: Plan
    tags: list[str] = field(default_factory=list)
    planned_tags: list[str] = field(default_factory=list)
    mirrored: str | None = None


def _check_stage(cfg: RegistryConfig, stage: str) -> None:
    if stage not in cfg.stages:
        raise ConfigError(
            f"--stage {stage!r} is not a registry stage: expected one of {list(cfg.stages)} "
            "(registry.stages in params.yaml)."
        )


def promote(
    cfg: Config,
    *,
    stage: str,
    request: VersionRequest,
    dry_run: bool,
    acting: Acting,
    rerun_checks: bool = True,
    tracking_uri: str | None = None,
) -> Outcome:
    """Register the checked-out commit (if new) and assign it to ``stage``, after recomputing.

    The tags are signed with ``acting.signing_key`` (None: left unsigned, ``--allow-unsigned``)
    and must verify against the protected branch's signers before they are pushed.
    The registry's mirror (:mod:`.mirrors`; MLflow at ``tracking_uri``) registers the version
    before the tags are written, and follows them once they are pushed.
    """
    registry = cfg.registry
    _check_stage(registry, stage)
    mirror = mirror_for(cfg, tracking_uri=tracking_uri)
    verified: list[Verification] = []

    def attempt() -> tuple[Outcome, list[str]]:
        commit = resolve("HEAD") or ""
        check_protected(registry, commit)
        if not verified:
            verified.append(verify_head(cfg, rerun_checks=rerun_checks))
        verification = verified[0]
        if verification.problems:
            raise PromotionRefused(
                f"refusing to promote {commit[:12]}:\n"
                + "\n".join(f"  - {problem}" for problem in verification.problems)
            )
        state = read_state(registry.artifact)
        proof = Proof(
            verification.digest, verification.hashes, read_checks_evidence(), read_lock_at_head()
        )
        record = build_record(
            artifact=registry.artifact,
            stage=stage,
            commit=commit,
            proof=proof,
            actor=acting.actor,
            previous=state.holder(stage),
        )
        plan = plan_promotion(state, commit=commit, stage=stage, request=request, record=record)
        if mirror.record_key is not None and not (plan.noop or dry_run):
            registered = mirror.register(plan.record)
            plan = replace(plan, record={**plan.record, mirror.record_key: registered})
        return _carry_out(plan, state, registry, dry_run=dry_run, acting=acting)

    return _followed(mirror, registry, run_with_retry(registry, attempt), stage, dry_run)


def rollback(
    cfg: Config,
    *,
    to_version: str,
    stage: str,
    dry_run: bool,
    acting: Acting,
    tracking_uri: str | None = None,
) -> Outcome:
    """Assign an earlier version to ``stage`` again; history is kept, nothing is deleted.

    The version's registration must prove itself (:mod:`.trust`) as it would to be served.

    The registry's mirror then follows (MLflow: the stage's alias points at that version again).
    """
    registry = cfg.registry
    _check_stage(registry, stage)

    def attempt() -> tuple[Outcome, list[str]]:
        state = read_state(registry.artifact)
        registration = state.registrations.get(to_version)
        if registration is None:
            raise PromotionRefused(
                f"{registry.artifact}@{to_version} is not registered. Registered versions: "
                f"{sorted(state.registrations) or 'none'} (`mlgate registry show`)."
            )
        policy = load_policy(registry, allow_unsigned=acting.signing_key is None)
        problems = event_problems(registration, policy)
        if problems:
            raise PromotionRefused(
                f"refusing to roll back to {to_version}:\n"
                + "\n".join(f"  - {problem}" for problem in problems)
            )
        check_protected(registry, registration.commit)
        holder = state.holder(stage)
        record = {
            **(registration.record or {}),
            "action": "rollback",
            "stage": stage,
            "promotion_id": str(uuid.uuid4()),
            "promoted_by": acting.actor,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "previous": None if holder is None else f"{holder.tag} ({holder.version})",
        }
        plan = Plan(
            registration.commit,
            to_version,
            stage,
            register=False,
            force=state.assigned_before(to_version, stage),
            record=record,
        )
        if holder is not None and holder.version == to_version:
            plan = replace(
                plan,
                noop=f"{registry.artifact}@{to_version} already holds {stage} "
                f"({holder.describe()}): nothing to roll back.",
            )
        return _carry_out(plan, state, registry, dry_run=dry_run, acting=acting)

    mirror = mirror_for(cfg, tracking_uri=tracking_uri)
    return _followed(mirror, registry, run_with_retry(registry, attempt), stage, dry_run)


def _followed(
    mirror: RegistryMirror, registry: RegistryConfig, outcome: Outcome, stage: str, dry_run: bool
) -> Outcome:
    """The outcome once the mirror has followed what the pushed tags put in ``stage``."""
    if dry_run or mirror.record_key is None:
        return outcome
    holder = read_state(registry.artifact).holder(stage)
    return replace(outcome, mirrored=mirror.follow(stage, holder))


def _carry_out(
    plan: Plan,
    state: RegistryState,
    registry: RegistryConfig,
    *,
    dry_run: bool,
    acting: Acting,
) -> tuple[Outcome, list[str]]:
    planned = plan.tag_names(state, registry.artifact)
    if plan.noop or dry_run:
        return Outcome(plan, planned_tags=planned), []
    created = write_tags(plan, registry.artifact, author=acting.author)
    try:
        if acting.signing_key is not None:
            for tag in created:
                sign_tag(tag, key=acting.signing_key)
        problems = new_tag_problems(created, registry, allow_unsigned=acting.signing_key is None)
    except BaseException:
        delete_local_tags(created)
        raise
    if problems:
        delete_local_tags(created)
        raise PromotionRefused(
            "refusing to push tags the registry would not trust:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )
    return Outcome(plan, tags=created, planned_tags=planned), created


def fetch_state(cfg: RegistryConfig) -> RegistryState:
    """The registry's state after fetching the remote's tags."""
    sync(cfg)
    return read_state(cfg.artifact)


def production_commit(cfg: RegistryConfig) -> Event | None:
    """The assignment holding the production stage, from the local tags; None if none."""
    return read_state(cfg.artifact).holder(cfg.production_stage)


def verify_tag(
    cfg: RegistryConfig, tag: str, *, allow_unsigned: bool = False
) -> tuple[Event | None, list[str]]:
    """The event of ``tag`` and why it cannot be trusted (empty: it can be deployed).

    The same proofs serving asks (:func:`~.trust.resolution_problems`): signature, record,
    evidence digest, protected branch, the commit's own gate.
    """
    state = read_state(cfg.artifact)
    event = next((e for e in state.events if e.tag == tag), None)
    if event is None:
        known = resolve(f"refs/tags/{tag}")
        why = "is not an annotated GTO tag of" if known else "does not exist in"
        return None, [f"tag {tag!r} {why} the registry of {cfg.artifact!r} (fetch tags first?)."]
    policy = load_policy(cfg, allow_unsigned=allow_unsigned)
    return event, resolution_problems(state, event, policy)


def new_tag_problems(
    created: list[str], registry: RegistryConfig, *, allow_unsigned: bool
) -> list[str]:
    """Why the tags this promotion just wrote would not be trusted by their signature.

    Checked before the push, so that a key the protected branch does not allow is refused here
    and not by every command that later reads the tag.
    """
    state = read_state(registry.artifact)
    policy = load_policy(registry, allow_unsigned=allow_unsigned)
    return [
        problem
        for event in state.events
        if event.tag in created
        for problem in signature_problems(event, policy)
    ]
