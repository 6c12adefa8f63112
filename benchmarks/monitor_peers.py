"""The label-free estimate on the example batches: mlgate's, and NannyML's CBPE as a peer."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from mlgate import paths
from mlgate.model.estimators import positive_scores
from mlgate.monitor.judge import judge_batch
from mlgate.monitor.summary import summarise_chunk

ROOT = Path(__file__).resolve().parents[1]
BATCHES = ("uniform", "covariate", "prior", "concept")


def label_free_errors(cfg, model, fingerprint) -> list[str]:
    """One line per example batch: estimate, realized, and the errors of mlgate and NannyML."""
    threshold = cfg.evaluate.decision_threshold
    lines, frames = [], {}
    for name in BATCHES:
        path = paths.EXAMPLES_DIR / f"{name}.parquet"
        if not path.is_file():
            return [f"{path} is missing: run `make repro` (the examples stage)"]
        frames[name] = pd.read_parquet(path)
    peer = nannyml_estimates(cfg, model, frames, threshold)
    for name, frame in frames.items():
        summary = summarise_chunk(frame, model, fingerprint, data=cfg.data)
        judged = judge_batch(summary, fingerprint, cfg=cfg.monitor, fairness=None, labelled=True)
        estimated = judged["tests"]["estimated_performance"]["metrics"]
        realized = judged["tests"]["realized_performance"]["metrics"]
        parts = []
        for metric in ("roc_auc", "accuracy"):
            truth = realized[metric]["value"]
            mine = estimated[metric]["estimate"]
            text = f"{metric} realized {truth:.4f}, mlgate {mine:.4f} (error {mine - truth:+.4f})"
            if peer is not None and name in peer:
                theirs = peer[name][metric]
                text += f", NannyML {theirs:.4f} ({theirs - truth:+.4f})"
            parts.append(text)
        lines.append(f"{name:9s} " + "; ".join(parts))
    if peer is None:
        lines.append("NannyML not run: no .venv-nannyml (see benchmarks/peers/nannyml_cbpe.py)")
    return lines


def nannyml_estimates(cfg, model, frames: dict, threshold: float) -> dict | None:
    """NannyML's CBPE fitted on the validation split's scores, each batch one chunk."""
    python = ROOT / ".venv-nannyml/bin/python"
    if not python.is_file():
        return None
    validation = pd.read_parquet(paths.PREPARED_VALIDATION)
    with tempfile.TemporaryDirectory(prefix="nannyml-") as tmp:
        folder = Path(tmp)
        for name, frame in {"reference": validation, **frames}.items():
            scores = positive_scores(model, frame.loc[:, list(cfg.data.features)])
            table = pd.DataFrame({"score": scores, "decision": (scores >= threshold).astype(int)})
            if name == "reference":
                table["label"] = (frame[cfg.data.target] == cfg.data.positive_label).astype(int)
            table.to_parquet(folder / f"{name}.parquet")
        done = subprocess.run(
            [str(python), str(ROOT / "benchmarks/peers/nannyml_cbpe.py"), str(folder), *frames],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])
