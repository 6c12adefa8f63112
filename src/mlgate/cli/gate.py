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
    read_recorded_decision,
    verdict_metrics,
)
from mlgate.io import json_bytes
from mlgate.report.escape import visible


@click.command("gate")
@click.option(
    "--no-fail",
    is_flag=True,
    help="Exit 0 on reject: record the decision (the DVC stage does this; CI enforces it).",
)
@click.option(
    "--show",
    is_flag=True,
    help=f"Only print the decision {paths.GATE} records (what the last gate decided), and exit "
    "0: nothing is recomputed or written.",
)
@pass_config
def gate_cmd(cfg: Config, no_fail: bool, show: bool) -> int:
    """Promote only if complete, current evidence shows every required check passed."""
    if show:
        recorded = read_recorded_decision()
        counts = ", ".join(f"{n} {status}" for status, n in recorded.get("counts", {}).items())
        where = f"recorded in {paths.GATE}" + (f": {counts}" if counts else "")
        _print_decision(recorded["decision"], recorded["reasons"], where=where)
        return 0
    current = current_fingerprint(cfg)
    decision = decide_from_files(cfg, current)
    io.write_files(
        {
            paths.GATE: json_bytes(gate_document(decision, current)),
            paths.VERDICT: json_bytes(verdict_metrics(decision)),
        }
    )
    _print_decision(decision.decision, decision.reasons)
    say("gate", f"wrote {paths.GATE}")
    return 0 if decision.promote or no_fail else 1


def _print_decision(decision: str, reasons: list[str], *, where: str = "") -> None:
    click.echo(f"gate: {decision.upper()}" + (f" ({where})" if where else ""))
    for reason in reasons:
        # A reason quotes columns and values: control characters are shown, not obeyed.
        click.echo(f"  - {visible(reason, limit=None)}")
