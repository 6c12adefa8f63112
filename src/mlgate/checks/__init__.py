"""Checks: small pure functions from data to a result record, registered by id.

See :mod:`mlgate.checks.base` for the contract and :mod:`mlgate.checks.runner` to run them.
"""
