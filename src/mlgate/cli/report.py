"""``mlgate report``: the pull-request report (markdown for ``cml comment``, and its PNGs)."""

from __future__ import annotations

from pathlib import Path

import click

from mlgate import io, paths
from mlgate.cli.common import say
from mlgate.report.evidence import revision_evidence, working_tree_evidence
from mlgate.report.pull_request import build_report

DEFAULT_OUTPUT = paths.REPORTS_DIR / "report.md"


@click.command("report")
@click.option(
    "--baseline",
    "baseline_rev",
    metavar="REF",
    default=None,
    help="Git revision to compare with (e.g. main, origin/main): its recorded metrics, checks "
    "and SHAP importance are read from git.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The markdown file; PNGs go to a folder named after it, beside it.",
)
@click.option(
    "--publish-images",
    is_flag=True,
    help="Embed the PNGs as images, for `cml comment --publish=true`, which uploads them to "
    "CML's asset host. Off: charts are mermaid, the PNGs are linked for the workflow artifact.",
)
@click.option(
    "--title",
    default=None,
    help="What the report is about (e.g. the pull request's number and title); shown as text.",
)
@click.option("--top-features", type=click.IntRange(1, 50), default=10, show_default=True)
def report_cmd(
    baseline_rev: str | None,
    output: Path,
    publish_images: bool,
    title: str | None,
    top_features: int,
) -> None:
    """Write the pull-request report from the evidence in reports/ (and the baseline's)."""
    current = working_tree_evidence()
    baseline = revision_evidence(baseline_rev) if baseline_rev else None
    figure_dir = output.with_suffix("")
    markdown, drawn = build_report(
        current,
        baseline,
        figure_dir_link=figure_dir.name,
        publish_images=publish_images,
        top_features=top_features,
        title=title,
    )
    files = {figure_dir / name: io.figure_png(figure) for name, figure in drawn.items()}
    io.write_files({**files, output: markdown.encode("utf-8")})
    say("report", f"wrote {output} ({len(markdown):,} characters) and {len(drawn)} figures")
