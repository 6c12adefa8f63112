"""``mlgate promote``: register the checked-out commit's model and assign it to a stage."""

from __future__ import annotations

import os

import click

from mlgate.cli.common import ALLOW_UNSIGNED, pass_config, say
from mlgate.config import Config
from mlgate.errors import ConfigError
from mlgate.git import identity
from mlgate.registry.acting import Acting, VersionRequest
from mlgate.registry.actions import Outcome, promote
from mlgate.registry.signatures import signing_key
from mlgate.registry.trust import UNSIGNED_WARNING


def acting_identity() -> tuple[str, tuple[str, str]]:
    """Who promotes (CI's actor, else git's user) and the tagger name and email to record."""
    name, email = identity()
    actor = os.environ.get("GITHUB_ACTOR") or name
    if not (name and email):
        if not actor:
            raise ConfigError(
                "who is promoting is unknown: set git's user.name and user.email "
                "(git config user.name ...), which the registry's tags record."
            )
        name, email = actor, f"{actor}@users.noreply.github.com"
    return actor, (name, email)


def signing_key_for(cfg: Config, *, allow_unsigned: bool, dry_run: bool) -> str | None:
    """The SSH key the registry's new tags are signed with; None with ``--allow-unsigned``.

    Raises
    ------
    ConfigError
        When git has no SSH signing key here and unsigned tags were not asked for.
    """
    if allow_unsigned:
        say("promote", UNSIGNED_WARNING)
        return None
    key = signing_key()
    if key is None and not dry_run:
        registry = cfg.registry
        raise ConfigError(
            "the registry's tags must be signed, and git has no SSH signing key here. Set one "
            "(git config gpg.format ssh; git config user.signingkey ~/.ssh/id_ed25519.pub) whose "
            f"public key has a line in {registry.allowed_signers} on the protected branch "
            f"({registry.protected_branch}) naming what it may do (mlgate:register, "
            "mlgate:stage:<stage>; docs/explanation/security.md). For a local experiment only: "
            "--allow-unsigned."
        )
    return key


def echo_outcome(outcome: Outcome, *, dry_run: bool, verb: str, done: str) -> None:
    """Print what was (or would be) tagged, or why nothing was; then where MLflow's alias is."""
    plan = outcome.plan
    if plan.noop:
        click.echo(plan.noop)
    elif dry_run:
        click.echo(
            f"dry run: would {verb} {plan.record['artifact']} {plan.version} "
            f"(commit {plan.commit[:12]}) "
            f"-> {plan.stage}, writing tags: {', '.join(outcome.planned_tags)}"
        )
        click.echo(f"evidence digest: {plan.record['evidence_digest']}")
    else:
        click.echo(
            f"{done} {plan.version} (commit {plan.commit[:12]}) -> {plan.stage}: "
            f"{', '.join(outcome.tags)}"
        )
    if outcome.mirrored:
        click.echo(outcome.mirrored)


@click.command("promote")
@click.option(
    "--stage",
    default=None,
    help="The stage to assign (default: the first of registry.stages, staging).",
)
@click.option("--version", "version", default=None, help="Register as this version (vX.Y.Z).")
@click.option(
    "--bump",
    type=click.Choice(["major", "minor", "patch"]),
    default=None,
    help="Number a new version from the latest (default: patch; v0.1.0 first). A commit "
    "registered before keeps its version.",
)
@click.option("--dry-run", is_flag=True, help="Recompute and print the tags; write nothing.")
@click.option(
    "--recheck/--no-recheck",
    default=True,
    show_default=True,
    help="Run the checks again and refuse evidence whose statuses differ (the comparison suite "
    "excepted): catches evidence edited into a consistent story.",
)
@ALLOW_UNSIGNED
@pass_config
def promote_cmd(
    cfg: Config,
    stage: str | None,
    version: str | None,
    bump: str | None,
    dry_run: bool,
    recheck: bool,
    allow_unsigned: bool,
) -> int:
    """Register and promote this commit's model, after recomputing its gate (signed GTO tags)."""
    actor, author = acting_identity()
    key = signing_key_for(cfg, allow_unsigned=allow_unsigned, dry_run=dry_run)
    target = stage or cfg.registry.stages[0]
    outcome = promote(
        cfg,
        stage=target,
        request=VersionRequest(version, bump),
        dry_run=dry_run,
        acting=Acting(actor, author, key),
        rerun_checks=recheck,
        tracking_uri=os.environ.get("MLFLOW_TRACKING_URI"),
    )
    echo_outcome(outcome, dry_run=dry_run, verb="promote", done="promoted")
    if outcome.tags:
        say("promote", f"evidence digest {outcome.plan.record['evidence_digest']}")
    return 0
