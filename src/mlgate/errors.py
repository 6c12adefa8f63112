"""The one exception hierarchy of mlgate, and the exit code each kind maps to.

Exit codes follow the convention of the whole toolkit: 0 success, 1 a check failed or the gate is
closed, 2 a usage, configuration or input error, 3 something could not run. Only ``mlgate.cli``
turns these exceptions into exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The file a problem belongs to when its key is a key of the params file.
PARAMS_FILE = "params.yaml"


@dataclass(frozen=True)
class Problem:
    """One thing to fix in one of the project's files: which file, which key, what is wrong.

    Every validation in mlgate (``params.yaml``, ``dvc.yaml``, ``dvc.lock``) reports in these.

    Attributes
    ----------
    file : str
        The file to fix.
    key : str
        The dotted key in that file, e.g. ``train.mitigation.sensitive_feature``.
    message : str
        What was expected and what was found.
    """

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"

    @property
    def keyed(self) -> str:
        """``key: message``, for a list under a heading that already names the file."""
        return f"{self.key}: {self.message}"


class Problems(ValueError):
    """Raised by a validator whose problems each belong to their own key, not to its section.

    pydantic keeps the exception in the error's context, so the params loader reports every
    problem under its own key instead of under the section the validator was attached to.
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.keyed for problem in problems))
        self.problems = problems


class MlgateError(Exception):
    """Base class of every error mlgate raises on purpose.

    Parameters
    ----------
    message : str
        One paragraph: what was expected, what was found, and how to fix it.
    """

    exit_code: int = 3


class ConfigError(MlgateError):
    """``params.yaml`` (or another configuration input) is invalid."""

    exit_code = 2


class DataError(MlgateError):
    """An input file is missing, empty or does not match the declared schema."""

    exit_code = 2


class ModelError(MlgateError):
    """A model file is missing, is not a skops file, or holds types mlgate does not trust."""

    exit_code = 2


class OutputError(MlgateError):
    """An output could not be written (a read-only folder, a full disk): nothing was written."""

    exit_code = 2


class RunError(MlgateError):
    """Something needed to run was unavailable (a tool, a git repository, a network path)."""

    exit_code = 3


class PromotionRefused(MlgateError):
    """``mlgate promote`` (or a rollback) refused: the evidence does not back the promotion."""

    exit_code = 1
