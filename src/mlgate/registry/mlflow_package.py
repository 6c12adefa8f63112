"""An MLflow model folder that ``mlgate package`` wrote, verified before anything in it runs.

An MLflow model is code: loading it runs the file its ``MLmodel`` names (``model_code_path``),
imports the module it names (``loader_module``) from a folder it may add to the import path
(``code``), or unpickles what it names. Whoever can edit the folder runs code wherever it is
loaded, and ``mlflow models serve`` loads it as it is. So mlgate loads a package only through
:func:`load_package` (``mlgate serve``), which copies it to a private folder (no file can change
between the check and the load) and refuses it unless (:func:`verify_package`):

- it holds plain files only, and ``MLmodel`` (read with PyYAML's ``safe_load``, as MLflow reads
  it) has the one ``python_function`` flavour mlgate writes: MLflow's models-from-code loader,
  ``mlflow_model.py`` as the code, no ``code`` folder, no pickle, the one skops artifact, and a
  configuration naming no trusted type the server was not told to trust;
- its ``mlflow_model.py`` is byte for byte this mlgate's own (:data:`MODEL_CODE`, by SHA-256);
- its ``artifacts/model.skops`` passes mlgate's loader (:func:`mlgate.model.files.load_model`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from mlgate.errors import ModelError
from mlgate.model.files import load_model
from mlgate.provenance import mlgate_version
from mlgate.registry.mlflow_backend import MODEL_CODE

#: The code file in a package, and the skops file, as mlgate writes them.
CODE_FILE = MODEL_CODE.name
ARTIFACT = "artifacts/model.skops"
#: The loaders MLflow names for a models-from-code flavour (3.x, and 2.x before it).
_LOADERS = ("mlflow.pyfunc.loaders.code_model", "mlflow.pyfunc.model")
#: Every key MLflow writes in the flavour for a models-from-code model; any other is refused.
_FLAVOR_KEYS = frozenset(
    {
        "artifacts",
        "cloudpickle_version",
        "code",
        "config",
        "env",
        "loader_module",
        "model_code_path",
        "python_version",
        "streamable",
    }
)
_CONFIG_KEYS = frozenset({"labels", "decision_threshold", "trusted_types"})


def code_sha256() -> str:
    """The SHA-256 of this mlgate's models-from-code file, the one every package must hold."""
    return hashlib.sha256(MODEL_CODE.read_bytes()).hexdigest()


def verify_package(
    folder: Path, *, trusted_types: frozenset[str] = frozenset(), name: str | None = None
) -> None:
    """Raise :class:`ModelError` unless ``folder`` is a package mlgate wrote, unedited.

    Parameters
    ----------
    folder : Path
        The MLflow model folder.
    trusted_types : frozenset of str
        Types the package's configuration may add to the allow-list (``--trusted-type``).
    name : str, optional
        How to name the folder in messages (the original of a private copy).
    """
    shown = Path(name) if name is not None else folder
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            raise ModelError(
                f"{shown / path.relative_to(folder)} is not a plain file: a package mlgate "
                "writes holds plain files only."
            )
    flavor = _flavor(folder / "MLmodel", shown=shown / "MLmodel", trusted_types=trusted_types)
    code = folder / CODE_FILE
    digest = hashlib.sha256(code.read_bytes()).hexdigest() if code.is_file() else "absent"
    if digest != code_sha256():
        raise ModelError(
            f"{shown / CODE_FILE} is not mlgate's own models-from-code file (its SHA-256 is "
            f"{digest}; mlgate {mlgate_version()}'s is {code_sha256()}). MLflow runs this file "
            "when it loads the package, so an edited one runs its edits: refused. Package the "
            "model again with this mlgate (mlgate package)."
        )
    extra = frozenset(flavor.get("config", {}).get("trusted_types") or ())
    try:
        load_model(folder / ARTIFACT, extra_types=extra)
    except ModelError as exc:
        raise ModelError(str(exc).replace(str(folder), str(shown))) from None


def _flavor(path: Path, *, shown: Path, trusted_types: frozenset[str]) -> dict[str, Any]:
    import yaml

    def refuse(message: str) -> ModelError:
        return ModelError(f"{shown}: {message}. Refusing the package: mlgate never writes that.")

    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))  # as MLflow reads it
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise refuse(f"not a readable MLmodel file ({type(exc).__name__})") from None
    flavors = meta.get("flavors") if isinstance(meta, dict) else None
    if not isinstance(flavors, dict) or list(flavors) != ["python_function"]:
        found = sorted(flavors) if isinstance(flavors, dict) else flavors
        raise refuse(f"flavors is {found!r}, not the one python_function flavour")
    flavor = flavors["python_function"]
    if not isinstance(flavor, dict):
        raise refuse("flavors.python_function is not a mapping")
    key = "flavors.python_function"
    unknown = sorted(set(flavor) - _FLAVOR_KEYS)
    if unknown:
        raise refuse(f"{key} has keys mlgate never writes: {unknown}")
    if flavor.get("code") is not None:
        raise refuse(f"{key}.code: {flavor['code']!r} adds a folder to the import path")
    if flavor.get("loader_module") not in _LOADERS:
        raise refuse(
            f"{key}.loader_module is {flavor.get('loader_module')!r}, not MLflow's "
            "models-from-code loader"
        )
    code_path = flavor.get("model_code_path")
    # MLflow loads the file of this name in the package's folder (os.path.basename).
    base = os.path.basename(code_path) if isinstance(code_path, str) else code_path
    if base != CODE_FILE:
        raise refuse(f"{key}.model_code_path names {base!r}, not {CODE_FILE}")
    if flavor.get("streamable") not in (None, False):
        raise refuse(f"{key}.streamable is {flavor.get('streamable')!r}")
    artifacts = flavor.get("artifacts")
    if not (
        isinstance(artifacts, dict)
        and list(artifacts) == ["model"]
        and isinstance(artifacts["model"], dict)
        and artifacts["model"].get("path") == ARTIFACT
    ):
        raise refuse(f"{key}.artifacts is not the one skops file mlgate packages ({ARTIFACT})")
    config = flavor.get("config") or {}
    if not isinstance(config, dict) or not set(config) <= _CONFIG_KEYS:
        raise refuse(f"{key}.config holds other keys than {sorted(_CONFIG_KEYS)}")
    trusted = config.get("trusted_types") or []
    if not isinstance(trusted, list) or not all(isinstance(t, str) for t in trusted):
        raise refuse(f"{key}.config.trusted_types is not a list of type names")
    untrusted = sorted(set(trusted) - trusted_types)
    if untrusted:
        raise refuse(
            f"{key}.config.trusted_types lists {untrusted}, which --trusted-type does not name: "
            "skops would build those types from the file"
        )
    return flavor


def load_package(model: str | Path, *, trusted_types: frozenset[str] = frozenset()) -> Any:
    """Verify the package at ``model``, then load it with MLflow: a ``PyFuncModel``.

    ``model`` is a folder or an MLflow URI (``models:/mlgate-model@champion``). The package is
    first copied (or downloaded) into a private folder, and that copy is verified and loaded, so
    that no file can change between the check and MLflow reading it.

    Raises
    ------
    ModelError
        When the package is not one mlgate wrote, or was edited (:func:`verify_package`).
    """
    import mlflow

    private = Path(tempfile.mkdtemp(prefix="mlgate-package-"))  # readable by this user only
    try:
        copy = private / "model"
        if Path(model).is_dir():
            shutil.copytree(model, copy, symlinks=True)
        elif "://" in str(model) or str(model).startswith("models:/"):
            copy = Path(mlflow.artifacts.download_artifacts(str(model), dst_path=str(private)))
        else:
            raise ModelError(f"{model} is neither an MLflow model folder nor an MLflow URI.")
        verify_package(copy, trusted_types=trusted_types, name=str(model))
        return mlflow.pyfunc.load_model(str(copy))
    finally:
        # The loaded model holds what it needs in memory (the skops model, the configuration).
        shutil.rmtree(private, ignore_errors=True)


def serve_model(model: Any, *, host: str, port: int) -> None:
    """Serve a loaded package with MLflow's own scoring server (``/invocations``, ``/ping``)."""
    import uvicorn
    from mlflow.pyfunc import scoring_server

    uvicorn.run(scoring_server.init(model), host=host, port=port, log_level="warning")
