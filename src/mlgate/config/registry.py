"""The ``registry`` section: where promoted models are recorded, and who may be promoted."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from mlgate.config.base import Section

#: GTO's rule for an artifact or stage name (``gto.constants.name``): letters, digits, ``-_/``.
NAME_PATTERN = r"^[a-zA-Z0-9]([a-zA-Z0-9\-/_]*[a-zA-Z0-9])?$"


class MlflowRegistryConfig(Section):
    """The MLflow model registry (``registry.mlflow``), used when ``backend: mlflow``."""

    tracking_uri: str | None = Field(
        None,
        description="The MLflow tracking server (http://host:port). Empty: the MLFLOW_TRACKING_URI "
        "environment variable.",
    )
    model_name: str = Field("mlgate-model", min_length=1, description="The registered model.")
    experiment: str = Field("mlgate", min_length=1, description="Where promotion runs are logged.")
    alias: str = Field(
        "champion",
        pattern=r"^[A-Za-z_][A-Za-z0-9_-]*$",
        description="The alias moved to a version once the gate passes: the served model.",
    )


class RegistryConfig(Section):
    """Promotion (``registry:`` in ``params.yaml``): ``mlgate promote``, ``mlgate registry``."""

    backend: Literal["gto", "mlflow"] = Field(
        "gto",
        description="gto: git tags only. mlflow: also register the version on an MLflow server "
        "and move its alias; the git tags are written either way (they are the history).",
    )
    artifact: str = Field(
        "model", pattern=NAME_PATTERN, description="The artifact's name in dvc.yaml's artifacts:."
    )
    stages: tuple[str, ...] = Field(
        ("staging", "prod"),
        min_length=1,
        description="The stages a version can be assigned to; any other is refused.",
    )
    production_stage: str = Field(
        "prod",
        description="The stage that is production: its model is the champion the comparison "
        "checks use, and its alias on MLflow is registry.mlflow.alias.",
    )
    protected_branch: str | None = Field(
        "main",
        min_length=1,
        description="Only commits on this branch (as the remote has it) can be promoted. "
        "Empty: any commit.",
    )
    remote: str | None = Field(
        "origin",
        min_length=1,
        description="The git remote that holds the tags: fetched before, pushed after. Empty: "
        "a local repository only.",
    )
    allowed_signers: str = Field(
        ".mlgate/allowed_signers",
        min_length=1,
        description="Who may sign the registry's tags: git's allowed_signers file (ssh-keygen's "
        "format), read as committed on the protected branch, never from the working folder. A "
        "key's principals name what it may do: mlgate:register, mlgate:stage:<stage>.",
    )
    mlflow: MlflowRegistryConfig = MlflowRegistryConfig()

    @field_validator("allowed_signers")
    @classmethod
    def _inside_the_repository(cls, value: str) -> str:
        parts = value.split("/")
        if value.startswith("/") or ".." in parts or any(ord(c) < 32 for c in value):
            raise ValueError(
                f"{value!r} must be a path inside the repository (relative, no '..', no control "
                "characters), e.g. .mlgate/allowed_signers"
            )
        return value

    @model_validator(mode="after")
    def _stages_named_and_known(self) -> RegistryConfig:
        bad = [s for s in self.stages if not re.match(NAME_PATTERN, s)]
        if bad:
            raise ValueError(
                f"stages {bad} are not valid stage names: letters, digits, '-', '_', "
                "'/', starting and ending with a letter or digit"
            )
        if len(set(self.stages)) != len(self.stages):
            raise ValueError(f"stages lists a stage twice: {list(self.stages)}")
        if self.production_stage not in self.stages:
            raise ValueError(
                f"production_stage {self.production_stage!r} is not one of stages "
                f"{list(self.stages)}"
            )
        return self
