"""The evidence schemas: JSON Schema of the typed records, from the models that write them."""

from __future__ import annotations

import json

from pydantic import TypeAdapter

from mlgate.checks.base import CheckResult
from mlgate.config import Config
from mlgate.provenance import EVIDENCE_FORMAT, GATE_FORMAT

INTRO = """\
# Evidence schemas

The files that join computing, deciding and rendering are versioned: each carries
`format: {{name, version}}`, and a reader refuses a name or version it does not know with a message
that says which it found and which it reads. The current formats:

| file | format name | version |
| --- | --- | --- |
| `reports/checks.json` | `{checks_name}` | {checks_version} |
| `reports/gate.json` | `{gate_name}` | {gate_version} |

Generated from the models themselves (pydantic's JSON Schema), so the schemas below are the ones
the code validates against.
"""


def _schema_block(title: str, text: str, schema: dict) -> list[str]:
    return [
        f"## {title}",
        "",
        text,
        "",
        "```json",
        json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False),
        "```",
        "",
    ]


def schemas_page() -> str:
    """The schemas page: the check result record of ``checks.json`` and ``params.yaml``."""
    lines = [
        INTRO.format(
            checks_name=EVIDENCE_FORMAT["name"],
            checks_version=EVIDENCE_FORMAT["version"],
            gate_name=GATE_FORMAT["name"],
            gate_version=GATE_FORMAT["version"],
        )
    ]
    lines += _schema_block(
        "A check result (`reports/checks.json`, `results[]`)",
        "One record per result, the same for every suite; numbers rounded to 12 significant"
        " digits, non-finite numbers as `null`.",
        TypeAdapter(CheckResult).json_schema(mode="serialization"),
    )
    lines += _schema_block(
        "`params.yaml`",
        "The whole params file; `checks:` is validated entry by entry by each check's own class"
        " ([params reference](params.md)).",
        Config.model_json_schema(),
    )
    return "\n".join(lines).rstrip() + "\n"
