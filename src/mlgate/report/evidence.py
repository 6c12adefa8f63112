"""What a report is made of: the evidence files of this working tree and of a git revision.

Every file here is one DVC keeps in git (``cache: false``): metrics, plot data, check results,
the gate's decision, SHAP importance and the fairness trade-off. The baseline is read from the
revision's commit with ``git show``, so a fresh CI checkout with history needs nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlgate import io, paths
from mlgate.errors import ConfigError, DataError
from mlgate.git import read_json_at, resolve

#: Evidence files, by the name the report uses for them.
FILES = {
    "metrics": paths.METRICS,
    "checks": paths.CHECKS,
    "gate": paths.GATE,
    "fairness": paths.FAIRNESS,
    "importance": paths.SHAP_IMPORTANCE,
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


def working_tree_evidence(root: Path = Path()) -> Evidence:
    """The evidence files as they are on disk under ``root``."""
    files, missing = {}, []
    for name, path in FILES.items():
        try:
            files[name] = io.read_json(root / path)
        except DataError:
            missing.append(str(path))
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
    return Evidence(f"{rev} ({commit[:7]})", files, missing)
