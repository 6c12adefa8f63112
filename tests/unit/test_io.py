from __future__ import annotations

import json
import pickle
import zipfile

import numpy as np
import pytest

from mlgate import io
from mlgate.errors import DataError, ModelError
from mlgate.model.files import load_model, save_model


def test_atomic_write_leaves_nothing_behind_on_failure(tmp_path):
    target = tmp_path / "out" / "table.json"

    def interrupted_write():
        with io.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        interrupted_write()
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_atomic_write_replaces_existing_file(tmp_path):
    target = tmp_path / "m.json"
    io.write_json(target, {"b": 1, "a": 2})
    io.write_json(target, {"a": 3})
    assert json.loads(target.read_text()) == {"a": 3}
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]


def test_write_json_refuses_nan(tmp_path):
    with pytest.raises(ValueError, match="Out of range float"):
        io.write_json(tmp_path / "x.json", {"a": float("nan")})
    assert not (tmp_path / "x.json").exists()


def test_read_json_errors_name_the_file(tmp_path):
    with pytest.raises(DataError, match=r"missing\.json not found"):
        io.read_json(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(DataError, match=r"bad\.json is not valid JSON"):
        io.read_json(tmp_path / "bad.json")


def test_saved_model_bytes_do_not_depend_on_the_run(tmp_path, small_model, adult_sample, cfg):
    """Two separately fitted, identical models give identical files (ids and times normalised)."""
    from mlgate.model.estimators import fit_model
    from mlgate.model.preprocessing import features_and_labels

    small = small_model.get_params()["classifier"].get_params()
    twin = fit_model(
        adult_sample,
        data=cfg.data,
        preprocessing=cfg.prepare.preprocessing,
        cfg=cfg.train.model_copy(
            update={
                "hist_gradient_boosting": cfg.train.hist_gradient_boosting.model_copy(
                    update={"max_iter": small["max_iter"]}
                )
            }
        ),
    )
    save_model(tmp_path / "a.skops", small_model)
    save_model(tmp_path / "b.skops", twin)
    assert (tmp_path / "a.skops").read_bytes() == (tmp_path / "b.skops").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.skops") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    X, _ = features_and_labels(adult_sample, cfg.data)
    loaded = load_model(tmp_path / "a.skops")
    np.testing.assert_array_equal(loaded.predict_proba(X), small_model.predict_proba(X))


def test_load_refuses_a_pickle(tmp_path, small_model):
    path = tmp_path / "model.skops"
    path.write_bytes(pickle.dumps(small_model))
    with pytest.raises(ModelError, match="not a skops file"):
        load_model(path)


def test_load_refuses_types_off_the_allow_list(tmp_path):
    """An SVC is trusted by skops' defaults, but it is not a type mlgate builds: refused."""
    import skops.io as sio
    from sklearn.svm import SVC

    model = SVC().fit(np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 1, 0, 1]))
    path = tmp_path / "svc.skops"
    path.write_bytes(sio.dumps(model))
    with pytest.raises(ModelError, match=r"node \$ \(ObjectNode sklearn\.svm\._classes\.SVC\)"):
        load_model(path)


def test_load_refuses_corrupt_archives(tmp_path):
    path = tmp_path / "model.skops"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("weights.npy", b"")
    with pytest.raises(ModelError, match=r"not a skops file: it has no schema\.json"):
        load_model(path)


def test_load_missing_model(tmp_path):
    with pytest.raises(ModelError, match=r"not found\. Run the train stage"):
        load_model(tmp_path / "none.skops")


def test_a_killed_writer_leaves_a_hidden_temporary_that_the_next_write_removes(tmp_path):
    """kill -9 during a write: the destination is untouched, and the leftover goes next time."""
    import signal
    import subprocess
    import sys

    target = tmp_path / "model.skops"
    target.write_bytes(b"the previous model")
    code = (
        "import os, signal, sys\n"
        "from mlgate import io\n"
        "with io.atomic_path(sys.argv[1]) as tmp:\n"
        "    tmp.write_bytes(b'half a model')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run([sys.executable, "-c", code, str(target)], check=False)
    assert killed.returncode == -signal.SIGKILL
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "model.skops"]
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".model.skops.")
    assert target.read_bytes() == b"the previous model"
    io.write_bytes(target, b"the new model")
    assert [p.name for p in tmp_path.iterdir()] == ["model.skops"]
    assert target.read_bytes() == b"the new model"


def test_a_running_writers_temporary_is_left_alone(tmp_path):
    import os

    mine = tmp_path / f".model.skops.{os.getpid()}.abcd.tmp"
    mine.write_bytes(b"in progress")
    io.write_bytes(tmp_path / "model.skops", b"x")
    assert mine.exists()


def test_write_files_writes_all_or_nothing(tmp_path):
    from mlgate.errors import OutputError

    (tmp_path / "report").write_text("a file where the figures' folder should be")
    files = {tmp_path / "a.png": b"png", tmp_path / "report" / "b.png": b"png"}
    files[tmp_path / "report.md"] = b"# report"
    with pytest.raises(OutputError, match=r"cannot write .*report/b\.png: .*nothing was written"):
        io.write_files(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


@pytest.fixture
def umask():
    """Set the process umask for one test (``umask(0o022)``), restored afterwards."""
    import os

    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


def mode_of(path) -> int:
    import stat

    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)], ids=["022", "002", "077"]
)
def test_written_files_get_the_mode_the_umask_gives(tmp_path, umask, mask, mode):
    """They were 0600 whatever the umask (mkstemp's mode), unreadable by a group or a server."""
    umask(mask)
    (tmp_path / "replaced.json").write_bytes(b"old")
    (tmp_path / "replaced.json").chmod(0o600)
    io.write_bytes(tmp_path / "replaced.json", b"{}")
    io.write_json(tmp_path / "one.json", {})
    io.write_files({tmp_path / "two.md": b"#", tmp_path / "figures" / "roc.png": b"png"})
    with io.atomic_path(tmp_path / "three.parquet") as tmp:
        tmp.write_bytes(b"PAR1")
    for name in ("replaced.json", "one.json", "two.md", "figures/roc.png", "three.parquet"):
        assert mode_of(tmp_path / name) == mode, name


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o755), (0o077, 0o700)], ids=["022", "077"])
def test_a_folder_written_in_one_step_gets_the_mode_the_umask_gives(tmp_path, umask, mask, mode):
    """`mlgate predict --engine dask` writes its output folder whole (mkdtemp's 0700, before)."""
    from mlgate.distributed.predict import _replaced_folder

    umask(mask)
    with _replaced_folder(tmp_path / "scored") as folder:
        (folder / "part.0.parquet").write_bytes(b"PAR1")
    assert mode_of(tmp_path / "scored") == mode


def test_a_model_whose_input_has_only_infrequent_categories_loads(tmp_path, adult_sample, cfg):
    """An id-like category (every value once) is all infrequent: scikit-learn fits it, so can we."""
    from mlgate.model.estimators import fit_model

    frame = adult_sample.assign(ticket=[f"T{i}" for i in range(len(adult_sample))])
    data = cfg.data.model_copy(update={"categorical": (*cfg.data.categorical, "ticket")})
    model = fit_model(
        frame,
        data=data,
        preprocessing=cfg.prepare.preprocessing,
        cfg=cfg.train.model_copy(update={"estimator": "logistic_regression"}),
    )
    save_model(tmp_path / "m.skops", model)
    X = frame[list(data.features)]
    np.testing.assert_array_equal(
        load_model(tmp_path / "m.skops").predict_proba(X), model.predict_proba(X)
    )
