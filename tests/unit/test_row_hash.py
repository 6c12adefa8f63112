"""The input hash: a documented definition anyone can recompute, computed in bulk the same way."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from mlgate.data.row_hash import canonical_row, row_sha256


def test_a_row_hashes_to_the_sha256_of_its_documented_json():
    frame = pd.DataFrame({"sex": ["Female"], "age": [39], "workclass": [None]})
    expected = hashlib.sha256(b'{"age":39.0,"sex":"Female","workclass":null}').hexdigest()
    assert row_sha256(frame, numeric={"age"}).tolist() == [expected]


def test_numbers_hash_by_value_whatever_their_type_or_sign_of_zero():
    hashes = [
        row_sha256(pd.DataFrame({"x": values}), numeric={"x"})[0]
        for values in ([0], [0.0], [-0.0], np.array([0], dtype="int8"))
    ]
    assert len(set(hashes)) == 1
    assert row_sha256(pd.DataFrame({"x": ["0"]}), numeric=())[0] != hashes[0]  # text is not 0.0


def test_missing_values_and_text_that_looks_missing_differ():
    frame = pd.DataFrame({"c": [None, np.nan, "None", "null", ""]})
    hashes = row_sha256(frame, numeric=()).tolist()
    assert hashes[0] == hashes[1]
    assert len(set(hashes)) == 4


def test_unicode_and_json_specials_are_written_as_json_strings():
    row = {"c": 'Bogotá "x"\n', "n": 1.5}
    frame = pd.DataFrame({k: [v] for k, v in row.items()})
    text = canonical_row(row, numeric={"n"})
    assert text == '{"c":"Bogotá \\"x\\"\\n","n":1.5}'
    assert row_sha256(frame, numeric={"n"})[0] == hashlib.sha256(text.encode()).hexdigest()


def test_no_columns_and_no_rows():
    assert (
        row_sha256(pd.DataFrame(index=range(2)), numeric=()).tolist()
        == [hashlib.sha256(b"{}").hexdigest()] * 2
    )
    assert row_sha256(pd.DataFrame({"x": []}), numeric={"x"}).tolist() == []
