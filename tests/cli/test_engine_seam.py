"""``check --current``, ``monitor`` and ``predict`` choose their engine once and only call it.

Each command asks :func:`mlgate.engines.engine_for` once, with ``batches:`` from params.yaml and
its own options, and reads the batch only through the engine it got: the operation that command
needs, and nothing that asks which engine it is. The recording engine below is the real pandas
engine; the commands' outputs are the ones they write without it.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from mlgate import engines
from mlgate.config import BatchesConfig
from mlgate.engines import BatchEngine, PandasEngine
from tests.cli.conftest import run

STAGES = ("ingest", "prepare", "train", "evaluate", "fingerprint")


class Recording:
    """The pandas engine, noting each operation called on it."""

    def __init__(self) -> None:
        self.inner = PandasEngine()
        self.name = self.inner.name
        self.calls: list[str] = []

    def __getattr__(self, operation: str):
        method = getattr(self.inner, operation)

        def recorded(*args, **kwargs):
            self.calls.append(operation)
            return method(*args, **kwargs)

        return recorded


@pytest.fixture
def project(built_projects, tmp_path, monkeypatch):
    project = built_projects(STAGES, tmp_path / "project")
    monkeypatch.chdir(project)
    pd.read_parquet("data/ingested/test.parquet").iloc[:800].to_parquet("batch.parquet")
    return project


@pytest.fixture
def chosen(monkeypatch):
    """Every engine_for call: the batches: section and options it was given, and its engine."""
    asked = []

    def engine_for(batches, *, engine, scheduler):
        recording = Recording()
        asked.append((batches.engine, engine, scheduler, recording))
        return recording

    for command in ("check", "monitor", "predict"):
        monkeypatch.setattr(f"mlgate.cli.{command}.engine_for", engine_for)
    return asked


def test_both_engines_are_engines_and_the_params_or_option_choose():
    # The recording answers any attribute (a protocol check passes on it): ask the real engines.
    assert isinstance(PandasEngine(), BatchEngine)
    dask = engines.engine_for(BatchesConfig(engine="dask"), engine=None, scheduler=None)
    assert isinstance(dask, BatchEngine)
    assert (dask.name, dask.scheduler) == ("dask", None)
    chosen = engines.engine_for(BatchesConfig(engine="dask"), engine="pandas", scheduler=None)
    assert chosen.name == "pandas"


@pytest.mark.parametrize(
    ("argv", "operations"),
    [
        (["check", "--current", "batch.parquet", "--suite", "data"], ["current_context"]),
        (["monitor", "batch.parquet"], ["rows_known", "fold"]),
        (
            ["predict", "--input", "batch.parquet", "--output", "out.parquet"],
            ["check_output", "rows_known", "score"],
        ),
    ],
    ids=["check --current", "monitor", "predict"],
)
def test_each_command_asks_once_and_reads_the_batch_only_through_its_engine(
    project, chosen, argv, operations
):
    assert run([*argv, "--engine", "pandas"]) in (0, 1)
    ((configured, option, scheduler, engine),) = chosen
    assert (configured, option, scheduler) == ("pandas", "pandas", None)
    assert engine.calls == operations


def test_without_the_option_the_params_choose(project, chosen):
    params = project / "params.yaml"
    text = params.read_text()
    assert "\n  engine: pandas " in text
    params.write_text(text.replace("\n  engine: pandas ", "\n  engine: dask ", 1))
    assert run(["predict", "--input", "batch.parquet", "--output", "out.parquet"]) == 0
    ((configured, option, scheduler, _),) = chosen
    assert (configured, option, scheduler) == ("dask", None, None)


def test_the_engines_judge_a_batch_the_same(project):
    """Either engine, the same tests and p-values on one batch (the seam changes no verdict)."""
    assert run(["monitor", "batch.parquet", "--batch-id", "a", "--engine", "pandas"]) in (0, 1)
    assert run(["monitor", "batch.parquet", "--batch-id", "b", "--engine", "dask"]) in (0, 1)
    pandas, dask = (json.loads((project / f"reports/monitor/{b}.json").read_text()) for b in "ab")
    assert pandas["tests"] == dask["tests"]
