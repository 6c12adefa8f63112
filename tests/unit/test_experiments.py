"""``mlgate.project.experiments``: each experiment's changed params, against its own baseline.

The rows have the shape ``dvc.api.exp_show()`` gives (dvc/repo/experiments/show.py): the
workspace first, typed ``baseline`` with ``rev`` ``"workspace"``; then each baseline commit, typed
``baseline``, followed by its experiments (``branch_commit``, the last ``branch_base``). After a
plain ``dvc exp run`` the workspace holds that experiment's params, so comparing with the
workspace row hides exactly the change the experiment made.
"""

from __future__ import annotations

import pytest

from mlgate.project import experiments
from mlgate.project.experiments import collect_experiments

PARAMS = {"train.learning_rate", "train.max_depth"}


def row(typ: str, rev: str, *, name: str = "", learning_rate: float, max_depth: float) -> dict:
    return {
        "Experiment": name or None,
        "rev": rev,
        "typ": typ,
        "Created": "10:00 AM",
        "parent": None,
        "State": None,
        "Executor": None,
        "roc_auc": 0.9,
        "train.learning_rate": learning_rate,
        "train.max_depth": max_depth,
    }


@pytest.fixture(autouse=True)
def no_git(monkeypatch):
    monkeypatch.setattr(experiments, "read_json_at", lambda rev, path: None)


def changed_by_name(rows):
    return {e.name: e.params for e in collect_experiments(rows, params=PARAMS)}


def test_an_experiment_the_workspace_holds_still_shows_its_change():
    rows = [
        # `dvc exp run -S train.learning_rate=0.2` left its params in the workspace.
        row("baseline", "workspace", learning_rate=0.2, max_depth=3),
        row("baseline", "main", learning_rate=0.1, max_depth=3),
        row("branch_commit", "aaaaaaa", name="faster", learning_rate=0.2, max_depth=3),
        row("branch_base", "bbbbbbb", name="deeper", learning_rate=0.1, max_depth=5),
    ]
    assert changed_by_name(rows) == {
        "faster": {"train.learning_rate": 0.2},
        "deeper": {"train.max_depth": 5},
    }


def test_each_experiment_is_compared_with_the_baseline_it_came_from():
    rows = [
        row("baseline", "workspace", learning_rate=0.1, max_depth=3),
        row("baseline", "main", learning_rate=0.1, max_depth=3),
        row("branch_base", "aaaaaaa", name="on-main", learning_rate=0.3, max_depth=3),
        row("baseline", "main~1", learning_rate=0.3, max_depth=4),
        row("branch_base", "bbbbbbb", name="on-parent", learning_rate=0.3, max_depth=3),
    ]
    assert changed_by_name(rows) == {
        "on-main": {"train.learning_rate": 0.3},
        "on-parent": {"train.max_depth": 3},
    }


def test_an_experiment_that_changed_nothing_shows_no_change():
    rows = [
        row("baseline", "workspace", learning_rate=0.5, max_depth=9),
        row("baseline", "main", learning_rate=0.1, max_depth=3),
        row("branch_base", "aaaaaaa", name="same", learning_rate=0.1, max_depth=3),
    ]
    assert changed_by_name(rows) == {"same": {}}
