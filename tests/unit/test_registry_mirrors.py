"""The registry's backend seam: the tags decide, a mirror follows (a real MLflow server: the
integration tests, tests/integration/test_registry_mlflow.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mlgate.errors import ConfigError, RunError
from mlgate.registry.mirrors import GtoOnly, MlflowMirror, mirror_for
from mlgate.registry.state import ASSIGNMENT, Event


def with_registry(cfg, **changes):
    registry = cfg.registry.model_copy(update=changes)
    return cfg.model_copy(update={"registry": registry})


def holder(record) -> Event:
    at = datetime(2026, 12, 7, tzinfo=UTC)
    return Event(ASSIGNMENT, "v0.1.0", "prod", "c" * 40, "model#prod#1", 1, "a", "a@x", at, record)


def test_gto_alone_keeps_nothing_and_follows_nothing(cfg):
    mirror = mirror_for(cfg, tracking_uri="http://127.0.0.1:1")
    assert isinstance(mirror, GtoOnly)
    assert mirror.record_key is None
    assert mirror.register({"version": "v0.1.0"}) is None
    assert mirror.follow("prod", holder(None)) is None


def test_mlflow_needs_a_server_named_in_params_or_the_environment(cfg):
    mlflow = with_registry(cfg, backend="mlflow")
    with pytest.raises(ConfigError, match=r"registry\.mlflow\.tracking_uri"):
        mirror_for(mlflow, tracking_uri=None)
    mirror = mirror_for(mlflow, tracking_uri="http://127.0.0.1:5000")
    assert isinstance(mirror, MlflowMirror)
    assert (mirror.record_key, mirror.tracking_uri) == ("mlflow", "http://127.0.0.1:5000")


def test_mlflow_refuses_to_follow_a_stage_its_tags_never_registered(cfg):
    mirror = mirror_for(with_registry(cfg, backend="mlflow"), tracking_uri="http://127.0.0.1:1")
    with pytest.raises(RunError, match=r"held by model#prod#1, which was promoted without MLflow"):
        mirror.follow("prod", holder({"version": "v0.1.0"}))
    with pytest.raises(RunError, match="held by nothing"):
        mirror.follow("prod", None)
