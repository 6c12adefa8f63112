"""``mlgate evaluate``: score the model on the test set (DVC stage ``evaluate``)."""

from __future__ import annotations

import click

from mlgate import io, paths
from mlgate.cli.common import pass_config, say
from mlgate.config import Config
from mlgate.model.files import load_model
from mlgate.stages.evaluate import PLOT_CURVES, evaluate_model


@click.command("evaluate")
@pass_config
def evaluate_cmd(cfg: Config) -> None:
    """Score the model on the held-out test set: metrics, plot data, figures (DVC stage)."""
    model = load_model(paths.MODEL, extra_types=cfg.train.trusted_types)
    evaluation = evaluate_model(model, io.read_parquet(paths.INGESTED_TEST), cfg)
    io.write_json(paths.METRICS, evaluation.metrics)
    io.write_json(paths.FAIRNESS, evaluation.fairness)
    for name in PLOT_CURVES:
        io.write_json(paths.PLOTS_DIR / f"{name}.json", evaluation.curves[name])
    for file_name, figure in evaluation.pictures.items():
        io.write_figure(paths.FIGURES_DIR / file_name, figure)
    metrics = evaluation.metrics
    say("evaluate", f"test ROC AUC {metrics['roc_auc']:.4f}, accuracy {metrics['accuracy']:.4f}")
