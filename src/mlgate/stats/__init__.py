"""Statistics as pure, vectorised functions of arrays; no pandas, no config, no files."""

#: The classification metrics mlgate reports and resamples, in the order reports show them.
METRIC_NAMES = (
    "accuracy",
    "balanced_accuracy",
    "precision",
    "recall",
    "f1",
    "roc_auc",
    "log_loss",
    "brier_score",
    "positive_rate",
)
