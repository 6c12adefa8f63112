"""Statistics as pure, vectorised functions of arrays; no pandas, no config objects, no files."""

from mlgate.config.checks.base import METRIC_NAMES

__all__ = ["METRIC_NAMES"]
