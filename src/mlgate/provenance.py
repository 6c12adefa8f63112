"""What evidence and models were made from: data and code hashes, params, library versions.

Nothing here embeds the time: two runs on the same inputs write the same model card.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata

from mlgate import io, paths
from mlgate.code_closure import PACKAGE_DIR, closure_files
from mlgate.config import Config

#: The command that computes the checks' evidence. Every file it imports (its static import
#: closure, :mod:`mlgate.code_closure`) is hashed into the evidence, so that evidence made by other
#: code is stale; the ``check`` stage in ``dvc.yaml`` lists the same files (a test says so).
EVIDENCE_COMMAND = "mlgate.cli.check"

#: Files every command imports that decide which function runs, not what the checks compute (the
#: command table, the exit-code mapping): a new command changes no evidence, and no stage lists
#: them. Hashing them made evidence "stale" that `dvc status` called current.
DISPATCH_ONLY = frozenset({"cli/__init__.py", "cli/app.py"})

#: Distributions whose versions decide what a saved model computes.
KEY_LIBRARIES = ("mlgate", "scikit-learn", "numpy", "scipy", "pandas", "pyarrow", "skops")


def library_versions() -> dict[str, str]:
    """Return the versions of Python and of :data:`KEY_LIBRARIES`."""
    # Python's minor version only: a patch release changes no result, and recording it made the
    # model card (a DVC output) differ between machines with 3.11.2 and 3.11.7.
    major, minor, _ = platform.python_version_tuple()
    versions = {"python": f"{major}.{minor}"}
    for name in KEY_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def checks_params_sha256(cfg: Config) -> str:
    """SHA-256 of the params a check verdict depends on: ``data``, ``checks``, the threshold.

    The gate compares it with the value recorded in ``reports/checks.json`` to refuse evidence
    computed under other params.
    """
    payload = {
        "data": cfg.data.model_dump(mode="json"),
        "checks": cfg.model_dump(mode="json", include={"checks"})["checks"],
        "decision_threshold": cfg.evaluate.decision_threshold,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def mlgate_version() -> str:
    """The installed mlgate's version."""
    try:
        return metadata.version("mlgate")
    except metadata.PackageNotFoundError:
        return "not installed"


def evidence_code_sha256() -> str:
    """SHA-256 over the code of :data:`EVIDENCE_COMMAND`: each file's path, then its bytes.

    The files are those the ``check`` stage lists in ``dvc.yaml``: :data:`DISPATCH_ONLY` is left
    out of both.
    """
    digest = hashlib.sha256()
    for path in closure_files(EVIDENCE_COMMAND):
        name = path.relative_to(PACKAGE_DIR).as_posix()
        if name in DISPATCH_ONLY:
            continue
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(cfg: Config) -> dict:
    """What evidence is about, as the files are now: what ``check`` records and ``gate`` compares.

    Hashes of the model, the ingested data, the checks' params and the code that makes the
    evidence, and the mlgate that ran.
    """
    return {
        "model_sha256": io.file_sha256(paths.MODEL) if paths.MODEL.is_file() else None,
        "data_sha256": {
            str(p): io.file_sha256(p) if p.is_file() else "missing"
            for p in (paths.INGESTED_TRAIN, paths.INGESTED_TEST)
        },
        "params_sha256": checks_params_sha256(cfg),
        "code_sha256": evidence_code_sha256(),
        "mlgate_version": mlgate_version(),
    }
