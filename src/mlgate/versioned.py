"""Versioned files: the typed models of the files that join computing, deciding and rendering.

mlgate's stages talk through files (``reports/checks.json``, ``reports/gate.json``,
``models/fingerprint.json``, the monitor's evidence, the record in a promotion tag). Each carries
its format, a name and a version, and each has a pydantic model (:class:`VersionedFile`) that is
both its reader's check and the JSON Schema the documentation publishes. A reader asks
:func:`read_versioned`, which refuses, with a message naming the file:

- a file of another format, or of another version of the same format (an older file is one an
  earlier mlgate wrote: the message says how to write it again);
- a file of this version whose keys or values the model does not accept: the message names the
  first few keys (``features.age.counts``) and what was expected.

The models are strict: JSON has no other way to say an integer than an integer, so ``"3"`` is
not 3 and ``true`` is not 1; a key the model does not know is refused, since a new key is a new
version. Writers keep writing their own bytes (and call :func:`check_written`, so a malformed file
is never left behind); the models only read, so no file's bytes depend on pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from mlgate.errors import DataError

#: How many of a file's problems a message lists before saying how many more there are.
SHOWN_PROBLEMS = 3


class Strict(BaseModel):
    """A part of a versioned file: strict types, no unknown keys, immutable once read."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


@dataclass(frozen=True)
class FileFormat:
    """A format's name and version, and how a file of it records them.

    Attributes
    ----------
    name : str
        ``mlgate.<what>``.
    version : int
        Raised whenever a key is added, removed or changes meaning.
    style : ``"text"`` or ``"mapping"``
        ``"mlgate.fingerprint/1"`` (text) or ``{"name": "mlgate.checks", "version": 2}``.
    key : str
        The key the file holds it under (``format``; ``schema`` in a promotion tag's record).
    """

    name: str
    version: int
    style: Literal["text", "mapping"] = "text"
    key: str = "format"

    @property
    def recorded(self) -> Any:
        """The value a file of this format holds under :attr:`key`."""
        if self.style == "mapping":
            return {"name": self.name, "version": self.version}
        return f"{self.name}/{self.version}"

    def found_in(self, document: Any) -> tuple[str | None, int | None]:
        """The format name and version ``document`` records (None where it records none)."""
        if not isinstance(document, dict):
            return None, None
        recorded = document.get(self.key)
        if isinstance(recorded, dict):
            name, version = recorded.get("name"), recorded.get("version")
        elif isinstance(recorded, str) and "/" in recorded:
            name, _, number = recorded.rpartition("/")
            version = int(number) if number.isdigit() else None
        else:
            return None, None
        name = name if isinstance(name, str) else None
        version = version if isinstance(version, int) and not isinstance(version, bool) else None
        return name, version


class VersionedFile(Strict):
    """A whole versioned file; subclasses set :attr:`FORMAT` and declare the format's key."""

    FORMAT: ClassVar[FileFormat]


Model = TypeVar("Model", bound=VersionedFile)


def read_versioned(document: Any, model: type[Model], *, source: str, remedy: str) -> Model:
    """``document`` (parsed JSON) read as ``model``, or a :class:`DataError` saying what is wrong.

    Parameters
    ----------
    document : object
        The parsed file.
    model : type of VersionedFile
        The format the reader reads.
    source : str
        The file, as the message names it (``models/fingerprint.json at 1a2b3c4d5e6f``).
    remedy : str
        What writes the file again in this format (``Run `dvc repro fingerprint`.``).

    Raises
    ------
    DataError
        When the document is not of ``model``'s format and version, or does not fit the model.
    """
    problem = format_problem(document, model)
    if problem is not None:
        raise DataError(f"{source} {problem}. {remedy}".rstrip())
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        raise DataError(
            f"{source} is not a valid {model.FORMAT.name} version {model.FORMAT.version} file: "
            f"{describe_errors(exc)}. {remedy}".rstrip()
        ) from None


def format_problem(document: Any, model: type[VersionedFile]) -> str | None:
    """Why ``document`` is not of ``model``'s format and version (a phrase), or None."""
    ours = model.FORMAT
    if not isinstance(document, dict):
        return f"is a JSON {type(document).__name__}, not a {ours.name} object"
    name, version = ours.found_in(document)
    if name is None or version is None:
        return (
            f"records no readable format under {ours.key!r} "
            f"(found {document.get(ours.key)!r}, expected {ours.recorded!r})"
        )
    if name != ours.name:
        return f"is a {name} file, not a {ours.name} file"
    if version < ours.version:
        return (
            f"is in {ours.name} version {version}, written by an earlier mlgate; this mlgate "
            f"reads version {ours.version} only"
        )
    if version > ours.version:
        return (
            f"is in {ours.name} version {version}, written by a newer mlgate; this mlgate "
            f"reads version {ours.version} only (upgrade mlgate)"
        )
    return None


def describe_errors(error: ValidationError) -> str:
    """The first :data:`SHOWN_PROBLEMS` problems as ``key.path: what was expected``."""
    problems = [
        f"{'.'.join(str(part) for part in issue['loc']) or '(the file)'}: {issue['msg']}"
        for issue in error.errors(include_url=False)
    ]
    more = len(problems) - SHOWN_PROBLEMS
    shown = "; ".join(problems[:SHOWN_PROBLEMS])
    return shown + (f"; and {more} more" if more > 0 else "")


def check_written(document: dict[str, Any], model: type[VersionedFile]) -> dict[str, Any]:
    """``document`` unchanged, once it has been read back as ``model`` (a writer's own test).

    Raises
    ------
    ValueError
        When the writer built a document its own format refuses: a bug, never the user's input.
    """
    problem = format_problem(document, model)
    try:
        if problem is None:
            model.model_validate(document)
    except ValidationError as exc:
        problem = describe_errors(exc)
    if problem is not None:
        raise ValueError(f"mlgate wrote a {model.FORMAT.name} document it cannot read: {problem}")
    return document
