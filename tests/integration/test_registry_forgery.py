"""Forged registry tags, made as an attacker with push access would, are never served.

The attacker knows GTO's tag format and mlgate's record format (the code is public), so each
forged tag carries a record computed exactly as ``mlgate promote`` would, on a commit of its own:
only the proofs mlgate asks for (an allowed signature, the protected branch, the commit's own
gate) can stop it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.registry_repo import (
    KEYS,
    commit_all,
    email_of,
    mlgate,
    promote,
    run,
    signing_env,
)

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def forge(
    work: Path, *, commit: str, version: str, stage: str, counter: int, signer: str | None = None
) -> None:
    """Write and push ``model@version`` and ``model#stage#counter`` on ``commit``, records made
    with mlgate's own functions (as a copy of the public code would), signed by ``signer``."""
    record_code = f"""
import json, sys
from mlgate.registry.evidence import evidence_digest, evidence_hashes_at, format_message
hashes = evidence_hashes_at({commit!r})
record = {{"schema": "mlgate.promotion/1", "action": "promote", "artifact": "model",
    "version": {version!r}, "stage": None, "decision": "promote", "commit": {commit!r},
    "evidence_digest": evidence_digest(hashes), "evidence": hashes, "hashes": {{}},
    "metrics": {{}}, "promotion_id": "forged", "promoted_by": "mallory",
    "mlgate_version": "0.1.0", "at": "2026-12-07T00:00:00+00:00", "previous": None}}
print(json.dumps([format_message(record),
    format_message({{**record, "stage": {stage!r}}})]))
"""
    messages = json.loads(run(work, "python", "-c", record_code).stdout)
    sign = ["-s"] if signer else ["-a"]
    user = signer or "Mallory"
    for name, message in zip(
        [f"model@{version}", f"model#{stage}#{counter}"], messages, strict=True
    ):
        run(work, "git", "tag", *sign, "-m", message, name, commit, user=user)
        run(work, "git", "push", "-q", "origin", f"refs/tags/{name}", user=user)


def off_branch_commit(work: Path, *, gate: str) -> str:
    """A commit on no branch whose evidence says ``gate`` (its model is main's, a real file)."""
    run(work, "git", "checkout", "-q", "--detach")
    gate_file = work / "reports" / "gate.json"
    document = json.loads(gate_file.read_text())
    gate_file.write_text(json.dumps({**document, "decision": gate}, indent=2) + "\n")
    run(work, "git", "commit", "-qam", "ungated")
    commit = run(work, "git", "rev-parse", "HEAD").stdout.strip()
    run(work, "git", "checkout", "-q", "main")
    return commit


def test_an_unsigned_forged_prod_tag_on_an_ungated_commit_is_refused_everywhere(clone):
    work = clone()
    assert promote(work, "--stage", "prod").returncode == 0  # the genuine v0.1.0, signed
    forged_on = off_branch_commit(work, gate="reject")
    forge(work, commit=forged_on, version="v9.9.9", stage="prod", counter=9)

    history = mlgate(work, "registry", "history", "--no-fetch").stdout
    assert "model#prod#9  by Mallory" in history
    assert "UNTRUSTED: model#prod#9 is not signed" in history
    verified = mlgate(work, "registry", "verify", "model#prod#9")
    assert verified.returncode == 1
    assert "model#prod#9 is not signed" in verified.stderr
    assert "not on the protected branch origin/main" in verified.stderr
    assert "reports/gate.json at" in verified.stderr
    assert "says 'reject'" in verified.stderr

    for command in ("predict", "monitor"):
        args = (
            ["--input", "data/ingested/test.parquet", "--output", "out.parquet"]
            if command == "predict"
            else ["data/ingested/test.parquet"]
        )
        served = mlgate(work, command, *args, "--stage", "prod")
        assert served.returncode == 2, (command, served.stderr)
        assert "refusing model#prod#9: the registry's tag cannot be trusted" in served.stderr
        assert not (work / "out.parquet").exists()

    # The champion of the comparison checks: an error result, never the forged model's scores.
    checked = mlgate(work, "check", "--suite", "comparison", "--output", "champion.json")
    assert "the production tag model#prod#9 cannot be trusted" in checked.stderr
    results = json.loads((work / "champion.json").read_text())["results"]
    assert {r["status"] for r in results if r["id"].startswith("comparison.")} == {"error"}

    # --allow-unsigned drops the signature only: the ungated commit is still refused.
    unsigned = mlgate(work, "registry", "verify", "model#prod#9", "--allow-unsigned")
    assert unsigned.returncode == 1
    assert "is not signed" not in unsigned.stderr
    assert "says 'reject'" in unsigned.stderr


def test_signatures_by_unknown_or_unauthorised_keys_and_renamed_tags_are_refused(clone):
    work = clone()
    assert promote(work, "--stage", "staging").returncode == 0
    # A second version on the very commit of v0.1.0: GTO cannot make one registry of that.
    run(work, "git", "tag", "-a", "-m", "x", "model@v7.0.0", "HEAD")
    clash = mlgate(work, "registry", "show", "--no-fetch")
    assert clash.returncode == 2
    assert "do not make one registry: Multiple versions" in clash.stderr
    run(work, "git", "tag", "-d", "model@v7.0.0")
    # A later commit of main, genuinely gated (a README change is no input of the pipeline).
    (work / "README.md").write_text("next\n")
    commit_all(work, "next")
    head = run(work, "git", "rev-parse", "HEAD").stdout.strip()

    # Mallory signs with a key of her own, on a commit that is genuinely gated, on main.
    forge(work, commit=head, version="v9.9.9", stage="prod", counter=5, signer="Mallory")
    unknown = mlgate(work, "registry", "verify", "model#prod#5")
    assert unknown.returncode == 1
    assert "signature does not verify as its tagger <mallory@example.invalid>" in unknown.stderr
    assert "(an unknown key)" in unknown.stderr

    # Her key added to allowed_signers on a branch of hers: the protected branch decides.
    signers = work / ".mlgate" / "allowed_signers"
    public = " ".join(KEYS["Mallory"].with_suffix(".pub").read_text().split()[:2])
    run(work, "git", "checkout", "-q", "-b", "mallory")
    signers.write_text(signers.read_text() + f"{email_of('Mallory')},mlgate:stage:prod {public}\n")
    commit_all(work, "let me in", push=False)
    still = mlgate(work, "registry", "verify", "model#prod#5")
    assert still.returncode == 1
    assert "(an unknown key)" in still.stderr
    run(work, "git", "checkout", "-q", "main")

    # Bob may assign staging only (a reviewed change on main); his prod tag is refused.
    lines = [
        line.replace(",mlgate:stage:prod", "") if line.startswith("bob@") else line
        for line in signers.read_text().splitlines()
    ]
    signers.write_text("\n".join(lines) + "\n")
    commit_all(work, "Bob: staging only")
    reviewed = run(work, "git", "rev-parse", "HEAD").stdout.strip()
    forge(work, commit=reviewed, version="v8.0.0", stage="prod", counter=6, signer="Bob")
    bob = mlgate(work, "registry", "verify", "model#prod#6")
    assert bob.returncode == 1
    assert "is signed by <bob@example.invalid>, whose key" in bob.stderr
    assert "does not allow 'mlgate:stage:prod'" in bob.stderr
    served = mlgate(work, "predict", "--input", "data/ingested/test.parquet", "--output",
                    "out.parquet", "--stage", "prod")  # fmt: skip
    assert served.returncode == 2
    assert "mlgate:stage:prod" in served.stderr

    # A genuinely signed staging tag object, pushed again under a prod name: GTO reads the
    # object's own name, so it is no prod assignment (mlgate checks the names agree, too).
    staging_object = run(work, "git", "rev-parse", "refs/tags/model#staging#1").stdout.strip()
    run(work, "git", "update-ref", "refs/tags/model#prod#7", staging_object)
    renamed = mlgate(work, "registry", "verify", "model#prod#7")
    assert renamed.returncode == 1
    assert "is not an annotated GTO tag of the registry" in renamed.stderr


def test_promotion_refuses_without_an_allowed_key_and_writes_no_tag(clone):
    work = clone()
    assert signing_env("Nobody") == {}  # the tests sign through the environment; not here
    no_key = run(work, "mlgate", "promote", "--no-recheck", check=False, user="Nobody")
    assert no_key.returncode == 2
    assert "git has no SSH signing key here" in no_key.stderr
    assert run(work, "git", "tag", "--list").stdout == ""

    # Mallory's key signs, but the protected branch does not allow it: nothing is pushed.
    mallory = run(work, "mlgate", "promote", "--no-recheck", check=False, user="Mallory")
    assert mallory.returncode == 1, mallory.stderr
    assert "refusing to push tags the registry would not trust" in mallory.stderr
    assert run(work, "git", "tag", "--list").stdout == ""
    assert run(work, "git", "ls-remote", "--tags", "origin").stdout == ""

    # Unsigned, on request, for a local experiment: it says so, and serving needs the flag too.
    local = run(work, "mlgate", "promote", "--no-recheck", "--allow-unsigned", user="Nobody")
    assert "UNSIGNED registry tags accepted" in local.stderr
    refused = mlgate(work, "registry", "verify", "model#staging#1")
    assert refused.returncode == 1
    accepted = mlgate(work, "registry", "verify", "model#staging#1", "--allow-unsigned")
    assert accepted.returncode == 0, accepted.stderr
    assert "UNSIGNED registry tags accepted" in accepted.stdout


def test_a_signed_genuine_promotion_verifies_with_git_itself(clone):
    """The tags mlgate signs are what `git tag -s` writes: `git verify-tag` accepts them."""
    work = clone()
    assert promote(work, "--stage", "prod").returncode == 0
    done = run(
        work, "git", "-c", f"gpg.ssh.allowedSignersFile={work / '.mlgate' / 'allowed_signers'}",
        "verify-tag", "model#prod#1",
    )  # fmt: skip
    assert 'Good "git" signature for ann@example.invalid' in done.stderr
    served = mlgate(work, "predict", "--input", "data/ingested/test.parquet", "--output",
                    "out.parquet", "--stage", "prod")  # fmt: skip
    assert served.returncode == 0, served.stderr


def test_a_prod_tag_deleted_on_the_remote_still_shows_in_history(clone):
    work, other = clone("a"), clone("b")
    assert promote(work, "--stage", "staging").returncode == 0  # model#staging#1
    assert promote(work, "--stage", "prod").returncode == 0  # model#prod#2
    (work / "README.md").write_text("next\n")
    commit_all(work, "next")
    assert promote(work, "--stage", "staging").returncode == 0  # model#staging#3
    assert mlgate(other, "registry", "history").returncode == 0  # b has seen them all
    # Someone with push access erases the promotion to prod on the remote.
    run(work, "git", "push", "-q", "origin", ":refs/tags/model#prod#2")
    seen = mlgate(other, "registry", "history")
    assert seen.returncode == 0, seen.stderr
    assert "DELETED: model#prod#2" in seen.stdout
    # A clone that never saw it sees the hole in GTO's numbering.
    later = mlgate(clone("c"), "registry", "history")
    assert later.returncode == 0, later.stderr
    assert "DELETED: stage tag number 2" in later.stdout
    assert "model#staging#3  by Ann <ann@example.invalid>" in later.stdout
    assert "UNTRUSTED" not in later.stdout
