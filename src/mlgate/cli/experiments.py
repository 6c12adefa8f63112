"""``mlgate experiments``: rank DVC's experiments by the gate, with metrics and intervals."""

from __future__ import annotations

from pathlib import Path

import click

from mlgate import io
from mlgate.cli.common import pass_config, say
from mlgate.config import Config
from mlgate.project.experiments import collect_experiments, param_names
from mlgate.report.experiments import render_experiments


@click.command("experiments")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the ranking (markdown) to this file.",
)
@pass_config
def experiments_cmd(cfg: Config, output: Path | None) -> None:
    """Rank DVC experiments by the gate: which pass, which fail on what, metrics with intervals."""
    import dvc.api

    rows = dvc.api.exp_show()
    names = param_names(cfg.model_dump(mode="json"))
    experiments = collect_experiments(rows, params=names)
    text = render_experiments(experiments)
    if output is not None:
        io.write_bytes(output, text.encode("utf-8"))
    click.echo(text, nl=False)
    promotable = sum(e.decision == "promote" for e in experiments)
    say("experiments", f"{len(experiments)} experiments, {promotable} the gate would promote")
