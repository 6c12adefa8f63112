"""The one exception hierarchy of mlgate, and the exit code each kind maps to.

Exit codes follow the convention of the whole toolkit: 0 success, 1 a check failed or the gate is
closed, 2 a usage, configuration or input error, 3 something could not run. Only ``mlgate.cli``
turns these exceptions into exit codes.
"""

from __future__ import annotations


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
