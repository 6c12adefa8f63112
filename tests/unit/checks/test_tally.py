"""Tallies: the counts the batch suites read of the rows under test add up across parts.

The Dask engine counts each partition and merges the tallies in order; the pandas path counts
the whole table at once. These tests hold the two to the same tally for every check of the
batch suites, and the KS test from counts to scipy's on the sample itself.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlgate.checks import BATCH_SUITES
from mlgate.checks.runner import load_registry
from mlgate.checks.tally import Tally, aligned_counts
from mlgate.stats.ks_cells import grid_cells, ks_from_cells, reference_grid
from mlgate.stats.two_sample import ks_two_sample

samples = st.integers(1, 12_000).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 2]))
)


def draw(n: int, seed: int, kind: int, shift: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == 0:  # few distinct values: ties everywhere
        return rng.integers(0, 12, n).astype(float) + round(shift * 4)
    if kind == 1:  # continuous
        return rng.normal(shift, 1, n)
    return np.round(rng.normal(shift, 1, n), 1)  # ties, and values between the reference's


@settings(max_examples=60, deadline=None)
@given(reference=samples, current=samples, cut=st.floats(0, 1))
def test_ks_from_cells_is_scipys_ks_on_the_sample(reference, current, cut):
    (n1, seed1, kind), (n2, seed2, _) = reference, current
    ref, cur = draw(n1, seed1, kind, 0.0), draw(n2, seed2, kind, 0.3)
    grid = reference_grid(ref)
    split = int(cut * n2)
    cells = grid_cells(grid.values, cur[:split]) + grid_cells(grid.values, cur[split:])
    assert ks_from_cells(grid, cells) == ks_two_sample(ref, cur)


def test_the_grid_of_integers_is_counted_as_the_grid_of_floats_is_sorted():
    integers = np.array([3.0, 1.0, 3.0, -2.0, 7.0, 1.0, 1.0])
    counted = reference_grid(integers)
    sorted_values, sorted_counts = np.unique(integers, return_counts=True)
    assert counted.values.tolist() == sorted_values.tolist()
    assert counted.counts.tolist() == sorted_counts.tolist()
    halves = reference_grid(integers + 0.5)  # not integers: sorted
    assert halves.values.tolist() == (sorted_values + 0.5).tolist()


def test_values_outside_the_reference_are_counted_below_and_above():
    grid = np.array([1.0, 2.0, 3.0])
    cells = grid_cells(grid, np.array([0.0, 1.0, 1.5, 2.0, 3.0, 9.0, 9.5]))
    # below, =1, (1,2), =2, (2,3), =3, above
    assert cells.tolist() == [1, 1, 1, 1, 0, 1, 2]


def test_the_category_order_does_not_depend_on_the_rows_order(adult_sample):
    column = adult_sample["native-country"]
    forward = {"Atlantis": 2, "Lemuria": 1, None: 3, "Cuba": 5}
    backward = dict(reversed(list(forward.items())))
    assert [a.tolist() if hasattr(a, "tolist") else a for a in aligned_counts(column, forward)] == [
        a.tolist() if hasattr(a, "tolist") else a for a in aligned_counts(column, backward)
    ]
    _, _, categories = aligned_counts(column, forward)
    assert categories[0] is None
    assert categories[-2:] == ["Atlantis", "Lemuria"]


def test_merge_adds_counts_and_keeps_the_first_items():
    first = Tally(3, {"n": 1, "a": np.array([1, 2]), "v": {"x": 1}}, {"rows": ((0, "a"),)}, limit=2)
    later = Tally(
        2,
        {"n": 2, "a": np.array([0, 5]), "v": {"x": 1, "y": 4}},
        {"rows": ((3, "b"), (4, "c"))},
        limit=2,
    )
    merged = first.merge(later)
    assert merged.rows == 5
    assert merged.counts["n"] == 3
    assert merged.counts["a"].tolist() == [1, 7]
    assert merged.counts["v"] == {"x": 2, "y": 4}
    assert merged.firsts["rows"] == ((0, "a"), (3, "b"))


@pytest.fixture(scope="module")
def batch_context(make_context, adult_sample):
    """A batch with missing values, an unseen category, out-of-range ages and repeated rows."""
    reference = adult_sample.iloc[:1500].reset_index(drop=True)
    current = adult_sample.iloc[1500:2700].reset_index(drop=True)
    current.loc[[3, 500], "age"] = 150.0
    current.loc[[7, 8, 900], "workclass"] = None
    current.loc[[20, 1100], "native-country"] = "Atlantis"
    current.loc[1000:1010] = current.loc[10:20].to_numpy()
    current.loc[50:52] = reference.loc[0:2].to_numpy()
    return make_context(reference, current, is_batch=True)


def batch_checks(cfg):
    registry = load_registry()
    return [
        (check_id, registry[check_id], check_cfg)
        for check_id, check_cfg in cfg.checks.items()
        if registry[check_id].suite in BATCH_SUITES and registry[check_id].tallies is not None
    ]


def test_every_check_of_the_batch_suites_that_reads_rows_declares_tallies(cfg):
    registry = load_registry()
    rows_free = {"data.denied_inputs", "data.personal_data"}  # they read the columns only
    for check_id in cfg.checks:
        entry = registry[check_id]
        if entry.suite in BATCH_SUITES and check_id not in rows_free:
            assert entry.tallies is not None, check_id


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cuts=st.lists(st.integers(1, 1199), max_size=6, unique=True))
def test_tallies_of_the_parts_merge_into_the_tally_of_the_whole(batch_context, cfg, cuts):
    frame = batch_context.current
    bounds = [0, *sorted(cuts), len(frame)]
    for check_id, entry, check_cfg in batch_checks(cfg):
        for spec in entry.tallies(batch_context, check_cfg):
            if spec.whole is not None:
                continue  # not additive: the Dask engine counts the whole collection
            whole = spec.count(frame, 0)
            parts = [
                spec.count(frame.iloc[start:stop].reset_index(drop=True), start)
                for start, stop in itertools.pairwise(bounds)
            ]
            merged = functools.reduce(Tally.merge, parts)
            assert merged.rows == whole.rows, spec.key
            assert merged.counts.keys() == whole.counts.keys(), spec.key
            for key, value in whole.counts.items():
                if isinstance(value, np.ndarray):
                    np.testing.assert_array_equal(merged.counts[key], value, err_msg=spec.key)
                elif isinstance(value, float):
                    assert merged.counts[key] == pytest.approx(value, rel=1e-12), spec.key
                else:
                    assert merged.counts[key] == value, (check_id, spec.key)
            assert merged.firsts.keys() == whole.firsts.keys(), spec.key
            for key, items in whole.firsts.items():
                assert len(merged.firsts[key]) == len(items), (spec.key, key)
                for left, right in zip(merged.firsts[key], items, strict=True):
                    np.testing.assert_equal(left, right, err_msg=spec.key)
