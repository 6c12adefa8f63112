"""``mlgate explain``: SHAP values of the test set, global importance, and plots (DVC stage)."""

from __future__ import annotations

import click

from mlgate import io, paths
from mlgate.cli.common import Timer, pass_config, say
from mlgate.config import Config
from mlgate.model.files import load_model
from mlgate.stages.explain import explain_model, explained_rows


@click.command("explain")
@pass_config
def explain_cmd(cfg: Config) -> None:
    """Explain the model on the test set with SHAP (DVC stage ``explain``)."""
    model = load_model(paths.MODEL, extra_types=cfg.train.trusted_types)
    rows = explained_rows(io.read_parquet(paths.INGESTED_TEST), cfg.explain)
    timer = Timer()
    say("explain", f"SHAP values of {len(rows):,} test rows…")
    explained = explain_model(
        model, rows, io.read_parquet(paths.INGESTED_TRAIN), data=cfg.data, cfg=cfg.explain
    )
    importance, method = explained.importance, explained.method
    say("explain", f"{method['explainer']} ({method['output']}) in {timer}")
    io.write_parquet(paths.SHAP_VALUES, explained.values)
    io.write_json(paths.SHAP_IMPORTANCE, importance)
    io.write_json(paths.SHAP_METHOD, method)
    for name, figure in explained.pictures.items():
        io.write_figure(paths.EXPLAIN_DIR / f"{name}.png", figure)
    top = ", ".join(list(importance["mean_abs_shap"])[:3])
    say("explain", f"top features by mean |SHAP|: {top}; wrote {paths.SHAP_IMPORTANCE}")
