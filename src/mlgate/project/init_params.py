"""Point ``params.yaml`` and ``dvc.yaml`` at a new table: what ``mlgate init`` writes.

The ``data:`` and ``ingest:`` sections are replaced by what :mod:`mlgate.project.schema_inference`
found; every other key that names a column of the old dataset is cleared or set from the new one,
and a check that cannot judge without columns a person must choose is removed (a required check
that skips would reject every model). Each change comes back as a line for the person to review.
The rest of the file, comments included, is kept (ruamel.yaml's round trip).
"""

from __future__ import annotations

import io
import re
from typing import Any

from mlgate.config.card import CardConfig
from mlgate.errors import DataError
from mlgate.io import parse_yaml
from mlgate.project.judgement_sizes import (
    drift_optional_on_one_file,
    example_rows,
    optional_below_min_samples,
    size_data_checks,
    size_fairness,
    size_monitoring,
)
from mlgate.project.leakage_proposal import deny_leaking_columns
from mlgate.project.schema_inference import TEST_SIZE, InferredTable
from mlgate.project.template_leftovers import (
    card_placeholders,
    drop_comments_naming,
    old_table_words,
)

TEST_PATH_DEP = "${ingest.test_path}"
#: Where `mlgate retrain` puts labelled batches (the template's folder).
RETRAIN_DIR = "data/retrain"
#: examples.rows' smallest accepted value.
EXAMPLES_MIN_ROWS = 50


def rewrite_params(
    text: str, table: InferredTable, *, train_path: str, test_path: str | None
) -> tuple[str, list[str]]:
    """``params.yaml``'s new text for ``table``, and what a person should review."""
    import json

    from dvc.utils.collections import merge_dicts, remove_missing_keys
    from ruamel.yaml import YAML

    # Edited as plain data, then merged into the file the way `dvc exp run -S` merges its
    # changes (DVC's own functions): comments are kept, and the result is a file DVC leaves as it
    # is, so a later `-S` changes one line.
    yaml = YAML()
    yaml.default_flow_style = False
    document = yaml.load(text)
    params = json.loads(json.dumps(document))
    old_words = old_table_words(params)
    notes: list[str] = []
    features = (*table.numeric, *table.categorical)
    notes += [
        f"{column}: not an input ({why}); nothing to learn from it"
        for column, why in table.uninformative.items()
    ]
    if table.unlabelled:
        notes.append(
            f"ingest.unlabelled_rows: drop ({table.unlabelled} rows have no {table.target!r})"
        )
    params["data"] = _data_section(table)
    params["ingest"] = _ingest_section(table, train_path=train_path, test_path=test_path)

    train = params.get("train", {})
    boosting = train.get("hist_gradient_boosting", {})
    for key in ("monotonic_increasing", "monotonic_decreasing"):
        if boosting.get(key):
            boosting[key] = []
            notes.append(f"train.hist_gradient_boosting.{key}: cleared (declare what you expect)")
    mitigation = train.get("mitigation", {})
    if "sensitive_feature" in mitigation:
        inputs = [c for c in table.sensitive if c in features]
        mitigation["sensitive_feature"] = inputs[0] if inputs else None
    if test_path is None:
        notes += drift_optional_on_one_file(params.get("checks", {}))
    notes += _rewrite_checks(params.get("checks", {}), table, features=features)
    if "examples" in params:
        params["examples"] = _examples_section(params["examples"], table)
        notes.append(
            f"examples.rows: {params['examples']['rows']} (the stage draws at most half the "
            f"~{table.test_rows:,} test rows); the covariate batch shifts the first numeric "
            "input; name a group of a sensitive feature under examples.concept to draw a "
            "concept-shifted batch too"
        )
    notes += size_monitoring(params, table)
    if "card" in params:
        params["card"] = _card_placeholders()
        notes.append(
            "card: every section is a TODO until you write it (mlgate card fails, and "
            "promotion is refused, until then)"
        )
    merge_dicts(document, _escaped(params))
    remove_missing_keys(document, params)
    _fresh_empty_collections(document)
    out = io.StringIO()
    yaml.dump(document, out)
    text, dropped = drop_comments_naming(out.getvalue(), old_words)
    if dropped:
        notes.append(f"params.yaml: {dropped} comments about the old table removed")
    _refuse_changed_on_reading(parse_yaml(text, source="params.yaml"), params)
    return text, notes


def _card_placeholders() -> dict[str, str]:
    return card_placeholders(
        {name: field.description or name for name, field in CardConfig.model_fields.items()}
    )


#: Characters ruamel.yaml writes raw inside a quoted string and reads back as a line break.
_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def _escaped(node: Any) -> Any:
    r"""``node`` with each string holding a :data:`_LINE_BREAKS` character double-quoted.

    A column named ``a<NEL>b`` would otherwise be read back as ``a b``, a column the table does
    not have; in double quotes the emitter escapes it (``\N``).
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(node, dict):
        return {_escaped(key): _escaped(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_escaped(value) for value in node]
    if isinstance(node, str) and any(c in node for c in _LINE_BREAKS):
        return DoubleQuotedScalarString(node)
    return node


def _refuse_changed_on_reading(read: Any, written: Any, key: str = "") -> None:
    """Refuse params whose YAML reads back otherwise than written, naming the key and value.

    Every value is written by the YAML emitter, never by formatting strings; this is the proof
    that a name or marker from the table survives it, whatever characters it holds.
    """
    if isinstance(written, dict) and isinstance(read, dict) and read.keys() == written.keys():
        for name, value in written.items():
            _refuse_changed_on_reading(read[name], value, f"{key}.{name}" if key else str(name))
    elif isinstance(written, list) and isinstance(read, list) and len(read) == len(written):
        for index, (back, value) in enumerate(zip(read, written, strict=True)):
            _refuse_changed_on_reading(back, value, f"{key}[{index}]")
    elif read != written:
        raise DataError(
            f"mlgate init cannot write {written!r} to params.yaml at {key or 'the top'}: YAML "
            f"reads it back as {read!r}. Rename the column or value in the table."
        )


def _examples_section(examples: dict, table: InferredTable) -> dict:
    """The example batches for a new table: no column of the old one is named any more."""
    section = {key: examples[key] for key in ("seed", "prior_weight") if key in examples}
    section["rows"] = example_rows(table.test_rows, floor=EXAMPLES_MIN_ROWS)
    if table.numeric:
        section["covariate"] = {"feature": table.numeric[0], "above_quantile": 0.8, "weight": 5.0}
    return section


def _fresh_empty_collections(node: Any) -> None:
    """Replace each emptied list or mapping by a new one, without the comments it carried.

    ruamel writes an empty block collection that still carries a comment as a bare ``[]`` or
    ``{}`` on the next line, which is not YAML; a new empty one is written ``key: []``.
    """
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if isinstance(value, (dict, list)) and not value:
            if hasattr(node, "ca"):
                node.ca.items.pop(key, None)
            node[key] = {} if isinstance(value, dict) else []
        else:
            _fresh_empty_collections(value)


def _data_section(table: InferredTable) -> dict[str, Any]:
    section: dict[str, Any] = {
        "target": table.target,
        "labels": list(table.labels),
        "positive_label": table.positive_label,
        "numeric": list(table.numeric),
        "categorical": list(table.categorical),
        "sensitive_features": list(table.sensitive),
        "sensitive_bins": {c: list(edges) for c, edges in table.sensitive_bins.items()},
        "personal": sorted(table.personal),
    }
    return section


def _ingest_section(table: InferredTable, *, train_path: str, test_path: str | None) -> dict:
    # The folder `mlgate retrain` adds labelled batches to; the ingest stage depends on it.
    section: dict[str, Any] = {"train_path": train_path, "retrain_dir": RETRAIN_DIR}
    if test_path is not None:
        section["test_path"] = test_path
    else:
        section.update({"test_size": table.test_size or TEST_SIZE, "seed": 0})
    if table.unlabelled:
        section["unlabelled_rows"] = "drop"
    section.update(
        {
            "header": True,
            "separator": table.separator,
            "encoding": table.encoding,
            "skip_initial_space": table.skip_initial_space,
            "na_values": list(table.na_values),
        }
    )
    return section


def _rewrite_checks(checks: dict, table: InferredTable, *, features: tuple[str, ...]) -> list[str]:
    notes = []
    data = checks.get("data", {})
    for key, empty in (("non_nullable", []), ("ranges", {}), ("allowed_categories", {})):
        if key in data.get("schema", {}):
            data["schema"][key] = empty
    if "missing_values" in data:
        # Observed rates plus a margin: a first limit, to be tightened by someone who knows.
        per_column = {
            c: min(1.0, round(rate + 0.02, 2))
            for c, rate in table.missing_rates.items()
            if c in features
        }
        data["missing_values"]["per_column"] = per_column
        if per_column:
            notes.append(f"checks.data.missing_values.per_column: set from the file {per_column}")
    for name, key in (("denied_inputs", "columns"), ("personal_data", "allow")):
        if name in data:
            data[name][key] = []
    notes += deny_leaking_columns(data, table.leakage)
    notes += size_data_checks(data, table)
    robustness = checks.get("robustness", {})
    for name in ("invariance", "monotonic"):
        if robustness.pop(name, None) is not None:
            notes.append(
                f"checks.robustness.{name}: removed (it needs columns only you can name; "
                "see docs/reference/checks.md)"
            )
    inputs = [c for c in table.sensitive if c in features]
    categorical_inputs = [c for c in inputs if c in table.categorical]
    if not categorical_inputs and robustness.pop("counterfactual", None) is not None:
        notes.append("checks.robustness.counterfactual: removed (no categorical sensitive input)")
    explain = checks.get("explain", {})
    if "sensitive_ranking" in explain:
        if inputs:
            ranking = explain["sensitive_ranking"]
            ranking["features"] = inputs
            # "Not in the top k" says nothing when k is as many as there are features.
            top_k = ranking.get("top_k", 5)
            if top_k >= len(features) // 2:
                ranking["top_k"] = max(1, len(features) // 3)
                notes.append(
                    f"checks.explain.sensitive_ranking.top_k: {ranking['top_k']} (a third of the "
                    f"{len(features)} features; {top_k} would say little)"
                )
        else:
            explain.pop("sensitive_ranking")
            notes.append("checks.explain.sensitive_ranking: removed (no sensitive input)")
    notes += size_fairness(checks, table)
    notes += optional_below_min_samples(
        checks, test_rows=table.test_rows, training_rows=table.rows - table.test_rows
    )
    for suite in [s for s, entries in checks.items() if not entries]:
        checks.pop(suite)
    notes.append(
        "checks.performance.metrics min/max and checks.performance.slices.min_value: the "
        "limits are the template's; set what this model must reach"
    )
    return notes


def rewrite_dvc_yaml(text: str, *, has_test_file: bool) -> str:
    """``dvc.yaml`` with the ingest stage depending on the test file exactly when there is one.

    DVC cannot interpolate a missing or null key, so the dependency line is removed when the test
    set is split from the one file, and put back when a test file is named.
    """
    line = re.compile(r"^(\s*)- \$\{ingest\.test_path\}\s*\n", re.MULTILINE)
    if has_test_file:
        if TEST_PATH_DEP in text:
            return text
        return re.sub(
            r"^(\s*)- \$\{ingest\.train_path\}\s*\n",
            lambda m: f"{m.group(0)}{m.group(1)}- {TEST_PATH_DEP}\n",
            text,
            count=1,
            flags=re.MULTILINE,
        )
    return line.sub("", text, count=1)
