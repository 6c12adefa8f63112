"""SSH signatures on tags: what mlgate signs, git accepts; what was tampered with, nobody does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mlgate.registry.signatures import (
    REGISTER_PRINCIPAL,
    sign_tag,
    signer_principals,
    split_tag,
    stage_principal,
    verify_signature,
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    for name in ("ann", "eve"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", tmp_path / name], check=True
        )
    work = tmp_path / "repo"
    work.mkdir()
    git(work, "init", "-q")
    git(work, "config", "user.name", "Ann")
    git(work, "config", "user.email", "ann@example.invalid")
    git(work, "commit", "-q", "--allow-empty", "-m", "first")
    git(work, "tag", "-a", "-m", "mlgate promote\n\n{}", "model#prod#1")
    monkeypatch.chdir(work)
    return work


def signers(tmp_path: Path, *principals: str, key: str = "ann") -> str:
    public = " ".join((tmp_path / f"{key}.pub").read_text().split()[:2])
    return f"{','.join(principals)} {public}\n"


def test_a_signed_tag_is_what_git_tag_s_writes(repo, tmp_path):
    sign_tag("model#prod#1", key=str(tmp_path / "ann"))
    raw = git(repo, "cat-file", "tag", "model#prod#1").encode()
    tag = split_tag(raw)
    assert tag.signature is not None
    assert tag.name == "model#prod#1"
    assert tag.tagger_email == "ann@example.invalid"
    assert tag.target == git(repo, "rev-parse", "HEAD").strip()
    allowed = tmp_path / "allowed"
    allowed.write_text(signers(tmp_path, "ann@example.invalid", stage_principal("prod")))
    verified = subprocess.run(
        ["git", "-c", f"gpg.ssh.allowedSignersFile={allowed}", "verify-tag", "model#prod#1"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    # Signing again leaves a signed tag as it is.
    sign_tag("model#prod#1", key=str(tmp_path / "ann"))
    assert git(repo, "cat-file", "tag", "model#prod#1").encode() == raw


def test_principals_decide_what_a_key_may_do(repo, tmp_path):
    sign_tag("model#prod#1", key=str(tmp_path / "ann"))
    tag = split_tag(git(repo, "cat-file", "tag", "model#prod#1").encode())
    staging_only = signers(tmp_path, "ann@example.invalid", stage_principal("staging"))
    assert verify_signature(tag, allowed_signers=staging_only, principal="ann@example.invalid")
    assert verify_signature(tag, allowed_signers=staging_only, principal="mlgate:stage:staging")
    assert not verify_signature(tag, allowed_signers=staging_only, principal="mlgate:stage:prod")
    assert not verify_signature(tag, allowed_signers=staging_only, principal=REGISTER_PRINCIPAL)
    assert signer_principals(tag, allowed_signers=staging_only) == [
        "ann@example.invalid",
        "mlgate:stage:staging",
    ]
    others = signers(tmp_path, "ann@example.invalid", stage_principal("prod"), key="eve")
    assert not verify_signature(tag, allowed_signers=others, principal="mlgate:stage:prod")
    assert signer_principals(tag, allowed_signers=others) == []


def test_a_tampered_payload_or_a_missing_signature_never_verifies(repo, tmp_path):
    allowed = signers(tmp_path, "ann@example.invalid", stage_principal("prod"))
    unsigned = split_tag(git(repo, "cat-file", "tag", "model#prod#1").encode())
    assert unsigned.signature is None
    assert not verify_signature(unsigned, allowed_signers=allowed, principal="mlgate:stage:prod")
    sign_tag("model#prod#1", key=str(tmp_path / "ann"))
    raw = git(repo, "cat-file", "tag", "model#prod#1").encode()
    tampered = split_tag(raw.replace(b"model#prod#1", b"model#prod#9", 1))
    assert tampered.name == "model#prod#9"
    assert not verify_signature(tampered, allowed_signers=allowed, principal="mlgate:stage:prod")


def test_a_key_ssh_keygen_cannot_use_is_a_config_error(repo, tmp_path):
    from mlgate.errors import ConfigError

    with pytest.raises(ConfigError, match=r"could not sign the registry's tags"):
        sign_tag("model#prod#1", key=str(tmp_path / "missing-key"))
    assert split_tag(git(repo, "cat-file", "tag", "model#prod#1").encode()).signature is None
