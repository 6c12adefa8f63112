"""Models saved by earlier mlgate releases still load, through the same audit, and score the same.

``mitigated-0.1.0.skops`` was saved by mlgate 0.1.0, when the mitigated model's class lived in
``mlgate.mitigation`` (today ``mlgate.model.mitigation``): a champion in a team's DVC cache was
saved that way, and the comparison checks load it.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlgate.errors import ModelError
from mlgate.model.files import load_model, load_model_bytes, save_model
from mlgate.model.mitigation import MitigatedModel
from mlgate.model.trusted import LEGACY_MITIGATED_MODEL

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "models"
SAVED_BY_0_1_0 = FIXTURES / "mitigated-0.1.0.skops"


@pytest.fixture(scope="module")
def recorded():
    return json.loads((FIXTURES / "mitigated-0.1.0.json").read_text())


def test_the_fixture_names_the_old_import_path():
    assert f'"__module__": "{LEGACY_MITIGATED_MODEL.rpartition(".")[0]}"'.encode() in (
        SAVED_BY_0_1_0.read_bytes()
    )


def test_a_mitigated_model_saved_by_0_1_0_loads_and_scores_as_it_did(recorded):
    model = load_model(SAVED_BY_0_1_0)
    assert isinstance(model, MitigatedModel)
    rows = pd.DataFrame(recorded["rows"])
    np.testing.assert_allclose(
        model.predict_proba(rows)[:, 1], recorded["scores"], rtol=0, atol=1e-12
    )


def test_saved_again_it_names_the_new_path(tmp_path):
    again = tmp_path / "model.skops"
    save_model(again, load_model(SAVED_BY_0_1_0))
    data = again.read_bytes()
    assert b'"mlgate.model.mitigation"' in data
    assert b'"mlgate.mitigation"' not in data
    assert isinstance(load_model_bytes(data, source="resaved"), MitigatedModel)


def with_schema_edited(data: bytes, old: bytes, new: bytes) -> bytes:
    """The archive ``data`` with ``old`` replaced by ``new`` in its schema.json, re-zipped."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["schema.json"] = members["schema.json"].replace(old, new)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_the_old_path_is_no_wider_door_than_the_new_one():
    """Only the one class moved: any other name under the old module is refused."""
    data = with_schema_edited(SAVED_BY_0_1_0.read_bytes(), b'"MitigatedModel"', b'"Unlisted"')
    with pytest.raises(ModelError, match=r"mlgate\.mitigation\.Unlisted"):
        load_model_bytes(data, source="doctored")
