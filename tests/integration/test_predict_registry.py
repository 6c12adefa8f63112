"""``mlgate predict`` with a registered version: read through real DVC at its commit, GTO's tags.

A git + DVC repository with one registered version (``model@v1.0.0``, in ``prod``, its tags
signed by a key its ``allowed_signers`` allows, its commit gated) and a newer model in the work
tree: ``--stage prod`` and ``--version v1.0.0`` score with the registered model and stamp its
version, tag and evidence; the work tree's model is unregistered; a registered model whose cached
bytes changed is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import subprocess

import pandas as pd
import pytest

from mlgate.registry.evidence import evidence_digest, evidence_hashes_at, format_message
from mlgate.registry.signatures import sign_tag
from tests.cli.conftest import run
from tests.integration.test_dvc_pipeline import sh

pytestmark = [pytest.mark.slow, pytest.mark.integration]

ARGS = ["predict", "--input", "data/ingested/test.parquet", "--output", "out.parquet"]
# The model and its fingerprint, each a DVC output (the other stages are not needed here).
DVC_YAML = (
    "stages:\n  train:\n    cmd: mlgate train\n    outs:\n      - models/model.skops\n"
    "  fingerprint:\n    cmd: mlgate fingerprint\n    outs:\n      - models/fingerprint.json\n"
)


#: A gate decision that promotes, in the format the registry reads (mlgate.gate version 1).
GATE_PROMOTES = {
    "format": {"name": "mlgate.gate", "version": 1},
    "decision": "promote",
    "reasons": [],
    "judged": {"model_sha256": None, "data_sha256": {}, "params_sha256": "", "code_sha256": ""},
    "counts": {},
    "mlgate_version": "0.1.0",
}


def record(action: str, stage: str | None, model_sha256: str, *, commit: str, digest: str) -> dict:
    return {
        "schema": "mlgate.promotion/1",
        "action": action,
        "artifact": "model",
        "version": "v1.0.0",
        "stage": stage,
        "decision": "promote",
        "commit": commit,
        "evidence_digest": digest,
        "evidence": {},
        "hashes": {"model_sha256": model_sha256},
        "metrics": {},
        "mlgate_version": "0.1.0",
        "promotion_id": "00000000-0000-4000-8000-000000000001",  # one promotion: both tags
        "promoted_by": "ci",
        "at": "2026-12-07T00:00:00+00:00",
        "previous": None,
    }


@pytest.fixture(scope="module")
def registered(built_projects, tmp_path_factory):
    """v1.0.0 registered and in prod; the work tree then holds a retrained (other) model."""
    from gto import api

    from mlgate.model.files import load_model, save_model

    repo = built_projects(
        ("ingest", "prepare", "train", "fingerprint"), tmp_path_factory.mktemp("r") / "repo"
    )
    (repo / "dvc.yaml").write_text(DVC_YAML)
    # A local registry (no remote: main is the protected branch), a gated commit, a signer.
    params = repo / "params.yaml"
    params.write_text(re.sub(r"\n  remote: origin ", "\n  remote: null ", params.read_text()))
    (repo / "reports").mkdir(exist_ok=True)
    (repo / "reports/gate.json").write_text(json.dumps(GATE_PROMOTES) + "\n")
    key = tmp_path_factory.mktemp("key") / "test"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    public = " ".join(key.with_suffix(".pub").read_text().split()[:2])
    (repo / ".mlgate").mkdir(exist_ok=True)
    (repo / ".mlgate/allowed_signers").write_text(
        f"test@example.invalid,mlgate:register,mlgate:stage:prod {public}\n"
    )
    sh(repo, "git", "init", "-q", "-b", "main")
    sh(repo, "dvc", "init", "-q")
    sh(repo, "dvc", "commit", "-f", "-q", "train", "fingerprint")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "-m", "v1")
    genuine = (repo / "models/model.skops").read_bytes()
    sha = hashlib.sha256(genuine).hexdigest()
    author = {"author": "test", "author_email": "test@example.invalid"}
    with contextlib.chdir(repo):
        commit = sh(repo, "git", "rev-parse", "HEAD").stdout.strip()
        digest = evidence_digest(evidence_hashes_at(commit))
        proof = {"commit": commit, "digest": digest}
        registration = api.register(
            str(repo), "model", "HEAD", version="v1.0.0",
            message=format_message(record("register", None, sha, **proof)), **author,
        )  # fmt: skip
        assignment = api.assign(
            str(repo), "model", "prod", version="v1.0.0",
            message=format_message(record("promote", "prod", sha, **proof)), **author,
        )  # fmt: skip
        for tag in (registration.tag, assignment.tag):
            sign_tag(tag, key=str(key))
    newer = load_model(repo / "models/model.skops").set_params(verbose=True)
    save_model(repo / "models/model.skops", newer)
    return repo, sha, digest


@pytest.fixture
def repo(registered, tmp_path, monkeypatch):
    source, sha, digest = registered
    here = shutil.copytree(source, tmp_path / "repo", symlinks=True)
    monkeypatch.chdir(here)
    return here, sha, digest


@pytest.mark.parametrize("choice", [["--stage", "prod"], ["--version", "v1.0.0"]])
def test_a_registered_version_scores_with_its_own_model(repo, capsys, choice):
    here, sha, digest = repo
    assert run([*ARGS, *choice]) == 0
    out = pd.read_parquet(here / "out.parquet")
    assert set(out["model_version"]) == {"v1.0.0"}
    assert set(out["model_tag"]) == {"model@v1.0.0"}
    assert set(out["model_sha256"]) == {sha}
    assert set(out["evidence_digest"]) == {digest}
    assert set(out["model_trust"]) == {"signed"}
    assert "[predict] model model@v1.0.0 (models/model.skops at " in capsys.readouterr().err


@pytest.mark.parametrize("choice", [[], ["--stage", "prod"]])
def test_a_model_served_under_allow_unsigned_says_so_in_every_prediction(repo, capsys, choice):
    """An audit must tell predictions made without a verified signature from the others."""
    here = repo[0]
    if not choice:  # the work tree's model, identified by its bytes as the registered one
        sh(here, "dvc", "checkout", "-q", "-f", "train")
    assert run([*ARGS, *choice, "--allow-unsigned"]) == 0
    out = pd.read_parquet(here / "out.parquet")
    assert set(out["model_version"]) == {"v1.0.0"}
    assert set(out["model_trust"]) == {"unsigned (--allow-unsigned)"}


def test_the_work_trees_model_is_identified_by_its_bytes(repo):
    here, sha, _ = repo
    assert run(ARGS) == 0
    out = pd.read_parquet(here / "out.parquet")
    assert set(out["model_version"]) == {"unregistered"}
    # The registered bytes, put back in the work tree, are v1.0.0 again.
    sh(here, "dvc", "checkout", "-q", "-f", "train")
    assert run(ARGS) == 0
    out = pd.read_parquet(here / "out.parquet")
    assert set(out["model_version"]) == {"v1.0.0"}
    assert set(out["model_sha256"]) == {sha}


def test_a_registered_model_whose_cached_bytes_changed_is_refused(repo, capsys):
    here = repo[0]
    md5 = re.search(r"md5: ([0-9a-f]{32})", (here / "dvc.lock").read_text()).group(1)
    cached = here / ".dvc/cache/files/md5" / md5[:2] / md5[2:]
    cached.chmod(0o644)
    cached.write_bytes((here / "models/model.skops").read_bytes())  # another genuine model
    assert run([*ARGS, "--stage", "prod"]) == 2
    err = capsys.readouterr().err
    assert f"are not the ones dvc.lock at that commit (MD5 {md5})" in err
    assert not (here / "out.parquet").exists()


def test_a_registered_version_is_monitored_with_the_fingerprint_of_its_commit(repo):
    # The work tree's model is another one now; prod's model and fingerprint come through DVC.
    assert run(["monitor", "--stage", "prod", "data/ingested/test.parquet", "--labels"]) in (0, 1)
    evidence = json.loads((repo[0] / "reports/monitor/test.json").read_text())
    assert evidence["model"]["version"] == "v1.0.0"
    assert evidence["model"]["sha256"] == repo[1]
    # The work tree's fingerprint describes prod's model, not the work tree's newer one.
    assert run(["monitor", "data/ingested/test.parquet", "--batch-id", "tree"]) == 2


def test_a_registered_fingerprint_whose_cached_bytes_changed_is_refused(repo, capsys):
    here = repo[0]
    lock = (here / "dvc.lock").read_text()
    md5 = re.search(r"path: models/fingerprint.json\n\s+hash: md5\n\s+md5: ([0-9a-f]{32})", lock)
    cached = here / ".dvc/cache/files/md5" / md5.group(1)[:2] / md5.group(1)[2:]
    cached.chmod(0o644)
    forged = json.loads(cached.read_text())
    forged["scores"]["reference"]["roc_auc"]["value"] = 0.5  # a floor nothing falls below
    cached.write_text(json.dumps(forged))
    assert run(["monitor", "--stage", "prod", "data/ingested/test.parquet"]) == 2
    assert "are not the ones dvc.lock at that commit records" in capsys.readouterr().err
