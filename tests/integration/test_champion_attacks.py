"""The champion, read through real DVC at a git revision, is untrusted input too.

A repository's history or its DVC cache and remote can hold a crafted model under the champion's
name. Each crafted file committed as the champion, and a genuine lock whose cached object was
swapped afterwards, make ``mlgate check`` exit 2 naming the champion and the culprit, and run
nothing.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tests.cli.conftest import run
from tests.integration.test_dvc_pipeline import sh
from tests.security.corpus import ATTACKS, EXPECTED

pytestmark = [pytest.mark.slow, pytest.mark.integration]

# One stage whose output is the model: `dvc commit` records the file in dvc.lock and the cache.
DVC_YAML = "stages:\n  train:\n    cmd: mlgate train\n    outs:\n      - models/model.skops\n"


@pytest.fixture(scope="module")
def history(built_projects, tmp_path_factory):
    """A git + DVC repo: one tag per crafted champion; the work tree holds the genuine model."""
    folder = tmp_path_factory.mktemp("champions")
    repo = built_projects(("ingest", "prepare", "train"), folder / "repo")
    genuine = (repo / "models/model.skops").read_bytes()
    marker = folder / "marker"
    (repo / "dvc.yaml").write_text(DVC_YAML)
    sh(repo, "git", "init", "-q", "-b", "main")
    sh(repo, "dvc", "init", "-q")
    for name, build in ATTACKS.items():
        (repo / "models/model.skops").write_bytes(build(genuine, marker))
        sh(repo, "dvc", "commit", "-f", "-q", "train")
        sh(repo, "git", "add", "-A")
        sh(repo, "git", "commit", "-q", "-m", name)
        sh(repo, "git", "tag", name)
    (repo / "models/model.skops").write_bytes(genuine)
    return repo, marker


def use_champion(repo, rev: str) -> None:
    params = repo / "params.yaml"
    params.write_text(re.sub(r"baseline_rev: \S+", f"baseline_rev: {rev}", params.read_text()))


@pytest.mark.parametrize("name", list(ATTACKS))
def test_a_crafted_champion_is_refused(history, tmp_path, monkeypatch, capsys, name):
    repo, marker = history
    here = shutil.copytree(repo, tmp_path / "repo", symlinks=True)
    use_champion(here, name)
    monkeypatch.chdir(here)
    # Refused before anything in it runs; the refusal is evidence (an error result), so the
    # check exits 1 and the gate rejects, with the reason on record.
    assert run(["check", "--suite", "comparison"]) == 1
    summary = champion_result(here)["summary"]
    assert f"the champion models/model.skops at {name}" in summary
    assert re.search(EXPECTED[name], summary), summary
    assert not marker.exists()


def champion_result(repo) -> dict:
    evidence = json.loads((repo / "reports/checks.json").read_text())
    (result,) = [r for r in evidence["results"] if r["id"] == "comparison.champion"]
    assert result["status"] == "error"
    assert result["required"] is True
    return result


def test_a_champion_whose_cached_bytes_changed_is_refused(history, tmp_path, monkeypatch, capsys):
    """dvc.lock in git records one MD5; the cache now holds other bytes under it."""
    repo, _ = history
    here = shutil.copytree(repo, tmp_path / "repo", symlinks=True)
    sh(here, "git", "checkout", "-q", "-b", "champion")
    genuine = (here / "models/model.skops").read_bytes()
    sh(here, "dvc", "commit", "-f", "-q", "train")
    sh(here, "git", "commit", "-q", "-am", "a genuine champion")
    lock = (here / "dvc.lock").read_text()
    md5 = re.search(r"md5: ([0-9a-f]{32})", lock).group(1)
    cached = here / ".dvc/cache/files/md5" / md5[:2] / md5[2:]
    cached.chmod(0o644)
    cached.write_bytes(ATTACKS["method_tofile_injected"](genuine, tmp_path / "marker"))
    # The challenger: the same model with a harmless setting changed, so other bytes.
    from mlgate.model.files import load_model, save_model

    challenger = load_model(here / "models/model.skops").set_params(verbose=True)
    save_model(here / "models/model.skops", challenger)
    use_champion(here, "champion")
    monkeypatch.chdir(here)
    assert run(["check", "--suite", "comparison", "--no-fail"]) == 0
    summary = champion_result(here)["summary"]
    assert f"are not the ones dvc.lock at champion records ({md5})" in summary
    assert not (tmp_path / "marker").exists()
