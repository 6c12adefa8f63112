"""A small temporary project to run the CLI in: real params, the first 3,000 Adult rows."""

from __future__ import annotations

import gzip

import pytest

from mlgate.cli import main


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as excinfo:
        main(argv)
    return excinfo.value.code


@pytest.fixture
def project(tmp_path, monkeypatch, project_root):
    """A tmp project: the real params (fewer boosting rounds) and the first 3,000 Adult rows."""
    (tmp_path / "data" / "source").mkdir(parents=True)
    for name in ("adult.data.gz", "adult.test.gz"):
        lines = gzip.decompress((project_root / "data/source" / name).read_bytes()).splitlines(True)
        (tmp_path / "data/source" / name).write_bytes(gzip.compress(b"".join(lines[:3000])))
    params = (project_root / "params.yaml").read_text().replace("max_iter: 200", "max_iter: 15")
    (tmp_path / "params.yaml").write_text(params)
    monkeypatch.chdir(tmp_path)
    return tmp_path
