"""Checks: small pure functions from data to a result record, registered by id.

See :mod:`mlgate.checks.base` for the contract and :mod:`mlgate.checks.runner` to run them.
"""

#: Every suite, in the order results are reported (a test keeps it equal to the registry's).
SUITES = (
    "data",
    "drift",
    "performance",
    "fairness",
    "model",
    "robustness",
    "explain",
    "comparison",
)

#: Suites that ``mlgate check --current BATCH`` runs: those that need no labels of the test split.
BATCH_SUITES = ("data", "drift")
