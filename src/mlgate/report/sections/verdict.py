"""The verdict block: the gate's decision, why, and what a reviewer should look at first.

A promotion is not the same as "nothing got worse": a metric can be significantly worse than the
baseline and still pass every limit. When that happens it is said here, beside the verdict, with
the limits that let it through.
"""

from __future__ import annotations

from mlgate.checks.status import Status
from mlgate.report import format as fmt
from mlgate.report.blocks import VERDICT, Block
from mlgate.report.evidence import Evidence
from mlgate.report.sections.metrics import (
    CHAMPION,
    METRIC_LABELS,
    direction,
    paired_differences,
)

#: A pull request's title is cut here (GitHub allows 256 characters).
TITLE_CHARS = 300


def status_of(result: dict) -> Status:
    """A recorded result's status."""
    return Status(result["status"])


def verdict_blocks(
    current: Evidence,
    baseline: Evidence | None,
    *,
    title: str | None = None,
    other_table: tuple[Evidence, str] | None = None,
) -> list[Block]:
    """Title, the gate's decision with its reasons, the checks to look at, and the counts.

    ``other_table`` is the baseline that was asked for and why it is another table's model: it
    is said at the top, in place of any comparison with it.
    """
    gate, checks = current.get("gate"), current.get("checks")
    results = current.results()
    against = f" · compared with {fmt.code(baseline.label)}" if baseline else ""
    if not isinstance(gate, dict):
        head = (
            "## ❓ mlgate: no gate decision\n\n`reports/gate.json` is missing: run `dvc repro` "
            "(stage `gate`) or `mlgate gate`. Without a decision this model is not promoted."
        )
    elif gate.get("decision") == "promote":
        head = f"## ✅ mlgate: promote{against}\n\nEvery required check passed."
        worse = _worse_yet_promoted(current, baseline)
        if worse:
            # One paragraph each: lines of a quote with no empty quote line between them join.
            head += "\n\n" + "\n>\n".join(worse)
    else:
        head = f"## ❌ mlgate: reject{against}"
        # Reasons about a failing check are listed below with the check; the others (missing,
        # stale or incomplete evidence, a skip the gate does not allow) are said here.
        listed = {r["id"] for r in results if status_of(r).blocks}
        reasons = [
            f"- {fmt.prose(reason)}"
            for reason in gate.get("reasons", [])
            if str(reason).split(" ", 1)[0] not in listed
        ]
        if reasons:
            head += "\n\n" + "\n".join(reasons)
    # The title says what is judged: right under the heading, before anything said about it.
    heading, _, body = head.partition("\n\n")
    lines = [heading]
    if title:
        lines.append(f"<sub>{fmt.prose(title, limit=TITLE_CHARS)}</sub>")
    if other_table is not None:
        other, why = other_table
        lines.append(
            f"> ℹ️ {fmt.code(other.label)} is a model of another table ({fmt.prose(why)}): "
            "nothing below is compared with it."
        )
    if body:
        lines.append(body)
    if checks is None:
        lines.append("`reports/checks.json` is missing: no check evidence.")
        return [Block("\n\n".join(lines), VERDICT)]
    # Failures first, then warnings: a warning passes the gate but is worth a reviewer's look.
    flagged = [r for r in results if status_of(r).blocks]
    flagged += [r for r in results if status_of(r) is Status.WARN]
    if flagged:
        lines.append("\n".join(_result_line(r) for r in flagged))
    counts = checks.get("counts", {})
    lines.append(
        " · ".join(f"{s.symbol} {fmt.num(counts.get(s.value, 0))} {s.word}" for s in Status)
    )
    return [Block("\n\n".join(lines), VERDICT)]


def _result_line(result: dict) -> str:
    optional = "" if result.get("required", True) else " (optional)"
    return (
        f"- {status_of(result).symbol} {fmt.code(result['id'])}{optional}: "
        f"{fmt.prose(result.get('summary', ''))}"
    )


def _worse_yet_promoted(current: Evidence, baseline: Evidence | None) -> list[str]:
    """One line per metric significantly worse than the champion, naming what let it pass."""
    lines = []
    rev = (current.result(f"{CHAMPION}.roc_auc") or {}).get("details", {}).get("baseline_rev")
    against = f"{fmt.code(rev)}" if rev else "the champion"
    for name, interval in paired_differences(current).items():
        if name not in METRIC_LABELS or direction(name, interval) != "worse":
            continue
        span = f"{fmt.signed(interval['ci_low'])} to {fmt.signed(interval['ci_high'])}"
        lines.append(
            f"> ⚠️ **{METRIC_LABELS[name]} is significantly worse than {against}** "
            f"(change {fmt.signed(interval.get('estimate'))}, CI {span}), yet promoted: "
            f"{_what_allowed(current, name)}."
        )
    return lines


def _what_allowed(current: Evidence, name: str) -> str:
    """The limits that judged metric ``name``, as they were recorded, and their outcomes."""
    allowed = []
    for result_id in (f"{CHAMPION}.{name}", f"performance.metrics.{name}"):
        recorded = current.result(result_id)
        if recorded is None:
            continue
        status = status_of(recorded)
        limit = recorded.get("threshold")
        shown = f"threshold {fmt.num(limit)}" if fmt.finite(limit) else "no threshold"
        required = "" if recorded.get("required", True) else ", optional"
        allowed.append(f"`{result_id}` {status.symbol} {status.value} ({shown}{required})")
    if not allowed:
        return f"no check holds {METRIC_LABELS[name]} to a limit against the champion"
    return "judged by " + " and ".join(allowed)
