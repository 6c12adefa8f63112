"""Stage commands ``ingest``, ``prepare``, ``train`` and ``evaluate`` (the DVC stages)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgate import paths
from mlgate.cli.app import Timer, cli, pass_config, say

if TYPE_CHECKING:
    from mlgate.config import Config


@cli.command("ingest")
@pass_config
def ingest_cmd(cfg: Config) -> None:
    """Read the source files into typed parquet tables (DVC stage ``ingest``)."""
    from mlgate import io
    from mlgate.stages.sources import ingest_tables

    timer = Timer()

    def progress(source, frame):
        say("ingest", f"{source}: {len(frame):,} rows × {frame.shape[1]} columns ({timer})")

    # Written only once both tables are valid: a bad test file leaves no new train file behind.
    train, test = ingest_tables(cfg.ingest, cfg.data, on_read=progress)
    for destination, frame in ((paths.INGESTED_TRAIN, train), (paths.INGESTED_TEST, test)):
        io.write_parquet(destination, frame)
        say("ingest", f"wrote {destination}: {len(frame):,} rows")


@cli.command("prepare")
@pass_config
def prepare_cmd(cfg: Config) -> None:
    """Split the training data into train and validation sets (DVC stage ``prepare``)."""
    from mlgate import io
    from mlgate.stages.prepare import split_train_validation

    train, validation = split_train_validation(
        io.read_parquet(paths.INGESTED_TRAIN), target=cfg.data.target, cfg=cfg.prepare
    )
    io.write_parquet(paths.PREPARED_TRAIN, train)
    io.write_parquet(paths.PREPARED_VALIDATION, validation)
    say("prepare", f"train {len(train):,} rows, validation {len(validation):,} rows")


@cli.command("train")
@pass_config
def train_cmd(cfg: Config) -> None:
    """Fit the configured estimator and save it with its model card (DVC stage ``train``)."""
    from mlgate import io
    from mlgate.model_card import build_model_card
    from mlgate.stages.evaluate import compute_metrics
    from mlgate.stages.train import features_and_labels, train

    frame = io.read_parquet(paths.PREPARED_TRAIN)
    timer = Timer()
    say("train", f"fitting {cfg.train.estimator} on {len(frame):,} rows…")
    validation = io.read_parquet(paths.PREPARED_VALIDATION)
    model = train(
        frame,
        data=cfg.data,
        preprocessing=cfg.prepare.preprocessing,
        cfg=cfg.train,
        validation=validation,
        decision_threshold=cfg.evaluate.decision_threshold,
    )
    say("train", f"fitted in {timer}")
    X_valid, y_valid = features_and_labels(validation, cfg.data)
    validation_metrics = compute_metrics(
        y_valid, model.predict_proba(X_valid)[:, 1], cfg=cfg.evaluate
    )
    io.save_model(paths.MODEL, model, extra_types=cfg.train.trusted_types)
    io.write_json(paths.VALIDATION_METRICS, validation_metrics)
    io.write_json(paths.MODEL_CARD, build_model_card(cfg, validation_metrics=validation_metrics))
    say("train", f"validation ROC AUC {validation_metrics['roc_auc']:.4f}; wrote {paths.MODEL}")


@cli.command("evaluate")
@pass_config
def evaluate_cmd(cfg: Config) -> None:
    """Score the model on the held-out test set: metrics, plot data, figures (DVC stage)."""
    from mlgate import io
    from mlgate.report import figures
    from mlgate.stages.evaluate import compute_curves, compute_metrics, fairness_evidence
    from mlgate.stages.train import features_and_labels

    model = io.load_model(paths.MODEL, extra_types=cfg.train.trusted_types)
    test = io.read_parquet(paths.INGESTED_TEST)
    X_test, y_test = features_and_labels(test, cfg.data)
    y_score = model.predict_proba(X_test)[:, 1]
    class_names = (cfg.data.negative_label, cfg.data.positive_label)
    metrics = compute_metrics(y_test, y_score, cfg=cfg.evaluate)
    curves = compute_curves(y_test, y_score, cfg=cfg.evaluate, class_names=class_names)
    io.write_json(paths.METRICS, metrics)
    fairness = fairness_evidence(
        model, test, data=cfg.data, mitigation=cfg.train.mitigation, cfg=cfg.evaluate
    )
    io.write_json(paths.FAIRNESS, fairness)
    for name in ("roc", "precision_recall", "calibration", "confusion"):
        io.write_json(paths.PLOTS_DIR / f"{name}.json", curves[name])
    pictures = {
        "roc.png": figures.roc_figure(curves["roc"], roc_auc=metrics["roc_auc"]),
        "precision_recall.png": figures.precision_recall_figure(
            curves["precision_recall"], positive_rate=float(y_test.mean())
        ),
        "calibration.png": figures.calibration_figure(curves["calibration"]),
        "confusion_matrix.png": figures.confusion_figure(
            curves["confusion_matrix"], class_names=class_names
        ),
    }
    for file_name, figure in pictures.items():
        io.write_figure(paths.FIGURES_DIR / file_name, figure)
    say("evaluate", f"test ROC AUC {metrics['roc_auc']:.4f}, accuracy {metrics['accuracy']:.4f}")
