"""The checks block: every result, grouped by suite; a suite with a failure is open."""

from __future__ import annotations

from mlgate.checks.status import Status
from mlgate.report import format as fmt
from mlgate.report.blocks import DETAIL, SUMMARY, Block
from mlgate.report.evidence import Evidence

#: The order a suite's counts are shown in: what needs attention first.
COUNT_ORDER = (Status.FAIL, Status.ERROR, Status.WARN, Status.PASS, Status.SKIP)


def checks_blocks(current: Evidence) -> list[Block]:
    """Every check result, grouped by suite; a suite with a failure is open, others collapsed."""
    if current.get("checks") is None:
        return []
    suites: dict[str, list[dict]] = {}
    for recorded in current.results():
        suite = recorded.get("suite") or str(recorded["id"]).split(".")[0]
        suites.setdefault(suite, []).append(recorded)
    blocks = [Block("### Checks", SUMMARY)]
    for suite, results in suites.items():
        statuses = [Status(r["status"]) for r in results]
        counts = " ".join(
            f"{s.symbol}{n}" for s in COUNT_ORDER if (n := sum(t is s for t in statuses))
        )
        bad = any(s.blocks for s in statuses)
        rows = [
            "| | Check | Value | Threshold | Interval | Summary |",
            "| --- | --- | ---: | ---: | --- | --- |",
            *(_row(r) for r in results),
        ]
        blocks.append(
            Block(
                f"<details{' open' if bad else ''}><summary><b>{fmt.html_text(suite)}</b> {counts}"
                "</summary>\n\n" + "\n".join(rows) + "\n\n</details>",
                SUMMARY if bad else DETAIL,
            )
        )
    return blocks


def _row(recorded: dict) -> str:
    low, high = recorded.get("ci_low"), recorded.get("ci_high")
    interval = f"{fmt.num(low)} – {fmt.num(high)}" if low is not None and high is not None else ""
    optional = "" if recorded.get("required", True) else " <sub>optional</sub>"
    return (
        f"| {Status(recorded['status']).symbol} | {fmt.code(recorded['id'])}{optional} | "
        f"{fmt.num(recorded.get('value'))} | {fmt.num(recorded.get('threshold'))} | {interval} | "
        f"{fmt.prose(recorded.get('summary', ''))} |"
    )
