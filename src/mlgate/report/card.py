"""``models/MODEL_CARD.md``: the model card, rendered from the evidence and ``card:`` in params.

Each section is built from what the pipeline recorded (never recomputed here) or from the text
people wrote under ``card:``. Whether the card is complete, section by section against the EU AI
Act's Annex IV, is decided outside this renderer (:mod:`mlgate.gate.card_completeness`); the
card states that decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlgate import io, paths
from mlgate.errors import DataError
from mlgate.gate.card_completeness import ANNEX_IV, card_problems
from mlgate.report.evidence import Evidence, working_tree_evidence
from mlgate.report.format import code, finite, metric, num, prose, text, with_interval

if TYPE_CHECKING:
    from mlgate.config import Config, DataConfig, EvaluateConfig, TableRules


def read_card_sections(cfg: Config) -> dict[str, str]:
    """:func:`card_sections` from the files in the working folder."""
    try:
        provenance = io.read_json(paths.MODEL_CARD)
    except DataError:
        provenance = {}
    return card_sections(cfg, working_tree_evidence(), provenance=provenance)


def render_card(artifact: str, sections: dict[str, str]) -> str:
    """The card of ``artifact`` (``registry.artifact``) as Markdown, the Annex IV map at its end.

    Written with skops' card API.
    """
    from skops.card import Card

    problems = card_problems(sections)
    card = Card(model=str(paths.MODEL), template=None, model_diagram=False)
    card.add(
        **{
            title: text.strip() or f"*Not written.* {_WHERE.get(title, '')}".strip()
            for title, text in sections.items()
        }
    )
    card.add_table(
        **{
            "EU AI Act, Annex IV": {
                "card section": list(ANNEX_IV),
                "Annex IV points it documents": list(ANNEX_IV.values()),
            }
        }
    )
    status = (
        "Complete: every section the Annex IV map names has content."
        if not problems
        else "**Incomplete**, so promotion is refused:\n" + "".join(f"\n- {p}" for p in problems)
    )
    header = (
        f"# Model card: {text(artifact)}\n\nWritten by `mlgate card` from the "
        "evidence in `reports/` and `card:` in `params.yaml`; versioned with the model (the "
        f"registry's tags point at the commit that holds it).\n\n{status}\n"
    )
    return header + card.render()


#: Where the text of a section people write comes from.
_WHERE = {
    title: f"Set `card.{key}` in params.yaml."
    for title, key in (
        ("Owners", "owners"),
        ("Intended use", "intended_use"),
        ("Out of scope", "out_of_scope"),
        ("Limitations", "limitations"),
        ("Risks", "risks"),
        ("Human oversight", "human_oversight"),
        ("Standards", "standards"),
    )
}


def card_sections(cfg: Config, evidence: Evidence, *, provenance: dict[str, Any]) -> dict[str, str]:
    """Every section's Markdown, from ``card:``, the evidence and ``models/model.json``.

    The text under ``card:`` is Markdown that the model's owners write in ``params.yaml`` and
    review as code: it is kept as written. Everything from data or evidence (column names,
    labels, groups, paths, versions, summaries) is shown as inert text.
    """
    written = cfg.card
    return {
        "Model details": _details(cfg.data, cfg.evaluate, provenance),
        "Owners": written.owners,
        "Intended use": written.intended_use,
        "Out of scope": written.out_of_scope,
        "Training data": _data(cfg.table_rules, evidence, provenance),
        "Evaluation": _evaluation(evidence),
        "Fairness": _fairness(cfg.data, evidence),
        "Explanations": _explanations(evidence),
        "Limitations": written.limitations,
        "Risks": written.risks,
        "Human oversight": written.human_oversight,
        "Gate decision": _gate(evidence),
        "Monitoring plan": _monitoring(cfg.checks),
        "Changes": (
            "Every registration, promotion and rollback of this model is an annotated git tag "
            "carrying the evidence's digest: `mlgate registry history` lists them, and "
            "`dvc params diff` / `dvc metrics diff` show what changed between two versions."
        ),
        "Standards": written.standards,
    }


def _details(data: DataConfig, evaluate: EvaluateConfig, provenance: dict[str, Any]) -> str:
    # The training params come from models/model.json, written with the model: the card then
    # depends on the params the model was trained with, not on params.yaml's train section.
    if not provenance:
        return ""
    params = provenance.get("params") or {}
    seeds = (
        f"prepare {text(_get(params, 'prepare', 'seed'))}, "
        f"train {text(_get(params, 'train', 'seed'))}"
    )
    versions = ", ".join(
        f"{text(k)} {text(v)}" for k, v in sorted((provenance.get("versions") or {}).items())
    )
    return (
        f"A binary classifier ({text(provenance.get('estimator'))}) of {code(data.target)} "
        f"(positive class {code(data.positive_label)}) from {len(data.features)} "
        f"inputs: {', '.join(code(f) for f in data.features)}. Trained by mlgate's DVC "
        f"pipeline with fixed seeds ({seeds}); decision threshold "
        f"{evaluate.decision_threshold}. Model file SHA-256 "
        f"{code((provenance.get('model') or {}).get('sha256'))}, saved with skops and loaded "
        f"only through mlgate's allow-list. Software: {versions}."
    )


def _get(params: dict[str, Any], section: str, key: str) -> Any:
    return (params.get(section) or {}).get(key)


def _share(value: Any) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else text(value)


def _data(rules: TableRules, evidence: Evidence, provenance: dict[str, Any]) -> str:
    hashes = dict(((evidence.get("checks") or {}).get("provenance") or {}).get("data_sha256") or {})
    for entry in (provenance.get("data") or {}).values():
        hashes[entry.get("path")] = entry.get("sha256")
    if not hashes:
        return ""
    params = provenance.get("params") or {}
    rows = "\n".join(
        f"| {code(path)} | {code(digest)} |"
        for path, digest in sorted(hashes.items(), key=lambda kv: str(kv[0]))
    )
    sensitive = ", ".join(code(s) for s in rules.data.sensitive_features) or "none"
    return (
        f"Read from {code(rules.ingest.train_path)}"
        + (f" and {code(rules.ingest.test_path)}" if rules.ingest.test_path else "")
        + f"; {_share(_get(params, 'prepare', 'validation_size'))} of the training rows held "
        f"out for validation. Sensitive features, used to slice the evidence: {sensitive}. "
        "The files (SHA-256):\n\n| file | hash |\n| --- | --- |\n"
        + rows
        + _allowed_leakage(evidence)
    )


def _allowed_leakage(evidence: Evidence) -> str:
    """The inputs a person allowed, with the reason, although they may predict the label alone."""
    details = (evidence.result("data.target_leakage") or {}).get("details")
    allowed = details.get("allowed") if isinstance(details, dict) else None
    if not isinstance(allowed, dict):
        return ""
    kept = [(c, v) for c, v in allowed.items() if isinstance(v, dict)]
    if not kept:
        return ""
    listed = "; ".join(f"{code(c)}: {prose(v.get('reason'))}" for c, v in kept)
    return f"\n\nInputs kept after review by `checks.data.target_leakage.allow`: {listed}."


def _evaluation(evidence: Evidence) -> str:
    rows = [
        f"| {text(r['id'].removeprefix('performance.metrics.'))} | "
        f"{metric(r.get('value'))} ({metric(r.get('ci_low'))}–{metric(r.get('ci_high'))}) | "
        f"{prose(r.get('title'))} | {text(r.get('status'))} |"
        for r in evidence.results()
        if str(r.get("id", "")).startswith("performance.")
    ]
    if not rows:
        return ""
    return (
        "On the held-out test set, with bootstrap intervals (a limit is met when the whole "
        "interval is on its side):\n\n| metric | value (interval) | limit | status |\n"
        "| --- | --- | --- | --- |\n" + "\n".join(rows)
    )


_FAIRNESS_COLUMNS = ("group", "rows", "true positive rate", "false positive rate", "selection rate")
_FAIRNESS_TABLE = f"\n\n| {' | '.join(_FAIRNESS_COLUMNS)} |\n|{' --- |' * 5}\n"


def _fairness(data: DataConfig, evidence: Evidence) -> str:
    blocks = []
    for feature in data.sensitive_features:
        result = evidence.result(f"fairness.group_parity.{feature}")
        if not result:
            continue
        groups = (result.get("details") or {}).get("groups") or {}
        rows = "\n".join(
            f"| {text(g)} | {num(v.get('n'))} | "
            f"{with_interval(v.get('true_positive_rate'), v.get('true_positive_rate_ci'))} | "
            f"{with_interval(v.get('false_positive_rate'), v.get('false_positive_rate_ci'))} | "
            f"{with_interval(v.get('selection_rate'), v.get('selection_rate_ci'))} |"
            for g, v in groups.items()
        )
        table = _FAIRNESS_TABLE + rows if rows else ""  # a skip's summary says why
        summary = f"**{text(feature)}**: {prose(result.get('summary'))} "
        blocks.append(summary + f"Status: {text(result.get('status'))}." + table)
    return "\n\n".join(blocks)


def _explanations(evidence: Evidence) -> str:
    recorded = (evidence.get("importance") or {}).get("mean_abs_shap") or {}
    importance = {name: value for name, value in recorded.items() if finite(value)}
    method = evidence.get("shap_method") or {}
    if not importance:
        return ""
    top = sorted(importance.items(), key=lambda kv: -kv[1])[:10]
    rows = "\n".join(f"| {code(name)} | {metric(value)} |" for name, value in top)
    return (
        f"SHAP ({text(method.get('explainer', 'unknown explainer'))}, in "
        f"{text(method.get('output', '?'))}) on "
        f"{text((evidence.get('importance') or {}).get('rows', '?'))} test rows; per-row values "
        "are kept for audit in `reports/shap_values.parquet`.\n\n| feature | mean abs SHAP |\n"
        "| --- | --- |\n" + rows
    )


def _gate(evidence: Evidence) -> str:
    gate = evidence.get("gate") or {}
    if not gate:
        return ""
    reasons = "".join(f"\n- {prose(r)}" for r in gate.get("reasons", []))
    rows = "\n".join(
        f"| {code(r.get('id'))} | {text(r.get('status'))} | {prose(r.get('summary'))} |"
        for r in evidence.results()
    )
    return (
        f"The promotion gate decided **{text(gate.get('decision'))}** from `params.yaml` and the "
        f"evidence{':' + reasons if reasons else '; no reason to reject.'}\n\n"
        "| check | status | summary |\n| --- | --- | --- |\n" + rows
    )


def _monitoring(checks: dict[str, Any]) -> str:
    drift = [c for c in checks if c.startswith(("drift.", "data."))]
    if not drift:
        return ""
    return (
        "Each new batch is judged with `mlgate check --current <batch>` against the training "
        f"data, by the checks {', '.join(code(c) for c in drift)} with the limits in "
        "`params.yaml` (false-alarm rates and power: docs/explanation/statistics.md). A "
        "failed check is an alert; retraining goes back through the same gate, and a model "
        "that degrades in production is rolled back with `mlgate registry rollback`."
    )
