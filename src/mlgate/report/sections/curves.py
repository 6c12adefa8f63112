"""The curves block: ROC, precision-recall and calibration (baseline overlaid), confusion matrix.

The charts are mermaid line charts, this branch and the baseline in fixed colours, named by a
legend written beside them in markdown (mermaid's xychart draws none on GitHub).
"""

from __future__ import annotations

from urllib.parse import quote

from mlgate.report import format as fmt
from mlgate.report.blocks import CHART, DETAIL, SUMMARY, Block, Figures
from mlgate.report.evidence import Evidence

#: Evidence name -> (title, x key, y key, x label, y label).
CURVES = {
    "roc": ("ROC curve", "fpr", "tpr", "False positive rate", "True positive rate"),
    "precision_recall": ("Precision-recall", "recall", "precision", "Recall", "Precision"),
    "calibration": (
        "Calibration",
        "mean_predicted",
        "fraction_positive",
        "Mean predicted score",
        "Observed positive rate",
    ),
}
GRID = [round(i / 20, 2) for i in range(21)]


def curve_blocks(current: Evidence, baseline: Evidence | None, *, figures: Figures) -> list[Block]:
    """ROC, precision-recall and calibration as line charts (baseline overlaid), the matrices."""
    base_label = baseline.label if baseline else None
    charts, overlaid = [], False
    for name, (title, x, y, x_label, y_label) in CURVES.items():
        points = _points(current.get(name), x, y)
        if not points:
            continue
        base_points = _points(baseline.get(name), x, y) if baseline else []
        overlaid = overlaid or bool(base_points)
        charts.append(
            fmt.line_chart(
                title,
                GRID,
                resample_curve(points, x, y, GRID),
                resample_curve(base_points, x, y, GRID) if base_points else None,
                x_label=x_label,
                y_label=y_label,
            )
        )
    blocks = []
    if charts:
        legend = fmt.legend(base_label if overlaid else None)
        if baseline is None:
            legend += " (no baseline)"
        blocks.append(Block("### Curves\n\n" + legend + "\n\n" + "\n\n".join(charts), CHART))
    matrix = confusion_counts(current.get("confusion"))
    if matrix:
        base_matrix = confusion_counts(baseline.get("confusion")) if baseline else None
        blocks.append(Block(_confusion_table(matrix, base_matrix, base_label), SUMMARY))
    if figures.links:
        # The links are mlgate's file names; quoted all the same, so that a folder named by
        # --output cannot end the link early.
        shown = {fmt.text(name): quote(link) for name, link in figures.links.items()}
        if figures.embed:
            pictures = "\n".join(f"![{name}]({link})" for name, link in shown.items())
        else:
            pictures = "PNG figures, in the workflow artifact: " + ", ".join(
                f"[{name}]({link})" for name, link in shown.items()
            )
        blocks.append(Block(pictures, DETAIL))
    return blocks


def _points(records: object, x: str, y: str) -> list[dict]:
    """The records with a finite x and y (a plot file may hold none)."""
    if not isinstance(records, list):
        return []
    return [
        p for p in records if isinstance(p, dict) and fmt.finite(p.get(x)) and fmt.finite(p.get(y))
    ]


def resample_curve(points: list[dict], x: str, y: str, grid: list[float]) -> list[float]:
    """The curve's y at each grid x, by linear interpolation over its points sorted by x.

    Presentation only: mermaid's line chart needs both series on one shared x-axis, so each
    recorded curve is read off at the grid's points. Nothing is judged from these values.
    """
    import numpy as np

    xs = np.array([p[x] for p in points], dtype=float)
    ys = np.array([p[y] for p in points], dtype=float)
    order = np.argsort(xs, kind="stable")
    values = np.interp(grid, xs[order], ys[order])
    return [round(float(v), 3) for v in values]


def confusion_counts(records: object) -> dict[tuple[str, str], int] | None:
    """(actual, predicted) -> count, tabulated from DVC's one-record-per-row confusion data."""
    if not isinstance(records, list) or not records:
        return None
    counts: dict[tuple[str, str], int] = {}
    for record in records:
        if isinstance(record, dict) and "actual" in record and "predicted" in record:
            key = (str(record["actual"]), str(record["predicted"]))
            counts[key] = counts.get(key, 0) + 1
    return counts or None


def _confusion_table(
    matrix: dict[tuple[str, str], int],
    base: dict[tuple[str, str], int] | None,
    base_label: str | None,
) -> str:
    classes = sorted({a for a, _ in matrix} | {p for _, p in matrix})
    rows = [
        "| Actual \\ Predicted | " + " | ".join(fmt.text(c) for c in classes) + " |",
        "| --- |" + " ---: |" * len(classes),
    ]
    for actual in classes:
        cells = []
        for predicted in classes:
            shown = f"{matrix.get((actual, predicted), 0):,}"
            if base is not None:
                shown += f" ({base.get((actual, predicted), 0):,})"
            cells.append(shown)
        rows.append(f"| {fmt.text(actual)} | " + " | ".join(cells) + " |")
    caption = "**Confusion matrix** (test set" + (
        f"; {fmt.code(base_label)} in brackets)" if base is not None else ")"
    )
    return caption + "\n\n" + "\n".join(rows)
