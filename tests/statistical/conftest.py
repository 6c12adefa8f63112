"""Fixtures of the statistical measurements: rows the model and the training split never saw."""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="session")
def adult_test(cfg):
    """The Adult test file (16,281 rows), ingested with the project's params."""
    from mlgate import io
    from mlgate.tables.read import read_source

    path = PROJECT_ROOT / cfg.ingest.test_path
    with io.open_source(str(path)) as handle:
        return read_source(handle, source=str(path), ingest=cfg.ingest, data=cfg.data)
