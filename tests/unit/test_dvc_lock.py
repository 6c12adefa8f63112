"""`mlgate.project.dvc_lock`: params changed without `dvc repro` are found, as DVC finds them."""

from __future__ import annotations

from mlgate.project.dvc_lock import FIX, StaleParam, lock_status, params_files_to_read
from mlgate.project.dvcfile import MISSING


def test_the_committed_lock_is_current(lock, dvc, params):
    status = lock_status(lock, dvc, {"params.yaml": params})
    assert status.is_current
    assert status.report() == []


def test_a_changed_value_is_reported_for_each_stage_that_reads_it(lock, dvc, params):
    params["train"]["hist_gradient_boosting"]["learning_rate"] = 0.05
    status = lock_status(lock, dvc, {"params.yaml": params})
    key = "train.hist_gradient_boosting.learning_rate"
    # train, check list `train` whole: the report names the value inside it that changed.
    assert status.stale == (
        StaleParam("train", "params.yaml", key, 0.1, 0.05),
        StaleParam("check", "params.yaml", key, 0.1, 0.05),
    )
    assert status.report() == [
        f"dvc.lock: stage train: {key} is 0.1 in dvc.lock but 0.05 in params.yaml",
        f"dvc.lock: stage check: {key} is 0.1 in dvc.lock but 0.05 in params.yaml",
        FIX,
    ]
    assert "dvc repro" in FIX


def test_a_value_of_another_type_that_python_finds_equal_is_not_stale(lock, dvc, params):
    params["prepare"]["seed"] = float(params["prepare"]["seed"])  # DVC compares with !=
    assert lock_status(lock, dvc, {"params.yaml": params}).is_current


def test_a_deleted_key_and_a_new_listed_key_are_reported(lock, dvc, params):
    del params["prepare"]["seed"]
    dvc["stages"]["prepare"]["params"].append("evaluate.calibration_bins")
    stale = lock_status(lock, dvc, {"params.yaml": params}).stale
    assert [str(s) for s in stale] == [
        "dvc.lock: stage prepare: prepare.seed was 20240601 in dvc.lock and is gone from "
        "params.yaml",
        "dvc.lock: stage prepare: evaluate.calibration_bins is 10 in params.yaml, which dvc.lock "
        "does not record (a new param)",
    ]


def test_a_key_listed_but_recorded_nowhere_is_reported(lock, dvc, params):
    dvc["stages"]["prepare"]["params"].append("prepare.nothing")
    (stale,) = lock_status(lock, dvc, {"params.yaml": params}).stale
    assert (stale.key, stale.locked, stale.current) == ("prepare.nothing", MISSING, MISSING)
    assert "neither dvc.lock nor params.yaml has it" in str(stale)


def test_a_key_the_stage_no_longer_lists_is_ignored_as_by_dvc(lock, dvc, params):
    dvc["stages"]["prepare"]["params"].remove("prepare.seed")
    params["prepare"]["seed"] = 1
    assert lock_status(lock, dvc, {"params.yaml": params}).is_current


def test_a_stage_missing_from_the_lock_is_reported(lock, dvc, params):
    del lock["stages"]["gate"]
    status = lock_status(lock, dvc, {"params.yaml": params})
    assert status.unlocked_stages == ("gate",)
    assert status.report() == ["dvc.lock: stage gate of dvc.yaml is not recorded in dvc.lock", FIX]


def test_without_a_lock_every_stage_is_unrecorded(dvc, params):
    status = lock_status(None, dvc, {"params.yaml": params})
    assert status.unlocked_stages == tuple(dvc["stages"])
    assert status.stale == ()


def test_a_missing_params_file_makes_every_recorded_value_gone(lock, dvc):
    stale = lock_status(lock, dvc, {"params.yaml": None}).stale
    assert {s.stage for s in stale} == set(dvc["stages"])
    assert all(s.current is MISSING and s.locked is not MISSING for s in stale)


def test_a_frozen_stage_is_skipped_as_by_dvc(lock, dvc, params):
    dvc["stages"]["prepare"]["frozen"] = True
    params["prepare"]["seed"] = 1
    assert lock_status(lock, dvc, {"params.yaml": params}).is_current


def test_a_whole_params_file_tracked_compares_every_top_level_key():
    dvc = {"stages": {"s": {"cmd": "x", "params": [{"other.yaml": None}]}}}
    lock = {"stages": {"s": {"params": {"other.yaml": {"a": 1, "b": {"c": 2}}}}}}
    files = {"other.yaml": {"a": 1, "b": {"c": 3}, "d": 4}}
    assert params_files_to_read(lock, dvc) == ["params.yaml", "other.yaml"]
    assert lock_status(lock, dvc, files).stale == (
        StaleParam("s", "other.yaml", "b.c", 2, 3),
        StaleParam("s", "other.yaml", "d", MISSING, 4),
    )


def test_generated_stages_compare_what_the_lock_recorded():
    dvc = {"stages": {"fit": {"foreach": ["a", "b"], "do": {"cmd": "x ${item}", "params": []}}}}
    lock = {
        "stages": {
            "fit@a": {"params": {"params.yaml": {"fit.a.rate": 0.1}}},
            "fit@b": {"params": {"params.yaml": {"fit.b.rate": 0.2}}},
        }
    }
    files = {"params.yaml": {"fit": {"a": {"rate": 0.1}, "b": {"rate": 0.3}}}}
    status = lock_status(lock, dvc, files)
    assert status.unlocked_stages == ()
    assert status.stale == (StaleParam("fit@b", "params.yaml", "fit.b.rate", 0.2, 0.3),)
    assert lock_status({"stages": {}}, dvc, files).unlocked_stages == ("fit",)
    dvc["stages"]["fit"]["do"]["params"] = ["fit.${item}.rate"]
    assert lock_status({"stages": {"fit@a": {}}}, dvc, files).stale == ()
    dvc["stages"]["fit"]["do"]["frozen"] = True
    assert lock_status(lock, dvc, files).is_current


def test_long_values_are_shortened_in_the_report():
    stale = StaleParam("s", "params.yaml", "k", list(range(100)), MISSING)
    assert len(str(stale)) < 250
    assert "..." in str(stale)
