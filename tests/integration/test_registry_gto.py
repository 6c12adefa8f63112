"""Promotion on GTO's git tags, for real: a reproduced project, a bare remote, clones of it.

Every refusal leaves no tag, locally or on the remote; two promotions racing leave one.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.integration.registry_repo import (
    BIN,
    KEYS,
    commit_all,
    email_of,
    mlgate,
    promote,
    record_of,
    run,
    signing_env,
    tags,
)

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_promotion_writes_annotated_tags_whose_evidence_verifies(clone):
    work = clone()
    dry = promote(work, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would promote model v0.1.0" in dry.stdout
    assert tags(work) == set()

    done = mlgate(work, "promote")  # re-runs the checks: the evidence is true
    assert done.returncode == 0, done.stderr
    assert tags(work, remote=True) == {"model@v0.1.0", "model#staging#1"}
    assert run(work, "git", "cat-file", "-t", "model@v0.1.0").stdout.strip() == "tag"
    record = record_of(work, "model#staging#1")
    head = run(work, "git", "rev-parse", "HEAD").stdout.strip()
    assert record["commit"] == head
    assert record["decision"] == "promote"
    assert record["evidence_digest"].startswith("sha256:")
    assert record["promoted_by"] == "Ann"
    assert set(record["metrics"]) >= {"roc_auc", "accuracy"}
    roc = record["metrics"]["roc_auc"]
    assert roc["ci"][0] <= roc["value"] <= roc["ci"][1]
    assert record["hashes"]["models/model.skops"].startswith("md5:")

    again = promote(work)
    assert again.returncode == 0
    assert "already promoted: model@v0.1.0 is in staging" in again.stdout
    assert tags(work, remote=True) == {"model@v0.1.0", "model#staging#1"}

    prod = promote(work, "--stage", "prod")
    assert prod.returncode == 0, prod.stderr
    assert "model#prod#2" in prod.stdout
    verified = mlgate(work, "registry", "verify", "model#prod#2")
    assert verified.returncode == 0, verified.stderr

    shown = mlgate(work, "registry", "show").stdout
    assert "prod: v0.1.0" in shown
    assert "staging: v0.1.0" in shown

    # The comparison checks now take the production model as the champion.
    checked = mlgate(work, "check", "--suite", "comparison", "--output", "/dev/null")
    assert "champion: the production model v0.1.0 (model#prod#2)" in checked.stderr


@pytest.mark.parametrize(
    "attack",
    [
        "dirty",
        "edited_evidence",
        "missing_evidence",
        "model_missing",
        "off_branch",
        "rejected",
        "incomplete_card",
    ],
)
def test_a_refused_promotion_writes_no_tag(clone, attack):
    work = clone()
    if attack == "dirty":
        params = work / "params.yaml"
        params.write_text(
            params.read_text().replace("max_accuracy_drop: 0.01", "max_accuracy_drop: 1")
        )
        expected = "the working folder differs from the commit: params.yaml"
    elif attack == "edited_evidence":
        checks = json.loads((work / "reports/checks.json").read_text())
        checks["counts"] = {"pass": 99}
        (work / "reports/checks.json").write_text(json.dumps(checks))
        commit_all(work, "evidence, improved by hand")
        expected = "stale or was edited"
    elif attack == "missing_evidence":
        run(work, "git", "rm", "-q", "reports/fairness.json")
        commit_all(work, "no fairness evidence")
        expected = "reports/fairness.json is not committed"
    elif attack == "model_missing":
        (work / "models/model.skops").unlink()
        expected = "stale or was edited"
    elif attack == "off_branch":
        run(work, "git", "checkout", "-q", "-b", "feature")
        (work / "README.md").write_text("unreviewed\n")
        commit_all(work, "not merged", push=False)
        expected = "is not on the protected branch origin/main"
    elif attack == "incomplete_card":
        params = work / "params.yaml"
        text = params.read_text()
        start = text.index("  risks: |-\n")
        end = text.index("  human_oversight:")
        params.write_text(text[:start] + "  risks: TODO\n" + text[end:])
        run(work, "dvc", "repro", "--quiet")
        commit_all(work, "risks to be written")
        expected = "the model card (models/MODEL_CARD.md) is incomplete: Risks: a placeholder"
    else:
        params = work / "params.yaml"
        params.write_text(
            params.read_text().replace("allow_skip:\n  - comparison.champion\n", "allow_skip:\n")
        )
        run(work, "dvc", "repro", "--quiet")
        commit_all(work, "a stricter gate")
        expected = "the gate, recomputed from params.yaml and the evidence, rejects"

    refused = promote(work, "--stage", "prod")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert expected in refused.stderr
    assert tags(work) == set()
    assert tags(work, remote=True) == set()


def test_evidence_edited_into_a_consistent_story_is_caught_by_the_rerun(clone):
    """A failing result turned `pass`, the gate re-run and `dvc commit`: every hash agrees."""
    work = clone()
    params = work / "params.yaml"
    params.write_text(params.read_text().replace("min: {roc_auc: 0.9,", "min: {roc_auc: 0.99,"))
    run(work, "dvc", "repro", "--quiet")
    checks = json.loads((work / "reports/checks.json").read_text())
    for result in checks["results"]:
        if result["id"] == "performance.metrics.roc_auc":
            assert result["status"] == "fail"
            result["status"] = "pass"
    checks["counts"] = {"pass": checks["counts"]["pass"] + 1, "skip": checks["counts"]["skip"]}
    (work / "reports/checks.json").write_text(json.dumps(checks, indent=2))
    run(work, "mlgate", "gate")
    run(work, "mlgate", "card")
    run(work, "dvc", "commit", "--force", "--quiet", "check", "gate", "card")
    assert run(work, "dvc", "status", "--quiet", check=False).returncode == 0
    commit_all(work, "a stricter limit, and evidence that meets it")

    refused = mlgate(work, "promote", "--stage", "prod")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert (
        "reports/checks.json says performance.metrics.roc_auc: pass, but the check, run again, "
        "says fail" in refused.stderr
    )
    assert tags(work, remote=True) == set()


def test_usage_errors_exit_2_without_tags(clone):
    work = clone()
    unknown = mlgate(work, "promote", "--stage", "prd")
    assert unknown.returncode == 2
    assert "--stage 'prd' is not a registry stage" in unknown.stderr
    bad = mlgate(work, "promote", "--version", "1.0")
    assert bad.returncode == 2
    assert "is not a version" in bad.stderr
    assert tags(work, remote=True) == set()


def test_rollback_reassigns_an_older_version_and_keeps_history(clone):
    work = clone()
    assert promote(work, "--stage", "prod").returncode == 0
    (work / "README.md").write_text((work / "README.md").read_text() + "\nA second release.\n")
    commit_all(work, "second release")
    second = promote(work, "--stage", "prod", "--bump", "minor", user="Bob")
    assert second.returncode == 0, second.stderr
    assert "v0.2.0" in second.stdout

    back = mlgate(work, "registry", "rollback", "--to", "v0.1.0", user="Cy")
    assert back.returncode == 0, back.stderr
    assert "rolled back v0.1.0" in back.stdout
    assert "prod: v0.1.0" in mlgate(work, "registry", "show").stdout
    record = record_of(work, "model#prod#3")
    assert record["action"] == "rollback"
    assert record["previous"] == "model#prod#2 (v0.2.0)"
    assert record["promoted_by"] == "Cy"

    history = mlgate(work, "registry", "history").stdout.splitlines()
    assert [line.split()[2] for line in history] == [
        "rollback",
        "promote",
        "register",
        "promote",
        "register",
    ]
    assert tags(work, remote=True) == {
        "model@v0.1.0",
        "model#prod#1",
        "model@v0.2.0",
        "model#prod#2",
        "model#prod#3",
    }

    again = mlgate(work, "registry", "rollback", "--to", "v0.1.0")
    assert again.returncode == 0
    assert "already holds prod" in again.stdout
    missing = mlgate(work, "registry", "rollback", "--to", "v9.9.9")
    assert missing.returncode == 1
    assert "is not registered" in missing.stderr


def test_hand_made_tags_are_not_trusted(clone):
    work = clone()
    assert promote(work, "--stage", "prod").returncode == 0
    # A hand-made annotated tag: GTO reads it as an assignment, mlgate refuses to verify it.
    run(work, "git", "tag", "-a", "model#prod#7", "-m", "trust me", "HEAD")
    refused = mlgate(work, "registry", "verify", "model#prod#7")
    assert refused.returncode == 1
    assert "carries no mlgate promotion record" in refused.stderr
    # A genuine record copied onto another commit does not verify either.
    record = run(
        work, "git", "for-each-ref", "--format=%(contents)", "refs/tags/model#prod#1"
    ).stdout
    (work / "reports/fairness.json").write_text("{}\n")
    commit_all(work, "other evidence", push=False)
    run(work, "git", "tag", "-a", "model#prod#8", "-m", record, "HEAD")
    copied = mlgate(work, "registry", "verify", "model#prod#8")
    assert copied.returncode == 1
    assert "but its record names commit" in copied.stderr
    assert "not the" in copied.stderr


def test_two_promotions_racing_leave_one_set_of_tags(clone):
    first, second = clone("a"), clone("b")
    racers = [
        subprocess.Popen(
            ["mlgate", "promote", "--no-recheck", "--stage", "prod"],
            cwd=work,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={
                **os.environ,
                "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
                "GIT_COMMITTER_NAME": user,
                "GIT_COMMITTER_EMAIL": email_of(user),
                **signing_env(user),
            },
        )
        for work, user in ((first, "Ann"), (second, "Bob"))
    ]
    outputs = [(p.wait(timeout=300), *p.communicate()) for p in racers]
    assert [code for code, _, _ in outputs] == [0, 0], outputs
    said = sorted(out.split(":")[0].split(" ")[0] for _, out, _ in outputs)
    assert said in (["already", "promoted"], ["promoted", "promoted"]), outputs
    remote_tags = tags(first, remote=True)
    assert remote_tags == {"model@v0.1.0", "model#prod#1"}, remote_tags
    for work in (first, second):
        run(
            work,
            "git",
            "fetch",
            "-q",
            "--force",
            "--prune-tags",
            "origin",
            "+refs/tags/*:refs/tags/*",
        )
        assert tags(work) == remote_tags


def test_a_rejected_push_is_retried_from_a_fresh_fetch(clone, monkeypatch):
    """The loser of a race deletes its tags, fetches the winner's, and finds nothing to do."""
    from mlgate.registry import planning as promote_module
    from tests.conftest import run_cli

    winner, loser = clone("winner"), clone("loser")
    real_push = promote_module.push_tags_atomic
    pushes = []

    def push_after_the_winner(remote_name, names):
        if not pushes:
            assert promote(winner, "--stage", "prod", user="Win").returncode == 0
        pushes.append(names)
        return real_push(remote_name, names)

    monkeypatch.setattr(promote_module, "push_tags_atomic", push_after_the_winner)
    monkeypatch.chdir(loser)
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Cy")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", email_of("Cy"))
    for name, value in signing_env("Cy").items():
        monkeypatch.setenv(name, value)
    assert run_cli(["promote", "--no-recheck", "--stage", "prod"]) == 0
    assert pushes == [["model@v0.1.0", "model#prod#1"]]  # one push, rejected; then a no-op
    assert tags(loser, remote=True) == {"model@v0.1.0", "model#prod#1"}
    assert record_of(loser, "model#prod#1")["promoted_by"] == "Win"


def play(workflow_name: str, job_id: str, work: Path, *, context: dict, env: dict):
    from tests.integration.workflow_runner import load_workflow, play_job

    workflow = load_workflow(Path(__file__).parents[2] / ".github/workflows" / workflow_name)
    return play_job(
        workflow, job_id, workdir=work, context=context, base_env=env,
        skip=("Install the project's environment",),
    )  # fmt: skip


def test_release_workflows_promote_to_prod_then_deploy_only_a_verified_tag(clone, seed, tmp_path):
    """promote.yml's and deploy.yml's shell steps, played in order, as a dispatch to prod."""
    from tests.integration.workflow_runner import runner_env

    dvc_remote = tmp_path / "dvc-remote"
    run(seed, "dvc", "remote", "add", "--local", "--force", "--default", "t", str(dvc_remote))
    run(seed, "dvc", "push", "--quiet")
    work = clone()
    (tmp_path / "home").mkdir()
    # A runner sets no committer in the environment: the workflow's git config names the bot.
    env = {
        k: v for k, v in runner_env(tmp_path / "home", [BIN]).items() if not k.startswith("GIT_")
    } | {
        "GITHUB_ACTOR": "maintainer",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "RUNNER_TEMP": str(tmp_path),
    }
    github = {"ref": "refs/heads/main", "token": "ghs_fake", "server_url": "https://github.com"}
    context = {
        "github": github,
        "inputs": {"stage": "prod", "version": "", "bump": "minor"},
        "secrets": {
            "DVC_REMOTE_URL": str(dvc_remote),
            "MLGATE_SIGNING_KEY": KEYS["ci"].read_text(),
        },
        "vars": {},
    }
    promoted = play("promote.yml", "promote", work, context=context, env=env)
    assert [s.returncode for s in promoted.steps] == [0] * len(promoted.steps), promoted.steps
    assert promoted.outputs["tag"] == "model#prod#1"
    assert tags(work, remote=True) == {"model@v0.1.0", "model#prod#1"}
    assert record_of(work, "model#prod#1")["promoted_by"] == "maintainer"
    local_config = run(work, "git", "config", "--local", "--list").stdout
    assert "extraheader" not in local_config
    assert "signingkey" not in local_config
    assert not list(tmp_path.glob("mlgate-signing-key*"))
    assert "prod" in (tmp_path / "summary.md").read_text()

    # A registered version, named: its commit is checked out and assigned (here, to staging).
    staged = play(
        "promote.yml", "promote", work, env=env,
        context={**context, "inputs": {"stage": "staging", "version": "v0.1.0", "bump": "patch"}},
    )  # fmt: skip
    assert [s.returncode for s in staged.steps] == [0] * len(staged.steps), staged.steps
    assert staged.outputs["tag"] == "model#staging#2"

    elsewhere = play(
        "promote.yml", "promote", work, env=env,
        context={**context, "github": {**github, "ref": "refs/heads/feature"}},
    )  # fmt: skip
    assert elsewhere.steps[0].returncode == 1
    assert len(elsewhere.steps) == 1

    deploy_context = {**context, "inputs": {"tag": "model#prod#1"}}
    deployed = play("deploy.yml", "deploy", clone("deployer"), context=deploy_context, env=env)
    assert [s.returncode for s in deployed.steps] == [0, 0, 0, 0], deployed.steps
    assert (
        "smoke test: 16281 rows scored by v0.1.0; the MLflow model agrees on 200"
        in deployed.steps[-1].stdout
    )

    # A hand-made tag on a commit of main is refused before anything of it runs.
    run(work, "git", "tag", "-a", "model#prod#2", "-m", "hand-made", "HEAD")
    run(work, "git", "push", "-q", "origin", "refs/tags/model#prod#2")
    forged_context = {**context, "inputs": {"tag": "model#prod#2"}}
    forged = play("deploy.yml", "deploy", clone("forged"), context=forged_context, env=env)
    assert forged.steps[0].returncode == 1
    assert "carries no mlgate promotion record" in forged.steps[0].stderr
    assert "model#prod#2 is not signed" in forged.steps[0].stderr
    assert len(forged.steps) == 1


def test_version_conflicts_and_hand_made_registrations_are_refused(clone):
    work = clone()
    assert promote(work, "--version", "v1.0.0").returncode == 0
    other = promote(work, "--version", "v2.0.0")
    assert other.returncode == 1
    assert "is already registered as model@v1.0.0; it cannot also be v2.0.0" in other.stderr

    (work / "README.md").write_text("next\n")
    commit_all(work, "next")
    taken = promote(work, "--version", "v1.0.0")
    assert taken.returncode == 1
    assert "model@v1.0.0 is already registered, on commit" in taken.stderr

    # A version registered by hand (GTO's tag format, no mlgate record) is never rolled back to.
    run(work, "git", "tag", "-a", "model@v0.9.0", "-m", "registered by hand", "HEAD")
    run(work, "git", "push", "-q", "origin", "refs/tags/model@v0.9.0")
    back = mlgate(work, "registry", "rollback", "--to", "v0.9.0")
    assert back.returncode == 1
    assert "model@v0.9.0 carries no mlgate promotion record" in back.stderr
    assert tags(work, remote=True) == {"model@v1.0.0", "model#staging#1", "model@v0.9.0"}
