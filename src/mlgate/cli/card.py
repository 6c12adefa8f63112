"""``mlgate card``: write ``models/MODEL_CARD.md``; fail while a section it needs is empty."""

from __future__ import annotations

import click

from mlgate import io, paths
from mlgate.cli.common import pass_config, say
from mlgate.config import Config
from mlgate.gate.card_completeness import card_problems
from mlgate.report.card import read_card_sections, render_card


@click.command("card")
@click.option(
    "--no-fail",
    is_flag=True,
    help="Exit 0 while sections are missing: record the card (the DVC stage does this; "
    "promotion refuses an incomplete card).",
)
@pass_config
def card_cmd(cfg: Config, no_fail: bool) -> int:
    """Write the model card from the evidence and card: in params.yaml (DVC stage ``card``)."""
    sections = read_card_sections(cfg)
    io.write_files(
        {paths.MODEL_CARD_MD: render_card(cfg.registry.artifact, sections).encode("utf-8")}
    )
    problems = card_problems(sections)
    for problem in problems:
        click.echo(f"  - {problem}")
    say("card", f"wrote {paths.MODEL_CARD_MD}: {'incomplete' if problems else 'complete'}")
    return 1 if problems and not no_fail else 0
