"""Assemble the pull-request report: its PNG figures and its markdown, from the evidence."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from mlgate.report.blocks import Figures
from mlgate.report.evidence import Evidence, other_table
from mlgate.report.markdown import render_report
from mlgate.report.sections.curves import CURVES
from mlgate.report.sections.fairness import GROUP_METRICS, ordered_groups, parity_results
from mlgate.stages import figures

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Curves whose PNG shows the chance diagonal (a random model's ROC; perfect calibration).
CHANCE_DIAGONAL = frozenset({"roc", "calibration"})


def report_figures(
    current: Evidence, baseline: Evidence | None, *, top_features: int
) -> dict[str, Figure]:
    """PNG file name -> figure: curves with the baseline overlaid, SHAP, fairness rates."""
    drawn: dict[str, Figure] = {}
    for name, (title, x, y, x_label, y_label) in CURVES.items():
        series = {}
        if current.get(name):
            series["this branch"] = current.get(name)
        if baseline is not None and baseline.get(name):
            series[baseline.label] = baseline.get(name)
        if "this branch" in series:
            drawn[f"{name}.png"] = figures.curves_figure(
                title,
                series,
                x=x,
                y=y,
                x_label=x_label,
                y_label=y_label,
                diagonal=name in CHANCE_DIAGONAL,
            )
    importance = (current.get("importance") or {}).get("mean_abs_shap")
    if importance:
        top = sorted(importance, key=lambda f: (-importance[f], f))[:top_features]
        series = {"this branch": importance}
        base = ((baseline.get("importance") if baseline else None) or {}).get("mean_abs_shap")
        if base:
            series[baseline.label] = base
        drawn["shap_importance.png"] = figures.importance_figure(series, top)
    for feature, result in parity_results(current).items():
        groups = dict(ordered_groups(result.get("details") or {}))
        if groups:
            drawn[f"fairness_{file_stem(feature)}.png"] = figures.group_rates_figure(
                feature, groups, list(GROUP_METRICS)
            )
    return drawn


def file_stem(name: str) -> str:
    """``name`` as a file name of letters, digits, ``_`` and ``-`` only, one per name.

    A feature's name is data: as it is, it could climb out of the figures' folder (``../x``) or
    end the markdown link to its figure. A name that had to change gets a short hash of itself,
    so that two names never share a file.
    """
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:60]
    if stem == name:
        return stem
    return f"{stem}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def build_report(
    current: Evidence,
    baseline: Evidence | None,
    *,
    figure_dir_link: str,
    publish_images: bool,
    top_features: int,
    title: str | None = None,
) -> tuple[str, dict[str, Figure]]:
    """The report's markdown and its figures (file name -> figure), linked under a folder.

    ``figure_dir_link`` is the folder of the PNGs relative to the markdown file.
    """
    compared = None if other_table(current, baseline) else baseline
    drawn = report_figures(current, compared, top_features=top_features)
    links = {name: f"{figure_dir_link}/{name}" for name in sorted(drawn)}
    markdown = render_report(
        current,
        baseline,
        figures=Figures(links=links, embed=publish_images),
        top_features=top_features,
        title=title,
    )
    return markdown, drawn
