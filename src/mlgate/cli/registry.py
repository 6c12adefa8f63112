"""``mlgate registry show | history | rollback | verify``: read and move the registry's tags."""

from __future__ import annotations

import json
import os

import click

from mlgate.cli.common import ALLOW_UNSIGNED, pass_config
from mlgate.cli.promote import acting_identity, echo_outcome, signing_key_for
from mlgate.config import Config
from mlgate.errors import PromotionRefused
from mlgate.registry.acting import Acting
from mlgate.registry.actions import fetch_state, rollback, verify_tag
from mlgate.registry.journal import missing_counters, vanished
from mlgate.registry.state import Event, RegistryState, read_state
from mlgate.registry.trust import (
    UNSIGNED_WARNING,
    TrustPolicy,
    load_policy,
    signature_problems,
)


def _evidence(event: Event) -> str:
    if event.record is None:
        return "no mlgate record (not made by mlgate promote)"
    return f"evidence {event.record.get('evidence_digest')}"


@click.group("registry")
def registry_cmd() -> None:
    """Show the registry (GTO tags), its history; roll back; verify a tag's evidence."""


NO_FETCH = click.option(
    "--no-fetch",
    is_flag=True,
    help="Read the local tags only (by default the remote's tags are fetched first).",
)


@registry_cmd.command("show")
@click.option("--json", "as_json", is_flag=True, help="One JSON document (for scripts).")
@NO_FETCH
@pass_config
def show_cmd(cfg: Config, as_json: bool, no_fetch: bool) -> None:
    """Each stage's current version and each registered version, with who, when, evidence."""
    state = read_state(cfg.registry.artifact) if no_fetch else fetch_state(cfg.registry)
    if as_json:
        click.echo(json.dumps(state_document(state, cfg.registry.stages), indent=2))
    else:
        click.echo("\n".join(state_lines(state, cfg.registry.stages)))


def state_lines(state: RegistryState, stages: tuple[str, ...]) -> list[str]:
    """``registry show``: each stage's holder, then each registered version, newest first."""
    lines = [f"artifact {state.artifact}"]
    for stage in stages:
        holder = state.holder(stage)
        if holder is None:
            lines.append(f"  {stage}: (none)")
        else:
            lines.append(
                f"  {stage}: {holder.version} (commit {holder.commit[:12]}), "
                f"{holder.describe()}, {_evidence(holder)}"
            )
    lines.append("versions:")
    for version, event in sorted(
        state.registrations.items(), key=lambda kv: kv[1].at, reverse=True
    ):
        held = [s for s in stages if (h := state.holder(s)) and h.version == version]
        lines.append(
            f"  {version} (commit {event.commit[:12]}) {event.describe()}"
            + (f" [{', '.join(held)}]" if held else "")
        )
    return lines


def _event_document(event: Event) -> dict:
    return {
        "version": event.version,
        "stage": event.stage,
        "tag": event.tag,
        "commit": event.commit,
        "by": f"{event.author} <{event.author_email}>",
        "at": event.at.isoformat(),
        "evidence_digest": (event.record or {}).get("evidence_digest"),
    }


def state_document(state: RegistryState, stages: tuple[str, ...]) -> dict:
    """``registry show --json``: each stage's holder and each version's registration."""
    return {
        "artifact": state.artifact,
        "stages": {
            stage: _event_document(h) if (h := state.holder(stage)) else None for stage in stages
        },
        "versions": {v: _event_document(e) for v, e in state.registrations.items()},
    }


@registry_cmd.command("history")
@NO_FETCH
@pass_config
def history_cmd(cfg: Config, no_fetch: bool) -> None:
    """Every registration and assignment, newest first: what was where, when, by whom.

    Tags deleted or replaced on the remote are listed first: those this clone saw before
    (its journal), and stage-tag numbers no tag holds. Each event says whether its tag is
    signed by a signer the protected branch allows for it.
    """
    state = read_state(cfg.registry.artifact) if no_fetch else fetch_state(cfg.registry)
    for line in history_lines(state, load_policy(cfg.registry)):
        click.echo(line)


def history_lines(state: RegistryState, policy: TrustPolicy) -> list[str]:
    """``registry history``: deleted tags first, then every event, newest first, signed or not."""
    lines = [gone.describe() for gone in vanished(state)]
    lines += [
        f"DELETED: stage tag number {counter} ({state.artifact}#<stage>#{counter})"
        for counter in missing_counters(state)
    ]
    for event in reversed(state.events):
        action = (event.record or {}).get("action", event.kind)
        where = f" -> {event.stage}" if event.stage else ""
        unsigned = signature_problems(event, policy)
        signed = f"  UNTRUSTED: {unsigned[0]}" if unsigned else "  signed"
        lines.append(
            f"{event.at:%Y-%m-%d %H:%M:%S%z} {action:<9} {event.version}{where}  "
            f"{event.tag}  by {event.author} <{event.author_email}>  {_evidence(event)}{signed}"
        )
    return lines


@registry_cmd.command("rollback")
@click.option("--to", "to_version", required=True, help="The version to put back (vX.Y.Z).")
@click.option("--stage", default=None, help="The stage (default: registry.production_stage).")
@click.option("--dry-run", is_flag=True, help="Print the tag it would write; write nothing.")
@ALLOW_UNSIGNED
@pass_config
def rollback_cmd(
    cfg: Config, to_version: str, stage: str | None, dry_run: bool, allow_unsigned: bool
) -> int:
    """Assign an earlier version to a stage again (a new tag; history is never deleted)."""
    actor, author = acting_identity()
    key = signing_key_for(cfg, allow_unsigned=allow_unsigned, dry_run=dry_run)
    outcome = rollback(
        cfg,
        to_version=to_version,
        stage=stage or cfg.registry.production_stage,
        dry_run=dry_run,
        acting=Acting(actor, author, key),
        tracking_uri=os.environ.get("MLFLOW_TRACKING_URI"),
    )
    echo_outcome(outcome, dry_run=dry_run, verb="roll back", done="rolled back")
    return 0


@registry_cmd.command("verify")
@click.argument("tag")
@ALLOW_UNSIGNED
@pass_config
def verify_cmd(cfg: Config, tag: str, allow_unsigned: bool) -> int:
    """Check that TAG proves itself, as every command that serves from a tag asks.

    Signed by an allowed signer, written by mlgate promote for a commit on the protected branch
    whose own gate promoted it, and its evidence unchanged since.
    """
    event, problems = verify_tag(cfg.registry, tag, allow_unsigned=allow_unsigned)
    if problems or event is None:
        raise PromotionRefused("tag refused:\n" + "\n".join(f"  - {p}" for p in problems))
    signed = UNSIGNED_WARNING if allow_unsigned else "signed by an allowed signer"
    click.echo(
        f"{tag}: verified: {event.version} at commit {event.commit}, {_evidence(event)}; {signed}"
    )
    return 0
