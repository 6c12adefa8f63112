"""MLflow as a second registry: the same promotion, also recorded on an MLflow server.

The git tags stay the history (what was in production when, and on which evidence). On MLflow a
promotion logs a run (params, metrics with their intervals, the evidence files as artifacts),
registers a model version tagged with the commit and the evidence digest, and, once the tags
are pushed, moves the stage's alias (``champion`` for production) to it, recording each move as a
tag on the version. The logged model is code (:mod:`mlgate.registry.mlflow_model`) and the skops
file: nothing is pickled, and loading goes through mlgate's allow-list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlgate import io, paths
from mlgate.data.redaction import withheld_inputs
from mlgate.errors import ModelError, OutputError, RunError
from mlgate.model.files import load_model_bytes
from mlgate.provenance import mlgate_version
from mlgate.registry.evidence import EVIDENCE_FILES

if TYPE_CHECKING:
    from mlgate.config import Config
    from mlgate.config.registry import MlflowRegistryConfig, RegistryConfig

#: The models-from-code file MLflow stores and runs to load the model.
MODEL_CODE = Path(__file__).with_name("mlflow_model.py")
#: Rows of the test split stored with the model as its input example (and its signature).
EXAMPLE_ROWS = 5


@dataclass(frozen=True)
class MlflowVersion:
    """A registered model version on the MLflow server."""

    name: str
    version: str
    run_id: str | None

    def as_record(self) -> dict[str, str | None]:
        """What the git tag's record says of it."""
        return {"model_name": self.name, "version": self.version, "run_id": self.run_id}


def _client(uri: str) -> Any:
    import mlflow
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(uri)
    return MlflowClient(tracking_uri=uri)


def _failed(uri: str, exc: Exception) -> RunError:
    return RunError(f"the MLflow server at {uri} failed: {type(exc).__name__}: {exc}")


def find_version(client: Any, name: str, *, commit: str, digest: str) -> Any | None:
    """The version registered for ``commit`` with evidence ``digest``, if there is one."""
    query = f"name='{name}' and tags.`mlgate.evidence_digest`='{digest}'"
    found = [
        v for v in client.search_model_versions(query) if v.tags.get("mlgate.commit") == commit
    ]
    return max(found, key=lambda v: int(v.version)) if found else None


def register_version(cfg: Config, record: dict[str, Any], *, uri: str) -> MlflowVersion:
    """Log the run and register the model (once: a second call finds the first version)."""
    from mlflow.exceptions import MlflowException

    settings = cfg.registry.mlflow
    tags = {
        "mlgate.commit": record["commit"],
        "mlgate.version": record["version"],
        "mlgate.evidence_digest": record["evidence_digest"],
    }
    try:
        client = _client(uri)
        existing = find_version(
            client, settings.model_name, commit=record["commit"], digest=record["evidence_digest"]
        )
        if existing is not None:
            return MlflowVersion(settings.model_name, str(existing.version), existing.run_id)
        return _log_and_register(cfg, settings, record, tags)
    except (MlflowException, OSError) as exc:
        raise _failed(uri, exc) from exc


def _log_and_register(
    cfg: Config, settings: MlflowRegistryConfig, record: dict[str, Any], tags: dict[str, str]
) -> MlflowVersion:
    import mlflow

    mlflow.set_experiment(settings.experiment)
    with mlflow.start_run(run_name=f"{record['artifact']} {record['version']}") as run:
        mlflow.set_tags(tags)
        mlflow.log_params(_flat("train", cfg.train.model_dump(mode="json")))
        mlflow.log_metrics(_metrics(record.get("metrics") or {}))
        for path in EVIDENCE_FILES:
            if path.is_file():
                mlflow.log_artifact(str(path), artifact_path="evidence")
        info = mlflow.pyfunc.log_model(name="model", **model_arguments(cfg))
    registered = mlflow.register_model(info.model_uri, settings.model_name, tags=tags)
    return MlflowVersion(settings.model_name, str(registered.version), run.info.run_id)


def model_arguments(cfg: Config, *, model_file: Path = paths.MODEL) -> dict[str, Any]:
    """What MLflow stores for the model: code, skops file (``model_file``), config.

    The same for a logged model (:func:`register_version`) and a saved one
    (:func:`package_model`). The metadata records the SHA-256 of the code file and of the skops
    file, for people: what is verified when a package is served is the code file against
    mlgate's own (:mod:`mlgate.registry.mlflow_package`), and the skops file by the loader.
    """
    import hashlib

    import mlflow
    from mlflow.models import infer_signature

    rows = io.read_parquet(paths.INGESTED_TEST).loc[:, list(cfg.data.features)]
    example = rows.head(EXAMPLE_ROWS).reset_index(drop=True)
    # The example travels with the package and the registry: no withheld column's real values.
    for column in withheld_inputs(rows, cfg.data):
        example[column] = 0.0 if column in cfg.data.numeric else "(withheld)"
    return {
        "python_model": str(MODEL_CODE),
        "artifacts": {"model": str(model_file)},
        "model_config": {
            "labels": list(cfg.data.labels),
            "decision_threshold": cfg.evaluate.decision_threshold,
            "trusted_types": sorted(cfg.train.trusted_types),
        },
        "input_example": example,
        "signature": infer_signature(example),
        # Named, so that MLflow does not import the model to infer them.
        "pip_requirements": [f"mlgate=={mlgate_version()}", f"mlflow=={mlflow.__version__}"],
        "metadata": {
            "mlgate_version": mlgate_version(),
            "mlgate_code_sha256": hashlib.sha256(MODEL_CODE.read_bytes()).hexdigest(),
            "model_sha256": hashlib.sha256(Path(model_file).read_bytes()).hexdigest(),
        },
    }


def package_model(cfg: Config, output: Path) -> None:
    """Save the model as an MLflow model folder at ``output`` (for `mlflow models serve -m`).

    The model file is read once and loaded as every command loads it (audit, checks, probe):
    a file the loader refuses is not packaged, and the bytes packaged are the bytes it passed.
    Written beside ``output`` and renamed onto it once complete: a failure leaves nothing.

    Raises
    ------
    OutputError
        When ``output`` exists (MLflow does not write into a folder that holds files).
    ModelError
        When the model file is missing or the loader refuses it.
    """
    import shutil
    import tempfile

    import mlflow

    if output.exists():
        raise OutputError(f"{output} exists: name a new folder for the MLflow model.")
    if not paths.MODEL.is_file():
        raise ModelError(f"model file {paths.MODEL} not found. Run the pipeline (dvc repro).")
    data = paths.MODEL.read_bytes()
    load_model_bytes(data, source=str(paths.MODEL), extra_types=cfg.train.trusted_types)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        audited = staging / paths.MODEL.name
        audited.write_bytes(data)
        mlflow.pyfunc.save_model(str(staging / "model"), **model_arguments(cfg, model_file=audited))
        (staging / "model").rename(output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _flat(prefix: str, value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        flat: dict[str, str] = {}
        for key, item in value.items():
            flat.update(_flat(f"{prefix}.{key}", item))
        return flat
    return {prefix: json.dumps(value) if isinstance(value, list | tuple) else str(value)}


def _metrics(metrics: dict[str, Any]) -> dict[str, float]:
    logged = {}
    for name, entry in metrics.items():
        values = {name: entry.get("value"), f"{name}_ci_low": (entry.get("ci") or [None])[0]}
        values[f"{name}_ci_high"] = (entry.get("ci") or [None, None])[-1]
        logged.update({k: float(v) for k, v in values.items() if v is not None})
    return logged


def alias_for(registry: RegistryConfig, stage: str) -> str:
    """The alias a stage moves: ``registry.mlflow.alias`` for production, the stage's name else."""
    return registry.mlflow.alias if stage == registry.production_stage else stage


def move_alias(registry: RegistryConfig, record: dict[str, Any], *, stage: str, uri: str) -> str:
    """Point the stage's alias at the version ``record`` names; record the move on the version."""
    from mlflow.exceptions import MlflowException

    held = record.get("mlflow") or {}
    alias = alias_for(registry, stage)
    move = {
        "alias": alias,
        "git_tag_action": record.get("action"),
        "version": record.get("version"),
        "commit": record.get("commit"),
        "by": record.get("promoted_by"),
        "at": record.get("at"),
        "previous": record.get("previous"),
    }
    try:
        client = _client(uri)
        client.set_registered_model_alias(held["model_name"], alias, held["version"])
        client.set_model_version_tag(
            held["model_name"],
            held["version"],
            f"mlgate.alias.{alias}.{record.get('promotion_id')}",
            json.dumps(move, sort_keys=True),
        )
    except (MlflowException, OSError) as exc:
        raise _failed(uri, exc) from exc
    return f"{held['model_name']}@{alias} -> version {held['version']}"
