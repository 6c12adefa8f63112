"""``mlgate train``: fit the model, save it with its card (DVC stage ``train``)."""

from __future__ import annotations

import click

from mlgate import io, paths
from mlgate.cli.common import Timer, pass_config, say
from mlgate.config import Config
from mlgate.model.files import save_model
from mlgate.stages.model_card import build_model_card
from mlgate.stages.train import train_model


@click.command("train")
@pass_config
def train_cmd(cfg: Config) -> None:
    """Fit the configured estimator and save it with its model card (DVC stage ``train``)."""
    train = io.read_parquet(paths.PREPARED_TRAIN)
    timer = Timer()
    say("train", f"fitting {cfg.train.estimator} on {len(train):,} rows…")
    trained = train_model(train, io.read_parquet(paths.PREPARED_VALIDATION), cfg)
    say("train", f"fitted in {timer}")
    save_model(paths.MODEL, trained.model, extra_types=cfg.train.trusted_types)
    io.write_json(paths.VALIDATION_METRICS, trained.validation_metrics)
    card = build_model_card(cfg, validation_metrics=trained.validation_metrics)
    io.write_json(paths.MODEL_CARD, card)
    roc_auc = trained.validation_metrics["roc_auc"]
    say("train", f"validation ROC AUC {roc_auc:.4f}; wrote {paths.MODEL}")
