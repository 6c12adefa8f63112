"""Model files are untrusted input: every crafted file is refused before it can run code.

The corpus (``tests/security/corpus.py``) is built in code from genuine models. Against the loader
this replaced, three of its files ran code chosen by the file (``ndarray.tofile`` through a dict's
key type, the same riding inside a working model, and ``builtins.exec`` through a protocol-0
function node); others crashed with exit 3 or loaded a tree that reads out of bounds.
"""

from __future__ import annotations

import numpy as np
import pytest

from mlgate.errors import ModelError
from mlgate.model.files import load_model, normalize_skops, save_model
from mlgate.model.probe_run import probe_batch, score_probe
from tests.security.corpus import ATTACKS, EXPECTED, FOREST_ATTACKS, LOGISTIC_ATTACKS


@pytest.fixture(scope="module")
def models(adult_sample, cfg, small_model):
    """Genuine model bytes: the small boosting pipeline, a small random forest, a logistic one."""
    import skops.io as sio

    from mlgate.model.estimators import fit_model

    forest_cfg = cfg.train.model_copy(
        update={
            "estimator": "random_forest",
            "random_forest": cfg.train.random_forest.model_copy(update={"n_estimators": 3}),
        }
    )
    logistic_cfg = cfg.train.model_copy(update={"estimator": "logistic_regression"})
    fitted = {
        kind: fit_model(
            adult_sample, data=cfg.data, preprocessing=cfg.prepare.preprocessing, cfg=train_cfg
        )
        for kind, train_cfg in (("forest", forest_cfg), ("logistic", logistic_cfg))
    }
    return {
        "boosting": normalize_skops(sio.dumps(small_model)),
        **{kind: normalize_skops(sio.dumps(model)) for kind, model in fitted.items()},
    }


CORPUS = [(name, "boosting", build) for name, build in ATTACKS.items()]
CORPUS += [(name, "forest", build) for name, build in FOREST_ATTACKS.items()]
CORPUS += [(name, "logistic", build) for name, build in LOGISTIC_ATTACKS.items()]


@pytest.mark.parametrize(("name", "kind", "build"), CORPUS, ids=[c[0] for c in CORPUS])
def test_every_crafted_file_is_refused_naming_its_culprit(tmp_path, models, name, kind, build):
    marker = tmp_path / "marker"
    path = tmp_path / "model.skops"
    path.write_bytes(build(models[kind], marker))
    with pytest.raises(ModelError, match=EXPECTED[name]) as refused:
        load_model(path)
    assert str(path) in str(refused.value)
    assert not marker.exists()


def test_the_corpus_names_an_expected_refusal_for_every_file():
    assert set(EXPECTED) == set(ATTACKS) | set(FOREST_ATTACKS) | set(LOGISTIC_ATTACKS)


@pytest.mark.parametrize(
    ("estimator", "mitigation", "encoding"),
    [
        ("logistic_regression", "none", "onehot"),
        ("logistic_regression", "exponentiated_gradient", "onehot"),
        ("random_forest", "none", "ordinal"),
        ("random_forest", "threshold_optimizer", "onehot"),
        ("hist_gradient_boosting", "none", "ordinal"),
        ("hist_gradient_boosting", "threshold_optimizer", "onehot"),
    ],
)
def test_every_model_mlgate_trains_passes_the_audit_and_scores_the_same(
    tmp_path, adult_sample, cfg, estimator, mitigation, encoding
):
    """The allow-lists and the bookkeeping checks pass everything ``mlgate train`` builds."""
    from mlgate.model.estimators import fit_model
    from mlgate.model.preprocessing import features_and_labels

    mitigation_cfg = cfg.train.mitigation
    eg = mitigation_cfg.exponentiated_gradient.model_copy(update={"max_iter": 3})
    train_cfg = cfg.train.model_copy(
        update={
            "estimator": estimator,
            "random_forest": cfg.train.random_forest.model_copy(update={"n_estimators": 5}),
            "hist_gradient_boosting": cfg.train.hist_gradient_boosting.model_copy(
                update={"max_iter": 10}
            ),
            "mitigation": mitigation_cfg.model_copy(
                update={"method": mitigation, "exponentiated_gradient": eg}
            ),
        }
    )
    preprocessing = cfg.prepare.preprocessing.model_copy(update={"categorical_encoding": encoding})
    rows = adult_sample.iloc[:2000]
    model = fit_model(
        rows,
        data=cfg.data,
        preprocessing=preprocessing,
        cfg=train_cfg,
        validation=adult_sample.iloc[2000:],
    )
    save_model(tmp_path / "model.skops", model, probe_cache=tmp_path / "probes")
    X, _ = features_and_labels(adult_sample.iloc[2000:], cfg.data)
    loaded = load_model(tmp_path / "model.skops", probe_cache=tmp_path / "probes")
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    # The probe's rows (unseen categories, missing values, extremes) score with every kind too.
    score_probe(loaded, probe_batch(loaded))


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    """A valid skops file of a plain dict: everything in it allowed, but it is no model."""
    import skops.io as sio

    path = tmp_path / "model.skops"
    path.write_bytes(normalize_skops(sio.dumps({"a": 1})))
    with pytest.raises(ModelError, match=r"node \$ \(DictNode builtins\.dict\) is not a model"):
        load_model(path)
