"""``reports/monitor/history.parquet``: one row per monitored batch, and the trends drawn from it.

The history carries the alert policy's state from one run to the next (the statistic the last
batch of a model left), records which batches were monitored (a batch is judged once per model,
so a re-run does not count its evidence twice), and feeds the trend plots.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mlgate import io
from mlgate.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

#: The performance columns of a history row: estimated always, realized with labels.
PERFORMANCE_COLUMNS = (
    "estimated_roc_auc",
    "estimated_accuracy",
    "realized_roc_auc",
    "realized_accuracy",
)

#: Every column of the history, in order.
COLUMNS = (
    "batch_id",
    "batch_sha256",
    "rows",
    "labelled",
    "model_sha256",
    "model_version",
    "monitored_at",
    "run_p_value",
    "e_value",
    "statistic",
    "threshold",
    "alert",
    "carried",
    "drifted_features",
    *PERFORMANCE_COLUMNS,
)


def read_history(path: str | Path) -> pd.DataFrame:
    """The history at ``path``, or an empty one; refuses a file with other columns."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        return pd.DataFrame({name: pd.Series(dtype=object) for name in COLUMNS})
    history = io.read_parquet(path)
    missing = [name for name in COLUMNS if name not in history.columns]
    if missing:
        raise DataError(
            f"{path} is not a monitoring history: columns {missing} are missing. Move it aside; "
            "the next run starts a new history."
        )
    return history.loc[:, list(COLUMNS)]


def carried_statistic(history: pd.DataFrame, model_sha256: str) -> float:
    """What the alert policy starts from: the last run of this model, or 1 for a new model."""
    runs = history[history["model_sha256"] == model_sha256]
    return float(runs["carried"].iloc[-1]) if len(runs) else 1.0


def is_new_batch(history: pd.DataFrame, model_sha256: str, batch_id: str, sha256: str) -> bool:
    """Whether this model has yet to judge the batch: a batch counts once in the alert policy.

    Raises
    ------
    DataError
        When the identifier was judged before with other content.
    """
    runs = history[(history["model_sha256"] == model_sha256) & (history["batch_id"] == batch_id)]
    if not len(runs):
        return True
    seen = str(runs["batch_sha256"].iloc[-1])
    if seen != sha256:
        raise DataError(
            f"batch {batch_id!r} was monitored before with other content (SHA-256 {seen[:12]}, "
            f"now {sha256[:12]}). A batch is judged once: give it another identifier (--batch-id)."
        )
    return False


def history_row(evidence: dict) -> dict[str, Any]:
    """One history row from a batch's evidence."""
    tests, alert = evidence["tests"], evidence["alert"]

    def metric(test: str, name: str, field: str) -> float:
        record = tests.get(test, {}).get("metrics", {}).get(name) or {}
        value = record.get(field)
        return float(value) if value is not None else np.nan

    return {
        "batch_id": evidence["batch"]["id"],
        "batch_sha256": evidence["batch"]["sha256"],
        "rows": evidence["batch"]["rows"],
        "labelled": evidence["batch"]["labelled"],
        "model_sha256": evidence["model"]["sha256"],
        "model_version": evidence["model"]["version"],
        "monitored_at": evidence["monitored_at"],
        "run_p_value": evidence["run_p_value"],
        "e_value": alert["e_value"],
        "statistic": alert["statistic"],
        "threshold": alert["threshold"],
        "alert": alert["alert"],
        "carried": alert["carried"],
        "drifted_features": ",".join(tests.get("data_drift", {}).get("drifted", [])),
        "estimated_roc_auc": metric("estimated_performance", "roc_auc", "estimate"),
        "estimated_accuracy": metric("estimated_performance", "accuracy", "estimate"),
        "realized_roc_auc": metric("realized_performance", "roc_auc", "value"),
        "realized_accuracy": metric("realized_performance", "accuracy", "value"),
    }


def appended(history: pd.DataFrame, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The history with ``rows`` added at the end."""
    import pandas as pd

    added = pd.DataFrame(rows, columns=list(COLUMNS))
    frames = [frame for frame in (history, added) if len(frame)]
    combined = pd.concat(frames, ignore_index=True) if frames else added
    return combined.astype({"rows": "int64", "labelled": bool, "alert": bool})


def trend_records(history: pd.DataFrame) -> list[dict[str, Any]]:
    """The history as records for DVC plots (``dvc plots show reports/monitor/trend.json``)."""
    records = []
    for position, row in enumerate(history.itertuples(index=False)):
        record: dict[str, Any] = {"run": position + 1, "batch": row.batch_id}
        record["log10_statistic"] = round(float(np.log10(max(row.statistic, 1e-300))), 6)
        record["log10_threshold"] = round(float(np.log10(row.threshold)), 6)
        for name in PERFORMANCE_COLUMNS:
            value = getattr(row, name)
            record[name] = None if value is None or np.isnan(value) else round(float(value), 6)
        records.append(record)
    return records


def trend_figure(history: pd.DataFrame) -> Any:
    """Performance per batch, estimated and realized; the alert statistic and its threshold."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(8, 5.5), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    runs = np.arange(1, len(history) + 1)
    colours = {"roc_auc": "tab:blue", "accuracy": "tab:orange"}
    styles = {"estimated": "-", "realized": "--"}
    for name in PERFORMANCE_COLUMNS:
        kind, metric = name.split("_", 1)
        values = history[name].to_numpy(dtype=float)
        if np.isfinite(values).any():
            top.plot(
                runs, values, styles[kind], color=colours[metric], marker="o",
                label=f"{metric} ({kind})",
            )  # fmt: skip
    top.set_ylabel("performance")
    if top.get_legend_handles_labels()[0]:  # no batch judged yet: nothing plotted, no legend
        top.legend(loc="best", fontsize="small")
    top.set_title("Monitored batches")
    statistic = history["statistic"].to_numpy(dtype=float)
    bottom.semilogy(runs, np.maximum(statistic, 1e-3), marker="o", label="alert statistic")
    bottom.axhline(
        float(history["threshold"].iloc[-1]), color="red", linestyle=":", label="alert at"
    )
    alerts = history["alert"].to_numpy(dtype=bool)
    bottom.scatter(runs[alerts], np.maximum(statistic[alerts], 1e-3), color="red", zorder=3)
    bottom.set_ylabel("e-detector")
    bottom.legend(loc="best", fontsize="small")
    if len(history) <= 20:
        bottom.set_xticks(runs, [str(b) for b in history["batch_id"]], rotation=30, ha="right")
    else:
        bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
        bottom.set_xlabel("batch (in the order monitored)")
    return figure
