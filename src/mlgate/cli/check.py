"""``mlgate check``: run the configured checks, write ``reports/checks.json``, print a table."""

from __future__ import annotations

from pathlib import Path

import click

from mlgate import io, paths
from mlgate.checks import BATCH_SUITES, SUITES
from mlgate.checks.base import CheckResult
from mlgate.checks.runner import blocking, run_checks
from mlgate.cli.common import Timer, pass_config, say
from mlgate.config import Config
from mlgate.stages.check import build_context, evidence, judged, verdict_line

#: Plain-text status marks for the terminal table (the report uses ``Status.symbol``).
SYMBOLS = {"pass": "✓", "warn": "!", "fail": "✗", "error": "E", "skip": "-"}


@click.command("check")
@click.option(
    "--current",
    "current_path",
    default=None,
    help="A new batch (CSV in the source format, or parquet) to run the data and drift checks on, "
    "instead of the test split.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Where to write the evidence [default: {paths.CHECKS}, or "
    f"{paths.BATCH_CHECKS} with --current].",
)
@click.option(
    "--suite",
    "suites",
    multiple=True,
    type=click.Choice(SUITES),
    help=f"Run only this suite (repeatable). With --current: {', '.join(BATCH_SUITES)} only.",
)
@click.option(
    "--no-fail",
    is_flag=True,
    help="Exit 0 even when a required check fails: record the evidence (the DVC stage does this; "
    "the gate enforces the verdict).",
)
@pass_config
def check_cmd(
    cfg: Config,
    current_path: str | None,
    output: Path | None,
    suites: tuple[str, ...],
    no_fail: bool,
) -> int:
    """Run the checks under `checks:` in params.yaml (DVC stage `check`)."""
    if current_path is not None and set(suites) - set(BATCH_SUITES):
        raise click.UsageError(
            f"--suite {', '.join(sorted(set(suites) - set(BATCH_SUITES)))} does not run on a "
            f"batch: with --current, the suites are {', '.join(BATCH_SUITES)}."
        )
    timer = Timer()
    ctx, provenance = build_context(cfg, current_path)
    wanted = set(suites) or None
    if current_path is not None:
        wanted = (wanted or set(BATCH_SUITES)) & set(BATCH_SUITES)
    results = run_checks(
        ctx, cfg.checks, suites=wanted, on_result=lambda r: say("check", _line(r, width=96))
    )
    stopping = blocking(results)
    output = output or (paths.BATCH_CHECKS if current_path else paths.CHECKS)
    io.write_json(output, evidence(results, provenance))
    click.echo(render_table(results))
    verdict = verdict_line(results, stopping)
    say("check", f"{len(results)} results, {verdict}; wrote {output} ({timer})")
    return 1 if (stopping or not judged(results)) and not no_fail else 0


def render_table(results: list[CheckResult], *, width: int = 100) -> str:
    """A compact plain-text table: one line per result, grouped by suite."""
    lines = []
    suite = None
    for r in results:
        if r.suite != suite:
            suite = r.suite
            lines.append(f"{suite}")
        lines.append("  " + _line(r, width=width - 2))
    return "\n".join(lines)


def _line(r: CheckResult, *, width: int) -> str:
    flag = "" if r.required else " (optional)"
    text = f"{SYMBOLS[r.status.value]} {r.status.value:5} {r.id}{flag}: {r.summary}"
    return text if len(text) <= width else text[: width - 1] + "…"
