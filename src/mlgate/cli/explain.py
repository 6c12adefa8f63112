"""``mlgate explain``: SHAP values of the test set, global importance, and plots (DVC stage)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgate import paths
from mlgate.cli.app import Timer, cli, pass_config, say

if TYPE_CHECKING:
    from mlgate.config import Config


@cli.command("explain")
@pass_config
def explain_cmd(cfg: Config) -> None:
    """Explain the model on the test set with SHAP (DVC stage ``explain``)."""
    import numpy as np
    import pandas as pd

    from mlgate import io
    from mlgate.explain.shap_values import explain, global_importance
    from mlgate.report.figures import shap_figures

    model = io.load_model(paths.MODEL, extra_types=cfg.train.trusted_types)
    test = io.read_parquet(paths.INGESTED_TEST)
    rows = (
        test
        if cfg.explain.max_rows is None
        else test.sample(
            n=min(cfg.explain.max_rows, len(test)), random_state=cfg.explain.seed
        ).sort_index()
    )
    background = io.read_parquet(paths.INGESTED_TRAIN).sample(
        n=cfg.explain.background_rows, random_state=cfg.explain.seed
    )
    timer = Timer()
    say("explain", f"SHAP values of {len(rows):,} test rows…")
    explanation = explain(model, rows, background=background, seed=cfg.explain.seed)
    say("explain", f"{explanation.explainer} ({explanation.output}) in {timer}")
    importance = global_importance(explanation)
    table = pd.DataFrame(explanation.values, columns=explanation.features)
    table.insert(0, "row", rows.index.to_numpy())
    io.write_parquet(paths.SHAP_VALUES, table)
    io.write_json(
        paths.SHAP_IMPORTANCE,
        {
            "mean_abs_shap": importance,
            "explainer": explanation.explainer,
            "output": explanation.output,
            # A mitigated model's decisions are its base model's scores, re-thresholded per group
            # or replaced by an ensemble's vote: SHAP explains the scores before mitigation.
            "explains": (
                f"the model before {model.method} mitigation"
                if hasattr(model, "base")
                else "the model"
            ),
            "base_value": round(explanation.base_value, 6),
            "rows": len(rows),
        },
    )
    colours = np.column_stack(
        [
            rows[f].to_numpy(dtype=float) if f in cfg.data.numeric else np.full(len(rows), np.nan)
            for f in explanation.features
        ]
    )
    figures = shap_figures(explanation.values, colours, explanation.features, seed=cfg.explain.seed)
    for name, figure in figures.items():
        io.write_figure(paths.EXPLAIN_DIR / f"{name}.png", figure)
    top = ", ".join(list(importance)[:3])
    say("explain", f"top features by mean |SHAP|: {top}; wrote {paths.SHAP_IMPORTANCE}")
