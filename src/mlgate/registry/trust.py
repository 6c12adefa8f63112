"""When a registry tag may be believed: what every command that resolves a stage or version asks.

A tag is data anyone with push access can write, in GTO's format, with any record in its message.
So a registration or assignment is trusted only when it proves itself:

1. its SSH signature verifies against the ``allowed_signers`` file committed on the protected
   branch, by a key allowed to do what the tag does (``mlgate:register``,
   ``mlgate:stage:<stage>``) and belonging to the tag's tagger (:mod:`.signatures`);
2. the tag object names itself and the commit the ref says (a signed tag cannot be re-pushed
   under another name);
3. mlgate wrote its record, for that commit, and the evidence committed there still has the
   digest the record carries (:func:`~.evidence.verify_tag_record`);
4. the commit is on the protected branch (reviewed and merged);
5. the commit's own ``reports/gate.json`` says promote.

``--allow-unsigned`` drops the first rule only, for local experiments, and every output of a
command that used it says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlgate import paths
from mlgate.gate.decision_schema import recorded_decision_problem
from mlgate.git import is_ancestor, read_json_at, read_text_at, resolve, tag_object
from mlgate.registry.evidence import verify_tag_record
from mlgate.registry.signatures import (
    REGISTER_PRINCIPAL,
    signer_principals,
    split_tag,
    stage_principal,
    verify_signature,
)
from mlgate.registry.state import (
    ASSIGNMENT,
    REGISTRATION,
    Event,
    RegistryState,
    production_tag,
    read_state,
)

if TYPE_CHECKING:
    from mlgate.config.registry import RegistryConfig

#: What every output of a command run with ``--allow-unsigned`` says.
UNSIGNED_WARNING = (
    "UNSIGNED registry tags accepted (--allow-unsigned): for local experiments only, never for "
    "a model that serves or is judged in CI."
)


@dataclass(frozen=True)
class TrustPolicy:
    """What a tag must prove, read once per command.

    Attributes
    ----------
    protected_ref : str or None
        The protected branch as this clone has it (``origin/main``); None when
        ``registry.protected_branch`` is empty.
    allowed_signers : str or None
        The ``allowed_signers`` file as committed on the protected branch; None when absent.
    signers_source : str
        Where it was read, for messages (``origin/main:.mlgate/allowed_signers``).
    allow_unsigned : bool
        Whether signatures are skipped (``--allow-unsigned``).
    """

    protected_ref: str | None
    allowed_signers: str | None
    signers_source: str
    allow_unsigned: bool = False


def load_policy(cfg: RegistryConfig, *, allow_unsigned: bool = False) -> TrustPolicy:
    """The trust policy of this repository: the signers as the protected branch has them.

    The signers are read from the protected branch, never from the working folder, so a branch
    that adds its own key to the file gains nothing until the change is reviewed and merged.
    Without a protected branch the file is read at ``HEAD`` (and the commit rule is void).
    """
    branch = cfg.protected_branch
    ref = None if branch is None else (f"{cfg.remote}/{branch}" if cfg.remote else branch)
    anchor = ref or "HEAD"
    text = read_text_at(anchor, cfg.allowed_signers) if resolve(anchor) else None
    return TrustPolicy(ref, text, f"{anchor}:{cfg.allowed_signers}", allow_unsigned)


def signature_problems(event: Event, policy: TrustPolicy) -> list[str]:
    """Why ``event``'s tag is not signed by someone allowed to make it; empty when it is."""
    raw = tag_object(event.tag)
    if raw is None:
        return [f"{event.tag} is not an annotated tag here."]
    tag = split_tag(raw)
    problems = []
    if tag.name != event.tag:
        problems.append(
            f"{event.tag} holds a tag object named {tag.name!r}: a tag copied under another name."
        )
    if tag.target != event.commit:
        problems.append(f"{event.tag} points at {event.commit[:12]}, its object at {tag.target}.")
    if policy.allow_unsigned:
        return problems
    if tag.signature is None:
        return [
            *problems,
            f"{event.tag} is not signed (with an SSH key: docs/explanation/security.md).",
        ]
    if policy.allowed_signers is None:
        return [
            *problems,
            f"{event.tag} is signed, but {policy.signers_source} does not exist: nobody is "
            "allowed to sign the registry's tags. Commit an allowed_signers file there "
            "(registry.allowed_signers in params.yaml).",
        ]
    needed = (
        REGISTER_PRINCIPAL if event.kind == REGISTRATION else stage_principal(event.stage or "")
    )
    signers = policy.allowed_signers
    if not verify_signature(tag, allowed_signers=signers, principal=tag.tagger_email):
        granted = signer_principals(tag, allowed_signers=signers)
        problems.append(
            f"{event.tag}'s signature does not verify as its tagger <{tag.tagger_email}> "
            f"against {policy.signers_source} "
            + (f"(the key is allowed as {granted})." if granted else "(an unknown key).")
        )
    elif not verify_signature(tag, allowed_signers=signers, principal=needed):
        problems.append(
            f"{event.tag} is signed by <{tag.tagger_email}>, whose key {policy.signers_source} "
            f"does not allow {needed!r}."
        )
    return problems


def commit_problems(event: Event, policy: TrustPolicy) -> list[str]:
    """Why ``event``'s commit is not a promotable one: off the protected branch, or rejected."""
    problems = []
    if policy.protected_ref is not None:
        if resolve(policy.protected_ref) is None:
            problems.append(
                f"the protected branch {policy.protected_ref} is not here, so {event.tag}'s "
                "commit cannot be shown to be on it (fetch it first)."
            )
        elif not is_ancestor(event.commit, policy.protected_ref):
            problems.append(
                f"{event.tag} points at {event.commit[:12]}, which is not on the protected "
                f"branch {policy.protected_ref}: it was never reviewed and merged."
            )
    not_promoted = recorded_decision_problem(
        read_json_at(event.commit, paths.GATE), source=f"{paths.GATE} at {event.commit[:12]}"
    )
    return [*problems, *([not_promoted] if not_promoted else [])]


def event_problems(event: Event, policy: TrustPolicy) -> list[str]:
    """Every reason the tag of ``event`` cannot be trusted; empty when it can."""
    return [
        *signature_problems(event, policy),
        *verify_tag_record(
            event.record, tag=event.tag, target=event.commit, problem=event.record_problem
        ),
        *commit_problems(event, policy),
    ]


def resolution_problems(state: RegistryState, event: Event, policy: TrustPolicy) -> list[str]:
    """Why the model ``event`` names cannot be used.

    The event itself, and for an assignment the registration of its version too (whose record
    carries the model's hashes).
    """
    problems = event_problems(event, policy)
    if event.kind == ASSIGNMENT:
        registration = state.registrations.get(event.version or "")
        if registration is None:
            problems.append(f"{event.tag} assigns {event.version}, which is not registered.")
        elif registration.commit != event.commit:
            problems.append(
                f"{event.tag} points at {event.commit[:12]}, but {registration.tag} at "
                f"{registration.commit[:12]}."
            )
        else:
            problems += event_problems(registration, policy)
    return list(dict.fromkeys(problems))


@dataclass(frozen=True)
class Champion:
    """The production model as the comparison checks' champion.

    Attributes
    ----------
    tag : str
        The tag that holds the production stage.
    refusal : str or None
        Why it cannot be trusted (the comparison checks then say ``error`` with it).
    notes : tuple of str
        What to tell the user: which model, and the refusal or the unsigned warning.
    """

    tag: str
    refusal: str | None
    notes: tuple[str, ...]


def production_champion(registry: RegistryConfig, *, allow_unsigned: bool) -> Champion | None:
    """The model the production stage holds, proved as it would be to be served; None if none."""
    production = production_tag(registry.artifact, registry.production_stage)
    if production is None:
        return None
    notes = [f"champion: the production model {production.version} ({production.tag})"]
    policy = load_policy(registry, allow_unsigned=allow_unsigned)
    problems = resolution_problems(read_state(registry.artifact), production, policy)
    refusal = None
    if problems:
        refusal = f"the production tag {production.tag} cannot be trusted: " + " ".join(problems)
        notes.append(refusal)
    elif allow_unsigned:
        notes.append(UNSIGNED_WARNING)
    return Champion(production.tag, refusal, tuple(notes))
