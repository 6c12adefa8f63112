"""Where each stage reads and writes, relative to the project root.

``dvc.yaml`` names the same paths in each stage's ``deps`` and ``outs``; ``mlgate validate``
(and a test) keeps the two in agreement.
"""

from __future__ import annotations

from pathlib import Path

INGESTED_TRAIN = Path("data/ingested/train.parquet")
INGESTED_TEST = Path("data/ingested/test.parquet")
PREPARED_TRAIN = Path("data/prepared/train.parquet")
PREPARED_VALIDATION = Path("data/prepared/validation.parquet")
MODEL = Path("models/model.skops")
MODEL_CARD = Path("models/model.json")
MODEL_CARD_MD = Path("models/MODEL_CARD.md")
VALIDATION_METRICS = Path("reports/validation_metrics.json")
REPORTS_DIR = Path("reports")
METRICS = Path("reports/metrics.json")
FAIRNESS = Path("reports/fairness.json")
PLOTS_DIR = Path("reports/plots")
FIGURES_DIR = Path("reports/figures")
SHAP_VALUES = Path("reports/shap_values.parquet")
SHAP_IMPORTANCE = Path("reports/shap_importance.json")
SHAP_METHOD = Path("reports/shap_method.json")
EXPLAIN_DIR = Path("reports/explain")
CHECKS = Path("reports/checks.json")
GATE = Path("reports/gate.json")
VERDICT = Path("reports/verdict.json")
BATCH_CHECKS = Path("reports/batch_checks.json")
FINGERPRINT = Path("models/fingerprint.json")
MONITOR_DIR = Path("reports/monitor")
MONITOR_HISTORY = Path("reports/monitor/history.parquet")
MONITOR_TREND = Path("reports/monitor/trend.json")
MONITOR_SUMMARY = Path("reports/monitor/summary.md")
MONITOR_LAST_RUN = Path("reports/monitor/last-run.json")
EXAMPLES_DIR = Path("data/examples")
