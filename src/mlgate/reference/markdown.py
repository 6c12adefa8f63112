"""Markdown for generated pages: table cells that cannot break a table, values shown as YAML."""

from __future__ import annotations

import enum
import json
from typing import Any


def cell(text: str) -> str:
    """``text`` on one line, with pipes escaped, for a markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def yaml_value(value: Any) -> str:
    """``value`` as params.yaml would write it (``null``, ``true``, lists in brackets)."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, tuple | frozenset | set):
        value = sorted(value) if isinstance(value, frozenset | set) else list(value)
    if isinstance(value, str):
        return value if value else '""'
    return json.dumps(value, default=str)


def first_paragraph(docstring: str | None) -> str:
    """A docstring's first paragraph on one line (empty without a docstring)."""
    if not docstring:
        return ""
    return " ".join(docstring.strip().split("\n\n", 1)[0].split())


def whole_docstring(docstring: str | None) -> str:
    """A short docstring's paragraphs as one line each, joined by a space."""
    paragraphs = (docstring or "").strip().split("\n\n")
    return " ".join(" ".join(paragraph.split()) for paragraph in paragraphs)


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A markdown table: the header, its rule, and one line per row (cells escaped)."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return lines
