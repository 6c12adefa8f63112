"""Matplotlib figures of evaluation curves, drawn from values computed elsewhere.

Each function takes the records of :func:`mlgate.stages.evaluate.compute_curves` and returns a
figure; :func:`mlgate.io.write_figure` saves it. The Agg backend is used, so no display is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_SIZE = (5.0, 4.0)


def _new_figure(title: str) -> tuple[Figure, object]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=_SIZE, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title)
    return figure, axes


def roc_figure(points: list[dict], *, roc_auc: float) -> Figure:
    """ROC curve with the chance diagonal."""
    figure, axes = _new_figure(f"ROC curve (AUC {roc_auc:.3f})")
    axes.plot([p["fpr"] for p in points], [p["tpr"] for p in points], label="model")
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    axes.set(xlabel="False positive rate", ylabel="True positive rate", xlim=(0, 1), ylim=(0, 1))
    axes.legend(loc="lower right")
    return figure


def precision_recall_figure(points: list[dict], *, positive_rate: float) -> Figure:
    """Precision-recall curve with the no-skill line at the base rate."""
    figure, axes = _new_figure("Precision-recall curve")
    axes.plot([p["recall"] for p in points], [p["precision"] for p in points], label="model")
    axes.axhline(positive_rate, linestyle="--", color="grey", label="no skill")
    axes.set(xlabel="Recall", ylabel="Precision", xlim=(0, 1), ylim=(0, 1.02))
    axes.legend(loc="upper right")
    return figure


def calibration_figure(points: list[dict]) -> Figure:
    """Reliability diagram: observed positive rate against mean predicted score per bin."""
    figure, axes = _new_figure("Calibration")
    axes.plot(
        [p["mean_predicted"] for p in points],
        [p["fraction_positive"] for p in points],
        marker="o",
        label="model",
    )
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    axes.set(xlabel="Mean predicted score", ylabel="Observed positive rate", xlim=(0, 1))
    axes.legend(loc="upper left")
    return figure


def confusion_figure(matrix: list[list[int]], *, class_names: tuple[str, str]) -> Figure:
    """Draw the 2×2 confusion matrix with counts in the cells (rows actual, columns predicted)."""
    figure, axes = _new_figure("Confusion matrix")
    axes.imshow(matrix, cmap="Blues")
    peak = max(max(row) for row in matrix)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            colour = "white" if count > peak / 2 else "black"
            axes.text(j, i, f"{count:,}", ha="center", va="center", color=colour)
    axes.set(xticks=[0, 1], yticks=[0, 1], xlabel="Predicted", ylabel="Actual")
    axes.set_xticklabels(class_names)
    axes.set_yticklabels(class_names)
    return figure


def shap_figures(values, feature_values, features: list[str], *, seed: int) -> dict[str, Figure]:
    """SHAP's own beeswarm and bar plots of per-feature values, drawn headless.

    ``feature_values`` colours the beeswarm (NaN for a categorical feature: drawn grey).
    """
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")  # no display: figures are only ever saved
    import matplotlib.pyplot as plt
    import shap

    explanation = shap.Explanation(values=values, data=feature_values, feature_names=features)
    figures = {}
    for name, draw in (("shap_beeswarm", shap.plots.beeswarm), ("shap_bar", shap.plots.bar)):
        # The beeswarm shuffles its dots with numpy's global generator: seed it, so that the
        # same values always draw the same picture.
        np.random.seed(seed)  # noqa: NPY002
        plt.figure(figsize=(7, 5))
        draw(explanation, max_display=len(features), show=False)
        figure = plt.gcf()
        figure.tight_layout()
        figures[name] = figure
        plt.close(figure)  # leave pyplot's registry empty; the figure object stays drawable
    return figures


def curves_figure(
    title: str,
    series: dict[str, list[dict]],
    *,
    x: str,
    y: str,
    x_label: str,
    y_label: str,
    diagonal: bool = False,
) -> Figure:
    """One curve per labelled series (this branch and the baseline), on shared axes."""
    figure, axes = _new_figure(title)
    for label, points in series.items():
        ordered = sorted(points, key=lambda p: p[x])
        axes.plot([p[x] for p in ordered], [p[y] for p in ordered], label=label)
    if diagonal:
        axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="reference")
    axes.set(xlabel=x_label, ylabel=y_label, xlim=(0, 1), ylim=(0, 1.02))
    axes.legend(loc="best")
    return figure


def importance_figure(series: dict[str, dict[str, float]], features: list[str]) -> Figure:
    """Mean |SHAP| of ``features`` as horizontal bars, one bar per labelled series."""
    import numpy as np

    figure, axes = _new_figure("Mean |SHAP| by feature")
    positions = np.arange(len(features))
    height = 0.8 / max(len(series), 1)
    for k, (label, importance) in enumerate(series.items()):
        values = [importance.get(f, 0.0) for f in features]
        axes.barh(positions + k * height, values, height=height, label=label)
    axes.set_yticks(positions + height * (len(series) - 1) / 2, labels=features)
    axes.invert_yaxis()
    axes.set(xlabel="mean |SHAP|")
    axes.legend(loc="lower right")
    return figure


def group_rates_figure(feature: str, groups: dict[str, dict], metrics: list[tuple]) -> Figure:
    """Each group's rates side by side: one cluster per metric, one bar per group."""
    import numpy as np

    figure, axes = _new_figure(f"{feature}: rates by group")
    positions = np.arange(len(metrics))
    width = 0.8 / max(len(groups), 1)
    for k, (group, values) in enumerate(groups.items()):
        heights = [values.get(key) or 0.0 for key, _ in metrics]
        axes.bar(positions + k * width, heights, width=width, label=str(group))
    axes.set_xticks(positions + width * (len(groups) - 1) / 2, labels=[m[1] for m in metrics])
    axes.set(ylim=(0, 1), ylabel="rate")
    axes.legend(loc="best", fontsize="small")
    return figure
