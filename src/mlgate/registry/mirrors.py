"""The registry's backend seam: GTO's signed git tags are the record; a mirror follows them.

A promotion or a rollback writes, signs, verifies and pushes GTO tags (:mod:`.actions`); a mirror
is told twice: before the tags are written (``register``: it may refuse, and what it returns is
kept in the tag's record, so the tag names the mirror's version) and after they are pushed
(``follow``: the stage now held by the tags, mirrored). A mirror never decides anything: the tags
and their proofs do. ``registry.backend`` chooses one: ``gto`` (no mirror), ``mlflow``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from mlgate.errors import ConfigError, RunError
from mlgate.registry.mlflow_backend import move_alias, register_version

if TYPE_CHECKING:
    from mlgate.config import Config
    from mlgate.registry.state import Event


class RegistryMirror(Protocol):
    """What a registry backend does beside the tags."""

    #: The record key under which a tag keeps what :meth:`register` returned (None: nothing).
    record_key: str | None

    def register(self, record: dict[str, Any]) -> dict[str, Any] | None:
        """Register the version ``record`` describes; what the tag should remember of it."""

    def follow(self, stage: str, holder: Event | None) -> str | None:
        """Mirror that ``stage`` is now held by ``holder`` (its tag); a line to show."""


class GtoOnly:
    """``registry.backend: gto``: the tags are the whole registry."""

    record_key = None

    def register(self, record: dict[str, Any]) -> dict[str, Any] | None:  # noqa: D102
        return None

    def follow(self, stage: str, holder: Event | None) -> str | None:  # noqa: D102
        return None


@dataclass(frozen=True)
class MlflowMirror:
    """``registry.backend: mlflow``: a model version per registration, an alias per stage."""

    cfg: Config
    tracking_uri: str
    record_key = "mlflow"

    def register(self, record: dict[str, Any]) -> dict[str, Any] | None:
        """Log the run and register the model version once (a second call finds the first)."""
        return register_version(self.cfg, record, uri=self.tracking_uri).as_record()

    def follow(self, stage: str, holder: Event | None) -> str | None:
        """Move the stage's alias to the version the tags put there."""
        record = {} if holder is None else holder.record or {}
        if self.record_key not in record:
            raise RunError(
                f"{stage} is held by {holder.tag if holder else 'nothing'}, which was promoted "
                "without MLflow: promote a version with registry.backend: mlflow to give the "
                "alias one."
            )
        return "MLflow: " + move_alias(
            self.cfg.registry, record, stage=stage, uri=self.tracking_uri
        )


def mirror_for(cfg: Config, *, tracking_uri: str | None) -> RegistryMirror:
    """The mirror ``registry.backend`` names, with its server (params first, then the option)."""
    if cfg.registry.backend != "mlflow":
        return GtoOnly()
    uri = cfg.registry.mlflow.tracking_uri or tracking_uri
    if not uri:
        raise ConfigError(
            "registry.backend is mlflow, but no tracking server is named: set "
            "registry.mlflow.tracking_uri in params.yaml or the MLFLOW_TRACKING_URI variable."
        )
    return MlflowMirror(cfg, uri)
