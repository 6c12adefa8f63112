"""``mlgate check``: run the configured checks, write ``reports/checks.json``, print a table."""

from __future__ import annotations

from pathlib import Path

import click

from mlgate import io, paths
from mlgate.checks import BATCH_SUITES, SUITES
from mlgate.checks.base import CheckResult
from mlgate.checks.budget import budget_line
from mlgate.cli.common import (
    ALLOW_UNSIGNED,
    Timer,
    batch_paths,
    engine_options,
    pass_config,
    plain_file_names,
    say,
)
from mlgate.config import Config
from mlgate.engines import engine_for
from mlgate.io import json_bytes
from mlgate.registry.trust import production_champion
from mlgate.report.escape import visible
from mlgate.stages.check import run_check_stage
from mlgate.stages.check_evidence import CheckRun, evidence, timings_path


@click.command("check")
@click.option(
    "--current",
    "current_path",
    default=None,
    callback=batch_paths,
    help="A new batch (CSV in the source format, or parquet) to run the data and drift checks on, "
    "instead of the test split.",
)
@engine_options(what="counted (with --current)")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=plain_file_names,
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
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print each check's wall time (always recorded beside the evidence, in "
    "<output>.timings.json).",
)
@ALLOW_UNSIGNED
@pass_config
def check_cmd(
    cfg: Config,
    current_path: str | None,
    engine: str | None,
    scheduler: str | None,
    output: Path | None,
    suites: tuple[str, ...],
    no_fail: bool,
    verbose: bool,
    allow_unsigned: bool,
) -> int:
    """Run the checks under `checks:` in params.yaml (DVC stage `check`)."""
    _refuse_batch_options(current_path, suites=suites, engine=engine, scheduler=scheduler)
    timer = Timer()
    # The production model is the champion once the registry has one (a batch is judged without
    # a champion: no need to read the tags). docs/tutorials/registry-and-serving.md
    champion = (
        None if current_path else production_champion(cfg.registry, allow_unsigned=allow_unsigned)
    )
    for note in champion.notes if champion else ():
        say("check", note)
    run = run_check_stage(
        cfg,
        current_path,
        suites=suites,
        on_result=lambda r: say("check", _line(r)),
        champion_rev=champion and champion.tag,
        champion_refusal=champion and champion.refusal,
        engine=engine_for(cfg.batches, engine=engine, scheduler=scheduler),
    )
    output = output or (paths.BATCH_CHECKS if current_path else paths.CHECKS)
    # Wall times vary from run to run, and the evidence must be the same bytes on every machine:
    # they are recorded beside it, not in it (and git ignores them).
    io.write_files(
        {
            output: json_bytes(evidence(run.results, run.provenance)),
            timings_path(output): json_bytes(run.timing_document()),
        }
    )
    _say_run(run, verbose=verbose)
    say("check", f"{len(run.results)} results, {run.verdict}; wrote {output} ({timer})")
    return 0 if run.passed or no_fail else 1


def _refuse_batch_options(
    current_path: str | None, *, suites: tuple[str, ...], engine: str | None, scheduler: str | None
) -> None:
    """The options that apply only with --current, or only without it (usage errors)."""
    if current_path is not None and set(suites) - set(BATCH_SUITES):
        raise click.UsageError(
            f"--suite {', '.join(sorted(set(suites) - set(BATCH_SUITES)))} does not run on a "
            f"batch: with --current, the suites are {', '.join(BATCH_SUITES)}."
        )
    if current_path is None and (engine or scheduler):
        raise click.UsageError(
            "--engine and --scheduler choose how a batch is read: use them with --current."
        )


def _say_run(run: CheckRun, *, verbose: bool) -> None:
    """The batch's false-alarm budget, the results' table, and each check's time if asked."""
    if run.levels is not None:
        say("check", budget_line(run.levels))
    click.echo(render_table(run.results))
    if verbose:
        click.echo(render_timings(run.timings, run.context_seconds))


def render_table(results: list[CheckResult]) -> str:
    """A plain-text table: one line per result, grouped by suite."""
    lines = []
    suite = None
    for r in results:
        if r.suite != suite:
            suite = r.suite
            lines.append(f"{suite}")
        lines.append("  " + _line(r))
    return "\n".join(lines)


def _line(r: CheckResult) -> str:
    """One result on one line, whole: a summary names columns, and a cut name names another.

    Control characters from data (a newline or an escape sequence in a column name) are shown
    as their pictures, so that a name cannot move the cursor or forge a line.
    """
    flag = "" if r.required else " (optional)"
    return visible(f"{r.status.mark} {r.status.value:5} {r.id}{flag}: {r.summary}", limit=None)


def render_timings(timings: dict[str, float], context_seconds: float) -> str:
    """Each check's wall time, slowest first, after the time spent reading and scoring."""
    lines = [f"timings\n  {context_seconds:7.2f} s  reading data, model and champion; scoring"]
    for check_id, seconds in sorted(timings.items(), key=lambda item: -item[1]):
        lines.append(f"  {seconds:7.2f} s  {check_id}")
    return "\n".join(lines)
