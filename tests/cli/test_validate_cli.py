"""``mlgate validate``, ``guard-files`` and ``lock-check``: exit codes, messages, and speed."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.cli.conftest import run


@pytest.fixture
def files(tmp_path, monkeypatch, project_root):
    """A tmp folder holding the project's params.yaml, dvc.yaml and dvc.lock."""
    for name in ("params.yaml", "dvc.yaml", "dvc.lock"):
        shutil.copy(project_root / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def replace(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_validate_passes_the_project(files, capsys):
    assert run(["validate"]) == 0
    assert "params.yaml, dvc.yaml: ok" in capsys.readouterr().err


def test_validate_exits_2_with_one_line_per_problem(files, capsys):
    replace(files / "params.yaml", "  validation_size: 0.2\n", "  validation_sise: 0.2\n")
    replace(files / "dvc.yaml", "cmd: mlgate gate --no-fail", "cmd: mlgate gates --no-fail")
    assert run(["validate"]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "params.yaml: prepare.validation_size: required key is missing",
        "params.yaml: prepare.validation_sise: unknown key (check its spelling; the valid keys: "
        "docs/reference/params.md)",
        "dvc.yaml: stages.gate.cmd: `mlgate gates` is not an mlgate command (card, check, "
        "evaluate, examples, experiments, explain, fingerprint, gate, guard-files, ingest, init, "
        "lock-check, monitor, "
        "package, predict, prepare, promote, registry, report, retrain, serve, train, validate)",
        "dvc.yaml: stages.prepare.params: lists 'prepare.validation_size', which params.yaml "
        "does not have: add it there, or remove it from the stage",
    ]
    assert "[validate] 4 problems" in err


def test_validate_reads_the_params_option(files, capsys):
    (files / "params.yaml").rename(files / "other.yaml")
    assert run(["--params", "other.yaml", "validate"]) == 0
    assert run(["validate"]) == 2
    assert "params.yaml not found" in capsys.readouterr().err


def test_validate_of_invalid_yaml_is_an_input_error(files, capsys):
    (files / "dvc.yaml").write_text("stages: [unclosed\n")
    assert run(["validate"]) == 2
    assert "dvc.yaml is not valid YAML" in capsys.readouterr().err


def test_the_checks_load_no_heavy_library(files):
    code = (
        "import sys\n"
        "from mlgate.cli import cli\n"
        "for args in (['validate'], ['lock-check'], ['guard-files', 'dvc.yaml']):\n"
        "    assert cli.main(args=args, standalone_mode=False) == 0, args\n"
        "heavy = {'pandas', 'sklearn', 'scipy', 'dvc', 'matplotlib', 'shap', 'skops'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=files, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_guard_files_refuses_data_and_passes_the_rest(files, capsys):
    (files / "extra.csv").write_text("a,b\n1,2\n")
    (files / "notes.md").write_text("notes\n")
    assert run(["guard-files", "notes.md", "params.yaml"]) == 0
    assert run(["guard-files", "notes.md", "extra.csv", "models/model.skops"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("extra.csv: is a .csv file: data and models belong in")
    assert out.splitlines()[1].startswith("models/model.skops: is an output of the pipeline")
    assert "2 of 3 files refused" in err


def test_guard_files_takes_its_limits_from_options(files, capsys):
    (files / "big.txt").write_text("x" * 3000)
    assert run(["guard-files", "big.txt"]) == 0
    assert run(["guard-files", "--max-kb", "2", "big.txt"]) == 1
    assert "big.txt: is 3 KiB, over the limit of 2 KiB" in capsys.readouterr().out
    assert run(["guard-files", "--max-kb", "2", "--allow", "big.*", "big.txt"]) == 0
    assert run(["guard-files", "--max-kb", "0", "big.txt"]) == 2


def test_guard_files_accepts_absolute_paths_under_the_project(files, capsys):
    (files / "models").mkdir()
    (files / "models" / "other.bin").write_text("x")
    assert run(["guard-files", str(files / "models" / "other.bin")]) == 1
    assert capsys.readouterr().out.startswith("models/other.bin: is under models/")


def test_lock_check_passes_the_project(files, capsys):
    assert run(["lock-check"]) == 0
    assert "dvc.lock: current" in capsys.readouterr().err


def test_lock_check_exits_1_naming_stage_key_and_both_values(files, capsys):
    replace(files / "params.yaml", "validation_size: 0.2", "validation_size: 0.25")
    assert run(["lock-check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "dvc.lock: stage prepare: prepare.validation_size is 0.2 in dvc.lock but 0.25 in "
        "params.yaml"
    )
    assert out[-1].startswith("Run `dvc repro` and commit dvc.lock")


def test_lock_check_without_a_lock_lists_every_stage(files, capsys):
    (files / "dvc.lock").unlink()
    assert run(["lock-check"]) == 1
    out = capsys.readouterr().out
    assert "dvc.lock: stage ingest of dvc.yaml is not recorded in dvc.lock" in out
    assert "dvc.lock: stage gate of dvc.yaml is not recorded in dvc.lock" in out


def test_lock_check_without_dvc_yaml_is_an_input_error(files, capsys):
    (files / "dvc.yaml").unlink()
    assert run(["lock-check"]) == 2
    assert "dvc.yaml not found" in capsys.readouterr().err
