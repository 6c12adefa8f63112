"""Each configured check is a test: required failures fail, with the check's evidence attached."""

from __future__ import annotations

import json
import warnings

import pytest

pytestmark = pytest.mark.slow


def test_check(check_id, evidence):
    results = [
        r for r in evidence["results"] if r["id"] == check_id or r["id"].startswith(check_id + ".")
    ]
    assert results, f"{check_id} is configured but reports/checks.json has no result for it"
    blocking = [r for r in results if r["required"] and r["status"] in ("fail", "error")]
    if blocking:
        pytest.fail(
            "\n".join(f"{r['id']}: {r['status']}: {r['summary']}" for r in blocking)
            + "\n\nevidence:\n"
            + json.dumps(blocking, indent=2)[:20_000],
            pytrace=False,
        )
    for r in results:
        if r["status"] in ("fail", "error"):
            warnings.warn(f"optional {r['id']} {r['status']}: {r['summary']}", stacklevel=1)
        elif r["status"] == "warn":
            warnings.warn(f"{r['id']}: {r['summary']}", stacklevel=1)
    if all(r["status"] == "skip" for r in results):
        pytest.skip("; ".join(r["summary"] for r in results))
