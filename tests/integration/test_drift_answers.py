"""`mlgate check --current` and `mlgate monitor` agree on which inputs of a batch moved materially.

They answer two questions (docs/explanation/drift.md): the check suite gates one batch against
the training rows (is it significantly different; is a feature's PSI over `drift.psi`'s warning
level, or its limit), monitoring judges a stream against the fingerprint (did something change by
more than `monitor.min_psi`, with evidence gathered over runs). The template sets the warning level
and the floor alike (0.1), so on the example batches the `examples` stage draws (a clean one, a
covariate shift, a prior shift, a concept shift), the features each names as materially drifted
are the same: none, `age`, none, none.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.integration.registry_repo import run

pytestmark = [pytest.mark.slow, pytest.mark.integration]

BATCHES = ("uniform", "covariate", "prior", "concept")


@pytest.fixture(scope="module")
def answers(seed, tmp_path_factory):
    """Each example batch of the reproduced template judged both ways, in a copy of it."""
    project = tmp_path_factory.mktemp("drift") / "project"
    shutil.copytree(seed, project, ignore=shutil.ignore_patterns("cache"), symlinks=True)
    found = {}
    for name in BATCHES:
        batch = f"data/examples/{name}.parquet"
        run(project, "mlgate", "check", "--current", batch, "--suite", "drift", "--no-fail")
        checks = json.loads((project / "reports/batch_checks.json").read_text())
        run(project, "mlgate", "monitor", batch, check=False)
        monitored = json.loads((project / f"reports/monitor/{name}.json").read_text())
        found[name] = (checks, monitored)
    return found


def check_result(checks: dict, check_id: str) -> dict:
    return next(r for r in checks["results"] if r["id"] == check_id)


@pytest.mark.parametrize(
    ("name", "moved"), [("uniform", []), ("covariate", ["age"]), ("prior", []), ("concept", [])]
)
def test_both_name_the_same_materially_drifted_inputs(answers, name, moved):
    checks, monitored = answers[name]
    psi = check_result(checks, "drift.psi")
    material = sorted({*psi["details"]["over_limit"], *psi["details"]["warned"]})
    assert material == moved, psi["summary"]
    assert sorted(monitored["tests"]["data_drift"]["drifted"]) == moved


@pytest.mark.parametrize("name", ["uniform", "concept"])
def test_a_batch_whose_inputs_did_not_move_passes_both(answers, name):
    checks, monitored = answers[name]
    assert check_result(checks, "drift.features")["status"] == "pass"
    assert monitored["tests"]["data_drift"]["status"] == "pass"
