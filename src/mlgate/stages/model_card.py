"""The model card ``models/model.json``: what a saved model was made from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgate import io, paths
from mlgate.provenance import library_versions

if TYPE_CHECKING:
    from mlgate.config import Config


def build_model_card(cfg: Config, *, validation_metrics: dict) -> dict:
    """Describe the model just saved at :data:`mlgate.paths.MODEL`.

    Returns
    -------
    dict
        The estimator, the model file's SHA-256, the SHA-256 of each data file it was trained
        and validated on, the params that shaped it, library versions and the validation
        metrics. No timestamp and no git commit: the same inputs give the same card on every
        clone (the commit that holds the card's ``dvc.lock`` entry says which commit it is).
    """
    return {
        "estimator": cfg.train.estimator,
        "features": list(cfg.data.features),
        "target": cfg.data.target,
        "positive_label": cfg.data.positive_label,
        "model": {"path": str(paths.MODEL), "sha256": io.file_sha256(paths.MODEL)},
        "data": {
            name: {"path": str(path), "sha256": io.file_sha256(path)}
            for name, path in (
                ("train", paths.PREPARED_TRAIN),
                ("validation", paths.PREPARED_VALIDATION),
            )
        },
        "params": {
            "data": cfg.data.model_dump(mode="json"),
            "prepare": cfg.prepare.model_dump(mode="json"),
            "train": cfg.train.model_dump(mode="json"),
        },
        "versions": library_versions(),
        "validation_metrics": validation_metrics,
    }
