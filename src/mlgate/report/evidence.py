"""What a report is made of: the evidence files of this working tree and of a git revision.

Every file here is one DVC keeps in git (``cache: false``): metrics, plot data, check results,
the gate's decision, SHAP importance and the fairness trade-off. The baseline is read from the
revision's commit with ``git show``, so a fresh CI checkout with history needs nothing else.

``params.yaml`` is read beside them, as committed (the evidence records only a hash of the checks'
params): the report shows what changed in it against the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlgate import io, paths
from mlgate.checks.evidence_schema import EVIDENCE_FORMAT
from mlgate.errors import ConfigError, DataError
from mlgate.git import read_json_at, read_text_at, resolve

#: The params file whose differences the report lists.
PARAMS = Path("params.yaml")

#: Evidence files, by the name the report uses for them.
FILES = {
    "metrics": paths.METRICS,
    "checks": paths.CHECKS,
    "gate": paths.GATE,
    "fairness": paths.FAIRNESS,
    "importance": paths.SHAP_IMPORTANCE,
    "shap_method": paths.SHAP_METHOD,
    "roc": paths.PLOTS_DIR / "roc.json",
    "precision_recall": paths.PLOTS_DIR / "precision_recall.json",
    "calibration": paths.PLOTS_DIR / "calibration.json",
    "confusion": paths.PLOTS_DIR / "confusion.json",
}


@dataclass(frozen=True)
class Evidence:
    """The evidence files of one side of a comparison, parsed; absent ones are listed.

    Attributes
    ----------
    label : str
        How the report names this side: "this branch", or the revision and its short SHA.
    files : dict
        Name (a key of :data:`FILES`) -> parsed JSON, for the files that were present.
    missing : list of str
        Paths of the files that were absent or unreadable.
    """

    label: str
    files: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def get(self, name: str) -> Any:
        """The parsed file, or None if it was missing."""
        return self.files.get(name)

    def format_note(self) -> str | None:
        """Why this side's ``checks.json`` may read differently from this mlgate's, or None.

        Evidence of another format version (the baseline's, written by an earlier mlgate) is
        shown as far as its fields mean the same; the report says so rather than guess.
        """
        checks = self.get("checks")
        if not isinstance(checks, dict):
            return None
        recorded = checks.get("format")
        ours = EVIDENCE_FORMAT["version"]
        if recorded == EVIDENCE_FORMAT:
            return None
        if not isinstance(recorded, dict) or recorded.get("name") != EVIDENCE_FORMAT["name"]:
            return (
                f"{paths.CHECKS} records no mlgate evidence format (written before version 2): "
                "its results are shown as far as they read."
            )
        version = recorded.get("version")
        newer = isinstance(version, int) and version > ours
        return (
            f"{paths.CHECKS} is in evidence format version {version!r}, "
            f"{'newer than' if newer else 'not'} this mlgate's ({ours}): its results are shown "
            "as far as they read."
        )

    def results(self) -> list[dict]:
        """Every check result recorded in ``reports/checks.json`` (none if it is missing)."""
        return list((self.get("checks") or {}).get("results", []))

    def result(self, result_id: str) -> dict | None:
        """The check result with id ``result_id``, or None."""
        return next((r for r in self.results() if r.get("id") == result_id), None)


def working_tree_evidence(root: Path = Path()) -> Evidence:
    """The evidence files as they are on disk under ``root``, and its ``params.yaml``."""
    files, missing = {}, []
    for name, path in FILES.items():
        try:
            files[name] = io.read_json(root / path)
        except DataError:
            missing.append(str(path))
    try:
        params = parse_params((root / PARAMS).read_text(encoding="utf-8"))
    except OSError:
        params = None
    if params is not None:
        files["params"] = params
    return Evidence("this branch", files, missing)


def revision_evidence(rev: str) -> Evidence:
    """The evidence files committed at git revision ``rev``.

    Raises
    ------
    mlgate.errors.ConfigError
        If git does not know ``rev`` (exit code 2): a baseline that silently went missing would
        turn a comparison into a report with nothing to compare with.
    """
    commit = resolve(rev)
    if commit is None:
        raise ConfigError(
            f"--baseline {rev!r} is not a git revision here: fetch it first (in CI, check out "
            f"with fetch-depth: 0, or `git fetch origin {rev}`)"
        )
    files, missing = {}, []
    for name, path in FILES.items():
        value = read_json_at(commit, path)
        if value is None:
            missing.append(str(path))
        else:
            files[name] = value
    text = read_text_at(commit, PARAMS)
    params = parse_params(text) if text is not None else None
    if params is not None:
        files["params"] = params
    return Evidence(f"{rev} ({commit[:7]})", files, missing)


def parse_params(text: str) -> dict[str, Any] | None:
    """``params.yaml``'s text as a mapping; None if it is not YAML or not a mapping.

    The report only shows params, never validates them: a file the config would reject is still
    worth a diff, and a broken one is left out rather than stopping the report.
    """
    from ruamel.yaml import YAML, YAMLError

    try:
        loaded = YAML(typ="safe", pure=True).load(text)
    except YAMLError:
        return None
    return loaded if isinstance(loaded, dict) else None


def other_table(current: Evidence, baseline: Evidence | None) -> str | None:
    """Why ``baseline``'s model is of another table than this branch's, or None.

    Deltas between two models mean something only when both predict the same target from mostly
    the same inputs. A different target or labels, or fewer than half of the inputs shared,
    makes the baseline another table (a team that copied the template and pointed it at its own
    data compares with Adult's main until its main is its own). Adding or dropping a few inputs
    keeps the comparison: that is a change to review, and the params table shows it. Without
    both sides' ``params.yaml`` nothing can be said, and the comparison is kept.
    """
    if baseline is None:
        return None
    now, before = _table_of(current.get("params")), _table_of(baseline.get("params"))
    if now is None or before is None:
        return None
    if now["target"] != before["target"]:
        return f"its target is {before['target']!r}, this branch's is {now['target']!r}"
    if now["labels"] != before["labels"]:
        return f"its labels are {before['labels']}, this branch's are {now['labels']}"
    shared = now["inputs"] & before["inputs"]
    union = now["inputs"] | before["inputs"]
    if union and len(shared) * 2 < len(union):
        return f"it shares {len(shared)} of the {len(union)} inputs the two models use between them"
    return None


def _table_of(params: Any) -> dict | None:
    """The target, labels and inputs a ``params.yaml`` declares, or None if it does not."""
    data = params.get("data") if isinstance(params, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("target"), str):
        return None
    inputs = [*(data.get("numeric") or []), *(data.get("categorical") or [])]
    return {
        "target": data["target"],
        "labels": [str(label) for label in data.get("labels") or []],
        "inputs": {str(name) for name in inputs if isinstance(name, str | int | float)},
    }
