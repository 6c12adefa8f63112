"""Every place a command loads ``models/model.skops`` refuses each crafted file with exit 2.

The champion (read through DVC at a git revision) is covered by
``tests/integration/test_champion_attacks.py``.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tests.cli.conftest import run
from tests.security.corpus import ATTACKS, EXPECTED

STAGES = ("ingest", "prepare", "train", "evaluate", "explain")
SITES = {
    "evaluate": ["evaluate"],
    "explain": ["explain"],
    "check": ["check", "--no-fail"],
    "check --current": ["check", "--current", "data/ingested/test.parquet", "--no-fail"],
    "predict": [
        "predict",
        "--input",
        "data/ingested/test.parquet",
        "--output",
        "reports/scored.parquet",
    ],
}


@pytest.fixture(scope="module")
def crafted(built_projects, tmp_path_factory):
    """Each crafted file, built once from the trained project's own model."""
    folder = tmp_path_factory.mktemp("crafted")
    project = built_projects(STAGES, folder / "project")
    genuine = (project / "models/model.skops").read_bytes()
    marker = folder / "marker"
    return project, marker, {name: build(genuine, marker) for name, build in ATTACKS.items()}


@pytest.mark.slow
@pytest.mark.parametrize("site", list(SITES))
@pytest.mark.parametrize("name", list(ATTACKS))
def test_each_load_site_refuses_each_crafted_file(
    crafted, tmp_path, monkeypatch, capsys, site, name
):
    project, marker, files = crafted
    here = shutil.copytree(project, tmp_path / "project")
    (here / "models/model.skops").write_bytes(files[name])
    before = {p: p.stat().st_mtime_ns for p in (here / "reports").rglob("*") if p.is_file()}
    monkeypatch.chdir(here)
    assert run(SITES[site]) == 2
    err = capsys.readouterr().err
    assert "mlgate: error: models/model.skops" in err
    assert re.search(EXPECTED[name], err), err
    assert not marker.exists()
    after = {p: p.stat().st_mtime_ns for p in (here / "reports").rglob("*") if p.is_file()}
    assert after == before, "a refused model must leave the evidence as it was"


def test_the_trained_model_needs_no_probe_and_another_file_is_probed_once(
    built_projects, tmp_path, monkeypatch
):
    """`mlgate train` records its file; a file from elsewhere (a clone's `dvc pull`) is probed."""
    project = built_projects(STAGES, tmp_path / "project")
    monkeypatch.chdir(project)
    records = project / ".mlgate/probes"
    (trained,) = records.glob("*.json")
    assert json.loads(trained.read_text())["outcome"] == "trained"
    assert (project / ".mlgate/probes/.gitignore").read_text().splitlines()[-1] == "*"

    shutil.rmtree(project / ".mlgate")
    assert run(SITES["predict"]) == 0
    (probed,) = records.glob("*.json")
    assert probed.name == trained.name
    assert json.loads(probed.read_text())["outcome"] == "probed"
    assert json.loads(probed.read_text())["rows"] == 4
