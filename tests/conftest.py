"""Shared fixtures: the project's own params and a small, real sample of UCI Adult."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI runs derandomised so that a property test cannot pass on one run and fail on the next.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def cfg():
    from mlgate.config import load_config

    return load_config(PROJECT_ROOT / "params.yaml")


@pytest.fixture(scope="session")
def adult_train(cfg):
    """The real Adult training file, ingested with the project's params."""
    from mlgate import io
    from mlgate.tables.read import read_source

    path = PROJECT_ROOT / cfg.ingest.train_path
    with io.open_source(str(path)) as handle:
        return read_source(handle, source=str(path), ingest=cfg.ingest, data=cfg.data)


@pytest.fixture(scope="session")
def adult_sample(adult_train):
    """3,000 rows of Adult, the same every run."""
    return adult_train.sample(n=3000, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="session")
def small_model(adult_sample, cfg):
    """A histogram gradient boosting pipeline fitted on the sample (fast: few iterations)."""
    from mlgate.model.estimators import fit_model

    small = cfg.train.model_copy(
        update={
            "hist_gradient_boosting": cfg.train.hist_gradient_boosting.model_copy(
                update={"max_iter": 20}
            )
        }
    )
    return fit_model(
        adult_sample, data=cfg.data, preprocessing=cfg.prepare.preprocessing, cfg=small
    )


def small_monitor_config():
    """Coarse bins, few calibrators and draws: monitoring fast enough for unit tests."""
    from mlgate.config.monitor import MonitorConfig

    return MonitorConfig(reference_bins=30, calibrators=3, draws=200, min_rows=50)


@pytest.fixture(scope="session")
def small_fingerprint(adult_sample, small_model, cfg):
    """The small model's fingerprint, built on the sample's first 2,000 rows (both splits)."""
    from mlgate.monitor.fingerprint import build_fingerprint

    train = adult_sample.iloc[:2000]
    return build_fingerprint(
        small_model, train, train, data=cfg.data, cfg=small_monitor_config(),
        decision_threshold=0.5, model_sha256="0" * 64,
    )  # fmt: skip


@pytest.fixture(scope="session")
def make_context(cfg, small_model):
    """Build a CheckContext from a reference and a current table, scored by the small model."""
    from mlgate.checks.base import CheckContext

    def build(reference, current, *, model=small_model, baseline=None, is_batch=False):
        y_true = None
        if cfg.data.target in current.columns:
            y_true = (current[cfg.data.target] == cfg.data.positive_label).to_numpy(dtype="int64")
        scores = (lambda frame: model.predict_proba(frame)[:, 1]) if model is not None else None
        return CheckContext(
            data=cfg.data,
            reference=reference,
            current=current,
            current_name="current",
            reference_scores=scores(reference) if scores else None,
            current_scores=scores(current) if scores and len(current) else None,
            y_true=y_true,
            model=model,
            decision_threshold=cfg.evaluate.decision_threshold,
            baseline=baseline,
            is_batch=is_batch,
        )

    return build


@pytest.fixture(scope="session")
def halves(adult_train):
    """Two disjoint random halves of 4,000 Adult training rows each: no drift between them."""
    rows = adult_train.sample(n=8000, random_state=1).reset_index(drop=True)
    return rows.iloc[:4000].reset_index(drop=True), rows.iloc[4000:].reset_index(drop=True)


def run_cli(argv: list[str]) -> int:
    """Run ``mlgate ARGV`` in this process; return its exit code."""
    from mlgate.cli import main

    with pytest.raises(SystemExit) as excinfo:
        main(argv)
    return excinfo.value.code


@pytest.fixture(scope="session")
def built_projects(tmp_path_factory, project_root):
    """Projects with stages already run, built once per list of stages and copied per test."""
    import shutil

    cache: dict[tuple, object] = {}

    def build(stages: tuple[str, ...], setup=None):
        key = (stages, setup)
        if key not in cache:
            folder = tmp_path_factory.mktemp("built")
            (folder / "data" / "source").mkdir(parents=True)
            for name in ("adult.data.gz", "adult.test.gz"):
                raw = gzip.decompress((project_root / "data/source" / name).read_bytes())
                (folder / "data/source" / name).write_bytes(
                    gzip.compress(b"".join(raw.splitlines(True)[:3000]))
                )
            params = (
                (project_root / "params.yaml").read_text().replace("max_iter: 200", "max_iter: 15")
            )
            (folder / "params.yaml").write_text(setup(params) if setup else params)
            here = os.getcwd()
            os.chdir(folder)
            try:
                for stage in stages:
                    assert run_cli([stage]) == 0, stage
            finally:
                os.chdir(here)
            cache[key] = folder
        return cache[key]

    def copy_to(stages, target, setup=None):
        shutil.copytree(build(stages, setup), target, dirs_exist_ok=True)
        return target

    return copy_to


@pytest.fixture(scope="session")
def seed(tmp_path_factory, project_root) -> Path:
    """The project after `dvc repro`, committed on main: where registry and monitor tests start."""
    from tests.integration.registry_repo import make_seed

    return make_seed(tmp_path_factory, project_root)
