"""A DVC output at a git revision: one error kind whatever DVC raises, and the lock's MD5."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mlgate.errors import ModelError, RunError
from mlgate.revisions import OutputUnavailable, locked_md5, read_output_bytes

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    subprocess.run([*GIT, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "dvc.lock").write_text(
        "schema: '2.0'\nstages:\n  train:\n    outs:\n    - path: models/model.skops\n"
        "      md5: 0123456789abcdef0123456789abcdef\n      size: 3\n"
    )
    subprocess.run([*GIT, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "commit", "-qm", "lock"], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_lock_names_the_md5_of_each_output(repo):
    assert locked_md5("HEAD") == "0123456789abcdef0123456789abcdef"
    with pytest.raises(ModelError, match="records no MD5 for it"):
        locked_md5("HEAD", Path("models/fingerprint.json"))


def test_an_output_dvc_cannot_serve_is_one_error_naming_what_dvc_raised(repo):
    # Not a DVC project, and no cache: DVC raises its own kind; the reader sees one.
    with pytest.raises(OutputUnavailable) as raised:
        read_output_bytes("HEAD")
    assert isinstance(raised.value, RunError)  # exit 3: something could not run
    assert str(raised.value).startswith(
        "models/model.skops at HEAD is not in the DVC cache or remote ("
    )
    assert raised.value.kind
    assert raised.value.kind in str(raised.value)
