"""The pull-request report as markdown: verdict first, then the evidence a reviewer decides from.

Rendering only: every number comes from the evidence files (see :mod:`mlgate.report.evidence`),
and each block of the report is one module of :mod:`mlgate.report.sections`. Charts are mermaid
``xychart-beta`` blocks, which GitHub draws natively in comments, so the report needs no image
host; PNG versions are linked for the workflow artifact, and embedded only when the caller
publishes images. The output is a pure function of its inputs: no clock, no randomness, sorted
wherever an order is not given.

The comment must fit GitHub's 65,536-character limit. Blocks carry a priority; when the whole is
too long, the lowest-priority blocks (collapsed detail first) are dropped, in place of which one
line says what was left out. The verdict is never dropped.
"""

from __future__ import annotations

import re

from mlgate.report.blocks import VERDICT, Block, Figures
from mlgate.report.evidence import Evidence, other_table
from mlgate.report.sections.checks import checks_blocks
from mlgate.report.sections.curves import curve_blocks
from mlgate.report.sections.drift import drift_blocks
from mlgate.report.sections.fairness import fairness_blocks
from mlgate.report.sections.importance import importance_blocks
from mlgate.report.sections.metrics import metrics_blocks
from mlgate.report.sections.mitigation import mitigation_blocks
from mlgate.report.sections.params import params_blocks, provenance_blocks
from mlgate.report.sections.verdict import verdict_blocks

__all__ = ["MAX_CHARS", "Figures", "fit", "render_report"]

#: GitHub rejects comments longer than 65,536 characters; leave room for CML's watermark.
MAX_CHARS = 65_000


def render_report(
    current: Evidence,
    baseline: Evidence | None,
    *,
    figures: Figures,
    top_features: int = 10,
    max_chars: int = MAX_CHARS,
    title: str | None = None,
) -> str:
    """The whole report as markdown, at most ``max_chars`` characters.

    Parameters
    ----------
    current : Evidence
        This branch's evidence files.
    baseline : Evidence or None
        The baseline revision's evidence, if a baseline was asked for.
    figures : Figures
        The PNGs written next to the report, and whether to embed them.
    top_features : int
        How many features the SHAP chart and table show.
    max_chars : int
        Length limit; detail is dropped to meet it, never the verdict.
    title : str, optional
        What the report is about (a pull request's title): shown as plain text, never markup.
    """
    another = other_table(current, baseline)
    if another is not None:  # no delta against another table's model means anything
        blocks = [*verdict_blocks(current, None, title=title, other_table=(baseline, another))]
        baseline = None
    else:
        blocks = [*verdict_blocks(current, baseline, title=title)]
    blocks += [
        *metrics_blocks(current, baseline),
        *params_blocks(current, baseline),
        *checks_blocks(current),
        *fairness_blocks(current, baseline),
        *mitigation_blocks(current),
        *drift_blocks(current, baseline),
        *importance_blocks(current, baseline, top_features=top_features),
        *curve_blocks(current, baseline, figures=figures),
        *provenance_blocks(current, baseline),
    ]
    return fit(blocks, max_chars)


def cut(text: str, max_chars: int) -> str:
    r"""``text`` cut to ``max_chars`` at a line's end, or inside the first line at a safe point.

    Whole lines keep every escape, tag and code span of theirs whole. A first line longer than
    the limit is cut without leaving half a tag, entity or escape (``<su``, ``&am``, ``\\``) at
    its end, or a code span open.
    """
    kept, size = [], 2  # room for the closing "…\n"
    for line in text.splitlines(keepends=True):
        if size + len(line) > max_chars:
            break
        kept.append(line)
        size += len(line)
    if kept:
        return "".join(kept) + "…\n"
    head = re.sub(r"(<[^<>]*|&[#A-Za-z0-9]*|\\+)$", "", text[: max_chars - 2])
    # A code span left open would show its text as markdown: "`@team" mentions the team.
    ticks = [m.start() for m in re.finditer(r"(?<!\\)`", head)]
    if len(ticks) % 2:
        head = head[: ticks[-1]]
    return head + "…\n"


def fit(blocks: list[Block], max_chars: int) -> str:
    """Join the blocks; drop the lowest-priority ones, last first, until the text fits."""
    kept = list(blocks)
    dropped = 0
    while True:
        text = "\n\n".join(b.text for b in kept) + "\n"
        if dropped:
            text += (
                f"\n> ✂️ {dropped} section(s) left out to stay under GitHub's comment limit; every "
                "result is in `reports/checks.json` (in the workflow artifact).\n"
            )
        if len(text) <= max_chars:
            return text
        candidates = [i for i, b in enumerate(kept) if b.priority < VERDICT]
        if not candidates:  # only the verdict is left: cut it rather than fail to post
            return cut(text, max_chars)
        lowest = min(kept[i].priority for i in candidates)
        victim = max(i for i in candidates if kept[i].priority == lowest)
        del kept[victim]
        dropped += 1
