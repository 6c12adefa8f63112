"""The evidence schemas: JSON Schema of each versioned file, from the models that read it."""

from __future__ import annotations

import json
from typing import NamedTuple

from pydantic import TypeAdapter

from mlgate.checks.base import CheckResult
from mlgate.checks.evidence_schema import ChecksFile
from mlgate.config import Config
from mlgate.gate.decision_schema import GateFile
from mlgate.monitor.catalogue import MONITOR_TESTS
from mlgate.monitor.evidence_schema import MonitorFile
from mlgate.monitor.fingerprint_schema import FingerprintFile
from mlgate.registry.record_schema import PromotionRecord
from mlgate.versioned import VersionedFile


class Documented(NamedTuple):
    """A versioned file as the page lists it."""

    model: type[VersionedFile]
    where: str
    written_by: str


#: Every versioned file, in the order the loop writes them.
VERSIONED_FILES: tuple[Documented, ...] = (
    Documented(ChecksFile, "`reports/checks.json`", "`mlgate check` (stage `check`)"),
    Documented(GateFile, "`reports/gate.json`", "`mlgate gate` (stage `gate`)"),
    Documented(FingerprintFile, "`models/fingerprint.json`", "`mlgate fingerprint`"),
    Documented(
        PromotionRecord, "the record in a promotion tag's message", "`mlgate promote`, `rollback`"
    ),
    Documented(MonitorFile, "`reports/monitor/<batch id>.json`", "`mlgate monitor`"),
)

INTRO = """\
# Evidence schemas

The files that join computing, deciding and rendering are versioned: each records its format's
name and version, and has a typed model (pydantic) that its readers read it through. A reader
refuses a file of another format, or of another version of its own (an older one was written by
an earlier mlgate, and the message says which command writes it again), and names the first keys
that do not fit. The writers hold themselves to the same models, so a malformed file is never
written. Unknown keys are refused: a new key is a new version.

| file | written by | format | version | recorded as |
| --- | --- | --- | --- | --- |
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
    """The schemas page: every versioned file's JSON Schema, the check result and params.yaml."""
    lines = [INTRO.rstrip("\n")]
    for documented in VERSIONED_FILES:
        fmt = documented.model.FORMAT
        recorded = json.dumps({fmt.key: fmt.recorded})
        lines.append(
            f"| {documented.where} | {documented.written_by} | `{fmt.name}` | {fmt.version} "
            f"| `{recorded}` |"
        )
    lines.append("")
    for documented in VERSIONED_FILES:
        lines += _schema_block(
            f"{documented.where[0].upper()}{documented.where[1:]}",
            (documented.model.__doc__ or "").strip(),
            documented.model.model_json_schema(),
        )
    lines += _schema_block(
        "A monitoring test's details",
        "A judged test's record holds, beside `status` and `p_value`, the details its test"
        " declares ([monitoring tests](monitoring-tests.md)); a skipped one holds `reason`.",
        {
            test_id: TypeAdapter(test.details).json_schema()
            for test_id, test in MONITOR_TESTS.items()
        },
    )
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
