"""``mlgate init`` writes params.yaml with the YAML emitter: any marker or name reads back as is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlgate.errors import DataError
from mlgate.io import parse_yaml
from mlgate.project.init_params import rewrite_params
from mlgate.project.schema_inference import InferredTable

PARAMS = "data:\n  target: y\ningest:\n  na_values: ['?']  # a comment\n"
HOSTILE = ("a: b", "#x", "x\ny", "'\"", "{", "- z", "\x85", "a\x85b", "\u2028", "\r", "\x00", "")


def inferred(marker: str, name: str) -> InferredTable:
    return InferredTable(
        encoding="utf-8",
        separator=",",
        skip_initial_space=False,
        na_values=(marker,),
        rows=10,
        target="y",
        labels=("no", name or "yes"),
        positive_label=name or "yes",
        numeric=(),
        categorical=(name or "c",),
        sensitive=(),
    )


def written(table: InferredTable) -> dict:
    text, _ = rewrite_params(PARAMS, table, train_path="t.csv", test_path=None)
    return parse_yaml(text, source="params.yaml")


@pytest.mark.parametrize("marker", HOSTILE)
def test_each_hostile_marker_reads_back_unchanged(marker):
    params = written(inferred(marker, marker))
    assert params["ingest"]["na_values"] == [marker]
    assert params["data"]["categorical"] == [marker or "c"]
    assert params["data"]["labels"] == ["no", marker or "yes"]


@given(marker=st.text(max_size=8), name=st.text(max_size=8))
def test_any_marker_and_name_read_back_unchanged(marker, name):
    params = written(inferred(marker, name))
    assert params["ingest"]["na_values"] == [marker]
    assert params["data"]["categorical"] == [name or "c"]


def test_a_value_that_would_read_back_otherwise_is_refused_by_key_and_repr(monkeypatch):
    # Without the quoting, the emitter writes NEL raw and YAML reads it back as a space.
    monkeypatch.setattr("mlgate.project.init_params._escaped", lambda node: node)
    with pytest.raises(DataError, match=r"cannot write 'a\\x85b' to params\.yaml at data\.labels"):
        written(inferred("?", "a\x85b"))
