"""Records of model files that passed the probe, by SHA-256: ``.mlgate/probes/``.

A file is probed once (:mod:`mlgate.model.probe`); ``mlgate train`` records the file it writes
without probing it, since that process built the model. The folder holds the working copy's own
state: it ignores itself in git (its own ``.gitignore``), and a record is honoured only if git
does not track it and it was written under the same versions of Python, mlgate and the libraries
that load and score a model. A record committed by a pull request, or made under other code, is
not taken as a pass.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from mlgate import io
from mlgate.errors import OutputError
from mlgate.git import is_tracked

#: Where probe records are kept, relative to the project (the working folder of a command).
PROBE_CACHE = Path(".mlgate/probes")
#: The format of a record.
RECORD_FORMAT = "mlgate.probe/1"
#: The libraries whose versions decide what loading and scoring do.
_LIBRARIES = ("mlgate", "scikit-learn", "scipy", "numpy", "pandas", "skops")


def passed(cache: Path, data: bytes, extra_types: frozenset[str]) -> bool:
    """Whether ``cache`` holds an honoured record for the model file ``data``."""
    digest = hashlib.sha256(data).hexdigest()
    path = _record_path(cache, digest)
    if not path.is_file():
        return False
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return False
    expected = {
        "format": RECORD_FORMAT,
        "model_sha256": digest,
        "trusted_types": sorted(extra_types),
        "environment": environment(),
    }
    if not isinstance(record, dict) or any(record.get(k) != v for k, v in expected.items()):
        return False
    return not is_tracked(path)  # a record that came with a commit, not from this machine


def remember(
    cache: Path, data: bytes, extra_types: frozenset[str], *, outcome: str, details: dict
) -> None:
    """Record that the model file ``data`` was ``outcome`` (``probed`` or ``trained``) here."""
    digest = hashlib.sha256(data).hexdigest()
    record = {
        "format": RECORD_FORMAT,
        "model_sha256": digest,
        "outcome": outcome,
        "trusted_types": sorted(extra_types),
        "environment": environment(),
        **details,
    }
    try:
        # In the records' own folder: .mlgate/ also holds files that are committed
        # (allowed_signers).
        ignore = cache / ".gitignore"
        if not ignore.exists():
            io.write_bytes(
                ignore, b"# mlgate's local state (model probe records): not for git\n*\n"
            )
        io.write_json(_record_path(cache, digest), record)
    except OutputError:
        # A read-only working folder (a deployment image): the next run probes again, which is
        # slower but as safe.
        return


def environment() -> dict[str, str]:
    """The versions of Python and of the libraries that load and score a model."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in _LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


def _record_path(cache: Path, digest: str) -> Path:
    return cache / f"{digest}.json"
