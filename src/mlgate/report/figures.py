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
