"""Who acts on the registry, and which version a promotion asks for: small records for actions."""

from __future__ import annotations

from dataclasses import dataclass

from mlgate.errors import ConfigError


@dataclass(frozen=True)
class Acting:
    """Who writes the registry's tags.

    Attributes
    ----------
    actor : str
        Who the record names (``promoted_by``): the CI actor, else the git user.
    author : (str, str)
        The tagger's name and email.
    signing_key : str or None
        The SSH key that signs the tags; None leaves them unsigned (``--allow-unsigned``).
    """

    actor: str
    author: tuple[str, str]
    signing_key: str | None


@dataclass(frozen=True)
class VersionRequest:
    """The version a promotion asks for: one given (``--version``), a part to bump, or neither.

    Raises
    ------
    ConfigError
        When both are given.
    """

    version: str | None = None
    bump: str | None = None

    def __post_init__(self) -> None:
        if self.version is not None and self.bump is not None:
            raise ConfigError("--version and --bump exclude each other: give one, or neither.")
