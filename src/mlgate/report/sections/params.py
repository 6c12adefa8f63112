"""The params and provenance blocks: what changed in ``params.yaml``, and what was judged.

The evidence records only a hash of the checks' params, so the diff is of ``params.yaml`` as
committed on each side (see :mod:`mlgate.report.evidence`): keys are compared as dotted paths,
lists and mappings below them as whole values.
"""

from __future__ import annotations

from typing import Any

from mlgate.report import format as fmt
from mlgate.report.blocks import DETAIL, SUMMARY, Block
from mlgate.report.evidence import Evidence

#: At most this many changed params are listed; the rest are counted.
MAX_ROWS = 40
_ABSENT = object()


def flatten(params: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as ``{"a.b.c": value}``; lists and scalars are the values."""
    flat: dict[str, Any] = {}
    for key, value in params.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def params_blocks(current: Evidence, baseline: Evidence | None) -> list[Block]:
    """A table of the params that differ from the baseline's (nothing without a baseline)."""
    if baseline is None:
        return []
    now, before = current.get("params"), baseline.get("params")
    if not isinstance(now, dict) or not isinstance(before, dict):
        side = "this branch" if not isinstance(now, dict) else f"{fmt.code(baseline.label)}"
        return [Block(f"### What changed\n\nNo `params.yaml` to compare in {side}.", DETAIL)]
    flat_now, flat_before = flatten(now), flatten(before)
    changed = sorted(
        key
        for key in flat_now.keys() | flat_before.keys()
        if flat_now.get(key, _ABSENT) != flat_before.get(key, _ABSENT)
    )
    if not changed:
        text = f"### What changed\n\n`params.yaml` is the same as at {fmt.code(baseline.label)}."
        return [Block(text, SUMMARY)]
    rows = [
        f"| Param | {fmt.text(baseline.label)} | This branch |",
        "| --- | --- | --- |",
    ]
    for key in changed[:MAX_ROWS]:
        rows.append(
            f"| {fmt.code(key)} | {_value(flat_before.get(key, _ABSENT))} | "
            f"{_value(flat_now.get(key, _ABSENT))} |"
        )
    more = len(changed) - MAX_ROWS
    tail = f"\n\n…and {more} more." if more > 0 else ""
    text = (
        f"### What changed\n\n{len(changed)} param(s) of `params.yaml` differ from "
        f"{fmt.code(baseline.label)}:\n\n" + "\n".join(rows) + tail
    )
    return [Block(text, SUMMARY)]


def _value(value: Any) -> str:
    if value is _ABSENT:
        return "<sub>absent</sub>"
    shown = fmt.compact(value)
    if len(shown) > 80:
        shown = shown[:79] + "…"
    return fmt.code(shown)


def provenance_blocks(current: Evidence, baseline: Evidence | None) -> list[Block]:
    """Which model, data and params were judged; which evidence files were missing."""
    gate = current.get("gate")
    judged = gate.get("judged") or {} if isinstance(gate, dict) else {}
    parts = []
    if judged.get("model_sha256"):
        parts.append(f"model {fmt.code(str(judged['model_sha256'])[:12])}")
    if judged.get("params_sha256"):
        parts.append(f"checks params {fmt.code(str(judged['params_sha256'])[:12])}")
    if baseline:
        parts.append(f"baseline {fmt.code(baseline.label)}")
    lines = []
    if parts:
        lines.append("<sub>Judged: " + " · ".join(parts) + "</sub>")
    for side in (current, baseline):
        note = side.format_note() if side is not None else None
        if note:
            lines.append(f"<sub>{fmt.text(side.label)}: {fmt.prose(note)}</sub>")
        if side is not None and side.missing:
            lines.append(
                f"<sub>Missing in {fmt.text(side.label)}: "
                + ", ".join(fmt.code(m) for m in side.missing)
                + "</sub>"
            )
    return [Block("\n\n".join(lines), SUMMARY)] if lines else []
