"""params.yaml is written as DVC writes it: `dvc exp run -S key=value` changes that one line.

DVC applies ``-S`` by merging the new values into the file (``dvc.utils.hydra.apply_overrides``,
called here as ``dvc exp run`` calls it), and rewrites every list it touches in block style. A file
already in that style is left as it is, so an experiment's params diff is the one changed line.
"""

from __future__ import annotations

import difflib
import shutil

import pytest
from dvc.utils.hydra import apply_overrides


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")]


@pytest.mark.parametrize(
    ("override", "line"),
    [
        ("train.hist_gradient_boosting.learning_rate=0.05", "    learning_rate: 0.05"),
        ("checks.drift.psi.max_psi=0.2", "      max_psi: 0.2"),
        ("prepare.seed=7", "  seed: 7"),
    ],
)
def test_a_set_param_changes_one_line(project_root, tmp_path, override, line):
    path = tmp_path / "params.yaml"
    shutil.copy(project_root / "params.yaml", path)
    before = path.read_text()
    apply_overrides(path, [override])
    changed = changed_lines(before, path.read_text())
    assert len(changed) == 2, changed
    assert changed[1] == "+" + line


def test_params_written_by_init_are_left_as_they_are(tmp_path, project_root, monkeypatch):
    from tests.cli.conftest import run
    from tests.cli.test_init_cli import write_table

    for name in ("params.yaml", "dvc.yaml"):
        shutil.copy(project_root / name, tmp_path / name)
    (tmp_path / "data").mkdir()
    write_table(tmp_path / "data/table.csv")
    monkeypatch.chdir(tmp_path)
    assert run(["init", "--data", "data/table.csv", "--target", "left", "--force"]) == 0
    written = (tmp_path / "params.yaml").read_text()
    apply_overrides(tmp_path / "params.yaml", ["train.seed=7"])
    assert len(changed_lines(written, (tmp_path / "params.yaml").read_text())) == 2
