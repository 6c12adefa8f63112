"""``mlgate fingerprint``: what monitoring compares batches with (DVC stage ``fingerprint``)."""

from __future__ import annotations

import click

from mlgate import io, paths
from mlgate.cli.common import pass_config, say
from mlgate.config import Config
from mlgate.model.files import load_model
from mlgate.monitor.fingerprint import build_fingerprint


@click.command("fingerprint")
@pass_config
def fingerprint_cmd(cfg: Config) -> None:
    """Freeze the reference monitoring judges batches against (DVC stage ``fingerprint``)."""
    model = load_model(paths.MODEL, extra_types=cfg.train.trusted_types)
    fingerprint = build_fingerprint(
        model,
        io.read_parquet(paths.PREPARED_TRAIN),
        io.read_parquet(paths.PREPARED_VALIDATION),
        data=cfg.data,
        cfg=cfg.monitor,
        decision_threshold=cfg.evaluate.decision_threshold,
        model_sha256=io.file_sha256(paths.MODEL),
    )
    io.write_json(paths.FINGERPRINT, fingerprint)
    reference = fingerprint["scores"]["reference"]
    say(
        "fingerprint",
        f"{len(fingerprint['features'])} inputs, {len(fingerprint['scores']['edges']) + 1} score "
        f"bins; validation ROC AUC {reference['roc_auc']['value']:.4f}; wrote {paths.FINGERPRINT}",
    )
