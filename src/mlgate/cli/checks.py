"""``mlgate check``: run the configured checks, write ``reports/checks.json``, print a table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from mlgate import paths
from mlgate.checks import BATCH_SUITES, SUITES
from mlgate.cli.app import Timer, cli, pass_config, say

if TYPE_CHECKING:
    from mlgate.checks.base import CheckContext, CheckResult
    from mlgate.config import Config

SYMBOLS = {"pass": "✓", "warn": "!", "fail": "✗", "error": "E", "skip": "-"}


@cli.command("check")
@click.option(
    "--current",
    "current_path",
    default=None,
    help="A new batch (CSV in the source format, or parquet) to run the data and drift checks on, "
    "instead of the test split.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Where to write the evidence [default: {paths.CHECKS}, or "
    f"{paths.BATCH_CHECKS} with --current].",
)
@click.option(
    "--suite",
    "suites",
    multiple=True,
    type=click.Choice(SUITES),
    help=f"Run only this suite (repeatable). With --current: {', '.join(BATCH_SUITES)} only.",
)
@click.option(
    "--no-fail",
    is_flag=True,
    help="Exit 0 even when a required check fails: record the evidence (the DVC stage does this; "
    "the gate enforces the verdict).",
)
@pass_config
def check_cmd(
    cfg: Config,
    current_path: str | None,
    output: Path | None,
    suites: tuple[str, ...],
    no_fail: bool,
) -> int:
    """Run the checks under `checks:` in params.yaml (DVC stage `check`)."""
    from mlgate import io
    from mlgate.checks.runner import blocking, run_checks

    if current_path is not None and set(suites) - set(BATCH_SUITES):
        raise click.UsageError(
            f"--suite {', '.join(sorted(set(suites) - set(BATCH_SUITES)))} does not run on a "
            f"batch: with --current, the suites are {', '.join(BATCH_SUITES)}."
        )
    timer = Timer()
    ctx, provenance = build_context(cfg, current_path)
    wanted = set(suites) or None
    if current_path is not None:
        wanted = (wanted or set(BATCH_SUITES)) & set(BATCH_SUITES)
    results = run_checks(
        ctx, cfg.checks, suites=wanted, on_result=lambda r: say("check", _line(r, width=96))
    )
    stopping = blocking(results)
    output = output or (paths.BATCH_CHECKS if current_path else paths.CHECKS)
    io.write_json(output, evidence(results, provenance))
    click.echo(render_table(results))
    verdict = verdict_line(results, stopping)
    say("check", f"{len(results)} results, {verdict}; wrote {output} ({timer})")
    return 1 if (stopping or not judged(results)) and not no_fail else 0


def build_context(cfg: Config, current_path: str | None) -> tuple[CheckContext, dict]:
    """Read the data, the model and (for comparison checks) the champion into a CheckContext."""
    from mlgate import io
    from mlgate.checks.base import CheckContext
    from mlgate.provenance import checks_params_sha256, evidence_code_sha256, mlgate_version
    from mlgate.stages.ingest import read_batch
    from mlgate.stages.train import features_and_labels

    reference = io.read_parquet(paths.INGESTED_TRAIN)
    if current_path is None:
        current, current_name = io.read_parquet(paths.INGESTED_TEST), "test"
    else:
        current = read_batch(current_path, ingest=cfg.ingest, data=cfg.data)
        current_name = Path(current_path).name
    trusted = cfg.train.trusted_types
    model = io.load_model(paths.MODEL, extra_types=trusted) if paths.MODEL.is_file() else None
    y_true = None
    if cfg.data.target in current.columns:
        _, y_true = features_and_labels(current, cfg.data)
    reference_scores = current_scores = None
    if model is not None:
        reference_scores = model.predict_proba(reference)[:, 1]
        current_scores = model.predict_proba(current)[:, 1] if len(current) else current_scores
    model_sha = io.file_sha256(paths.MODEL) if model is not None else None
    baseline = None
    champion = cfg.checks.get("comparison.champion")
    if champion is not None and current_path is None and model is not None:
        from mlgate.baseline import load_baseline

        baseline = load_baseline(
            champion.baseline_rev,
            current,
            current_model_md5=io.file_md5(paths.MODEL),
            extra_types=trusted,
        )
    importance = baseline_importance = None
    if current_path is None and paths.SHAP_IMPORTANCE.is_file():
        importance = io.read_json(paths.SHAP_IMPORTANCE).get("mean_abs_shap")
    stability = cfg.checks.get("explain.rank_stability")
    if stability is not None and importance is not None:
        from mlgate.baseline import load_baseline_importance

        baseline_importance = load_baseline_importance(stability.baseline_rev)
    retrain = None
    if current_path is None and paths.PREPARED_TRAIN.is_file():
        from mlgate.stages.train import train

        def retrain():
            return train(
                io.read_parquet(paths.PREPARED_TRAIN),
                data=cfg.data,
                preprocessing=cfg.prepare.preprocessing,
                cfg=cfg.train,
                validation=io.read_parquet(paths.PREPARED_VALIDATION),
                decision_threshold=cfg.evaluate.decision_threshold,
            )

    ctx = CheckContext(
        data=cfg.data,
        reference=reference,
        current=current,
        current_name=current_name,
        reference_scores=reference_scores,
        current_scores=current_scores,
        y_true=y_true,
        model=model,
        decision_threshold=cfg.evaluate.decision_threshold,
        baseline=baseline,
        retrain=retrain,
        importance=importance,
        baseline_importance=baseline_importance,
        is_batch=current_path is not None,
    )
    provenance = {
        "current": current_path or str(paths.INGESTED_TEST),
        "current_rows": len(current),
        "reference": str(paths.INGESTED_TRAIN),
        "reference_rows": len(reference),
        "model_sha256": model_sha,
        "data_sha256": {
            str(p): io.file_sha256(p) for p in (paths.INGESTED_TRAIN, paths.INGESTED_TEST)
        },
        "params_sha256": checks_params_sha256(cfg),
        "mlgate_version": mlgate_version(),
        "code_sha256": evidence_code_sha256(),
    }
    return ctx, provenance


def evidence(results: list[CheckResult], provenance: dict) -> dict:
    """The JSON document ``mlgate check`` writes: format, provenance, counts and every result."""
    from mlgate.provenance import EVIDENCE_FORMAT

    counts: dict[str, int] = {}
    for r in results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    return {
        "format": EVIDENCE_FORMAT,
        "provenance": provenance,
        "counts": counts,
        "blocking": [r.id for r in results if r.blocking],
        "results": [r.to_dict() for r in results],
    }


def judged(results: list[CheckResult]) -> list[CheckResult]:
    """Required results that judged and passed: a run without one proves nothing."""
    return [r for r in results if r.required and r.status.passes]


def verdict_line(results: list[CheckResult], stopping: list[CheckResult]) -> str:
    """One line: how many required checks failed, or that none could judge, or that all pass."""
    if stopping:
        return f"{len(stopping)} required checks failed"
    if not judged(results):
        return "no required check could judge (see the reasons above): not a pass"
    return "all required checks pass"


def render_table(results: list[CheckResult], *, width: int = 100) -> str:
    """A compact plain-text table: one line per result, grouped by suite."""
    lines = []
    suite = None
    for r in results:
        if r.suite != suite:
            suite = r.suite
            lines.append(f"{suite}")
        lines.append("  " + _line(r, width=width - 2))
    return "\n".join(lines)


def _line(r: CheckResult, *, width: int) -> str:
    flag = "" if r.required else " (optional)"
    text = f"{SYMBOLS[r.status.value]} {r.status.value:5} {r.id}{flag}: {r.summary}"
    return text if len(text) <= width else text[: width - 1] + "…"
