"""``mlgate gate``: decide promote or reject from the evidence; write ``reports/gate.json``."""

from __future__ import annotations

import click

from mlgate import io, paths
from mlgate.cli.common import pass_config, say
from mlgate.config import Config
from mlgate.gate.expected import (
    current_fingerprint,
    decide_from_files,
    gate_document,
    verdict_metrics,
)
from mlgate.io import json_bytes


@click.command("gate")
@click.option(
    "--no-fail",
    is_flag=True,
    help="Exit 0 on reject: record the decision (the DVC stage does this; CI enforces it).",
)
@pass_config
def gate_cmd(cfg: Config, no_fail: bool) -> int:
    """Promote only if complete, current evidence shows every required check passed."""
    current = current_fingerprint(cfg)
    decision = decide_from_files(cfg, current)
    io.write_files(
        {
            paths.GATE: json_bytes(gate_document(decision, current)),
            paths.VERDICT: json_bytes(verdict_metrics(decision)),
        }
    )
    click.echo(f"gate: {decision.decision.upper()}")
    for reason in decision.reasons:
        click.echo(f"  - {reason}")
    say("gate", f"wrote {paths.GATE}")
    return 0 if decision.promote or no_fail else 1
