"""`mlgate.project.file_guard`: data and model files are refused; what the template keeps is not."""

from __future__ import annotations

import subprocess

import pytest

from mlgate.project.file_guard import GuardPolicy, data_suffix, guard_files, refuse

POLICY = GuardPolicy(
    pipeline_outputs={"reports/figures": "evaluate", "models/model.skops": "train"}
)
KB = 1024


def test_every_file_the_template_tracks_may_be_committed(project_root):
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=project_root, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    files = [(name, (project_root / name).lstat().st_size) for name in filter(None, listed)]
    assert any(size > POLICY.max_bytes for _, size in files), "uv.lock is larger than the limit"
    assert guard_files(files, policy=POLICY) == []


@pytest.mark.parametrize(
    "path",
    [
        "data/source/adult.data.gz",  # the template's source data
        "data/source/SOURCE.md",
        "reports/metrics.json",  # DVC metrics and plots with cache: false
        "reports/plots/confusion.json",
        "models/.gitignore",  # written by DVC into the folders it manages
        "data/raw.csv.dvc",
        "./uv.lock",
    ],
)
def test_what_the_template_keeps_in_git_is_allowed_whatever_its_size(path):
    assert refuse(path, 50 * 1024 * KB, policy=POLICY) is None


def test_a_pipeline_output_is_refused_naming_its_stage():
    refusal = refuse("reports/figures/roc.png", 10 * KB, policy=POLICY)
    assert str(refusal) == (
        "reports/figures/roc.png: is an output of the pipeline (stage 'evaluate' in dvc.yaml), "
        "which DVC caches. Unstage it (`git rm --cached reports/figures/roc.png`); `dvc repro` "
        "records it in dvc.lock and `dvc push` shares it."
    )
    assert "stage 'train'" in refuse("models/model.skops", 10, policy=POLICY).reason


def test_a_file_under_a_managed_folder_is_refused():
    refusal = refuse("data/prepared/extra.txt", 10, policy=POLICY)
    assert refusal.reason == (
        "is under data/prepared/, where the pipeline writes outputs DVC caches"
    )
    assert "git rm --cached data/prepared/extra.txt" in refusal.fix


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("data/extra.csv", ".csv"),
        ("notebooks/scores.PARQUET", ".parquet"),
        ("data/batch.tsv.gz", ".tsv"),
        ("model.pkl", ".pkl"),
        ("exports/model.onnx", ".onnx"),
        ("arrays.npz", ".npz"),
    ],
)
def test_a_data_or_model_file_is_refused_however_small(path, kind):
    refusal = refuse(path, 1, policy=POLICY)
    assert refusal.reason == f"is a {kind} file: data and models belong in DVC, not in git"
    assert f"`git rm --cached {path}`" in refusal.fix
    assert f"`dvc add {path}`" in refusal.fix


@pytest.mark.parametrize(
    ("path", "kind"),
    [("a.csv", ".csv"), ("a.csv.bz2", ".csv"), ("a.tar.gz", None), ("a.json", None), ("a", None)],
)
def test_data_suffix_looks_through_compression(path, kind):
    assert data_suffix(path) == kind


def test_a_large_file_is_refused_and_one_at_the_limit_is_not():
    assert refuse("docs/video.mp4", 1024 * KB, policy=POLICY) is None
    refusal = refuse("docs/video.mp4", 1024 * KB + 1, policy=POLICY)
    assert refusal.reason == "is 1,024 KiB, over the limit of 1,024 KiB"
    assert "--allow docs/video.mp4" in refusal.fix
    assert refuse("docs/video.mp4", None, policy=POLICY) is None  # deleted: nothing to judge


def test_allowed_paths_replace_the_defaults():
    policy = GuardPolicy(allowed=("data/raw/", "*.lock"), max_bytes=KB)
    assert refuse("data/raw/big.csv", 10 * KB, policy=policy) is None
    assert refuse("poetry.lock", 10 * KB, policy=policy) is None
    assert refuse("data/source/adult.data.gz", 10 * KB, policy=policy) is not None


def test_guard_files_keeps_the_order_given_and_only_refusals():
    files = [("b.csv", 1), ("README.md", 1), ("a.parquet", 1)]
    assert [r.path for r in guard_files(files, policy=POLICY)] == ["b.csv", "a.parquet"]
