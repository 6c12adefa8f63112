"""The probe: a model file is scored in a child process under limits before its first use.

The bookkeeping checks refuse every corpus file before the probe runs; here the probe is shown
to refuse the same files by itself (with the checks switched off), and to turn each way a child
can end (a signal, memory, CPU time, scores that are not probabilities) into a ModelError.
"""

from __future__ import annotations

import ctypes
import json
import subprocess
import time

import numpy as np
import pytest

from mlgate.errors import ModelError
from mlgate.model import files, probe
from mlgate.model.files import load_model_bytes, normalize_skops, save_model
from mlgate.model.probe import ProbeLimits, probe_model
from mlgate.model.probe_run import probe_batch, score_probe
from tests.security.corpus import ATTACKS


@pytest.fixture(scope="module")
def genuine(small_model) -> bytes:
    import skops.io as sio

    return normalize_skops(sio.dumps(small_model))


class Scoring:
    """The small model's inputs, with scoring replaced by ``score`` (run in the child)."""

    def __init__(self, model, score) -> None:
        self.named_steps = model.named_steps
        self.score = score

    def predict_proba(self, X):
        return self.score(X)


def segfault(X):
    ctypes.string_at(0)  # reads address 0


def allocate_16_gib(X):
    return np.ones((2, 1 << 30))


def spin(X):
    while True:
        pass


def not_probabilities(X):
    return np.full((len(X), 2), 2.0)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (segfault, r"killed by signal 11 \(SIGSEGV, a segfault: scoring read or wrote memory"),
        (allocate_16_gib, r"needed more memory than its limit \(1024 MiB beyond"),
        (spin, r"killed by signal 24 \(SIGXCPU, its CPU time limit of 1 s: scoring this file"),
        (not_probabilities, r"failed: ValueError: predict_proba gave an array of shape \(4, 2\)"),
    ],
    ids=["segfault", "memory", "cpu", "not-probabilities"],
)
def test_each_way_a_probe_child_ends_is_a_refusal_saying_so(small_model, genuine, score, expected):
    limits = ProbeLimits(cpu_seconds=1)
    with pytest.raises(ModelError, match=rf"the probe scoring of crafted\.skops .*{expected}"):
        probe_model(
            genuine,
            model=Scoring(small_model, score),
            source="crafted.skops",
            cache=None,
            limits=limits,
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("onehot_widths_far_out_of_bounds", r"killed by signal 11 \(SIGSEGV, a segfault"),
        ("boosting_tree_count_inflated", r"needed more memory than its limit"),
    ],
)
def test_the_probe_alone_refuses_the_findings_the_checks_refuse(
    monkeypatch, tmp_path, genuine, name, expected
):
    """Without the bookkeeping checks, the crafted files reach the probe, which refuses them."""
    monkeypatch.setattr(files, "check_fitted_bookkeeping", lambda model, *, source: None)
    crafted = ATTACKS[name](genuine, tmp_path / "marker")
    with pytest.raises(ModelError, match=rf"the probe scoring of models/model\.skops .*{expected}"):
        load_model_bytes(crafted, source="models/model.skops", probe_cache=tmp_path / "probes")
    assert not (tmp_path / "probes").exists(), "a refused file must not be recorded"


def test_a_file_is_probed_once_then_its_record_is_trusted(monkeypatch, tmp_path, genuine):
    cache = tmp_path / ".mlgate/probes"
    started = time.perf_counter()
    load_model_bytes(genuine, source="model.skops", probe_cache=cache)
    first = time.perf_counter() - started
    (record_path,) = cache.glob("*.json")
    record = json.loads(record_path.read_text())
    assert record["outcome"] == "probed"
    assert record["rows"] == 4
    assert (tmp_path / ".mlgate/probes/.gitignore").read_text().splitlines()[-1] == "*"
    assert first < 5, f"a forked probe takes a fraction of a second, this took {first:.1f} s"

    monkeypatch.setattr(probe, "_probe_forked", _never)
    monkeypatch.setattr(probe, "run_probe", _never)
    load_model_bytes(genuine, source="model.skops", probe_cache=cache)


def _never(*args, **kwargs):
    raise AssertionError("probed again")


def test_a_record_is_ignored_if_git_tracks_it_or_other_libraries_wrote_it(
    monkeypatch, tmp_path, genuine
):
    """A pull request can commit a record; a record from other versions judged other code."""
    cache = tmp_path / ".mlgate/probes"
    load_model_bytes(genuine, source="model.skops", probe_cache=cache)
    (record_path,) = cache.glob("*.json")
    probed = []
    monkeypatch.setattr(probe, "_probe_forked", lambda *a, **k: probed.append(1) or {"rows": 4})
    monkeypatch.chdir(tmp_path)

    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "add", "-f", str(record_path)], check=True)
    load_model_bytes(genuine, source="model.skops", probe_cache=cache)
    assert probed == [1]

    subprocess.run(["git", "rm", "-q", "-f", "--cached", str(record_path)], check=True)
    record = json.loads(record_path.read_text())
    record["environment"]["scikit-learn"] = "0.0.1"
    record_path.write_text(json.dumps(record))
    load_model_bytes(genuine, source="model.skops", probe_cache=cache)
    assert probed == [1, 1]


def test_a_model_this_process_trained_needs_no_probe(monkeypatch, tmp_path, small_model):
    cache = tmp_path / "probes"
    save_model(tmp_path / "model.skops", small_model, probe_cache=cache)
    (record_path,) = cache.glob("*.json")
    assert json.loads(record_path.read_text())["outcome"] == "trained"
    monkeypatch.setattr(probe, "_probe_forked", _never)
    monkeypatch.setattr(probe, "run_probe", _never)
    files.load_model(tmp_path / "model.skops", probe_cache=cache)


def test_the_probe_batch_holds_known_extreme_unseen_and_missing_values(small_model, cfg):
    batch = probe_batch(small_model)
    assert list(batch.columns) == list(small_model.named_steps["preprocess"].feature_names_in_)
    first = cfg.data.categorical[0]
    assert batch[first].iloc[2] == "__mlgate_probe_unseen__"
    assert batch.iloc[3].isna().all()
    assert batch[cfg.data.numeric[0]].iloc[1] > 1e8
    score_probe(small_model, batch)


@pytest.mark.slow
def test_a_fresh_interpreter_probes_where_a_fork_does_not_finish(
    monkeypatch, small_model, genuine, tmp_path
):
    """A forked child that hangs (as one blocked on a lock would) gives way to a fresh one."""

    def sleep(X):
        time.sleep(60)

    limits = ProbeLimits(forked_wall_seconds=1)
    cache = tmp_path / "probes"
    probe_model(genuine, model=Scoring(small_model, sleep), source="m", cache=cache, limits=limits)
    assert json.loads(next(cache.glob("*.json")).read_text())["rows"] == 4

    crafted = ATTACKS["onehot_widths_shifted"](genuine, tmp_path / "marker")
    with pytest.raises(ModelError, match=r"OneHotEncoder at preprocess/categorical/encode"):
        probe_model(crafted, source="crafted", cache=None, limits=limits)
