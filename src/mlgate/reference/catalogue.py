"""The check catalogue and the monitoring tests, generated from their registries.

Each entry comes from its registration: the id, the title, what it needs, the details it writes
(its ``TypedDict``) and its docstring, and for a check the params keys of its class.
"""

from __future__ import annotations

import re
import typing

from mlgate.checks.runner import load_registry
from mlgate.config.checks.base import CheckConfig
from mlgate.monitor.batch_tests import MONITOR_TESTS
from mlgate.monitor.outcome import TestStatus
from mlgate.reference.markdown import first_paragraph, table, whole_docstring

#: What each monitoring status means, for the page (its mapping is the status's own).
STATUS_MEANINGS = {
    TestStatus.PASS: "no evidence of a change that matters on this batch",
    TestStatus.SIGNAL: "the p-value is at or below `monitor.signal_level`",
    TestStatus.SKIP: "the test could not judge this batch, with the reason",
}

_ROLE = re.compile(r":(?:mod|func|class|data|meth|attr):`~?([^`]+)`")

CHECKS_INTRO = """\
# Check catalogue

Every check `mlgate check` can run, generated from the check registry. A check runs when it is
configured under `checks.<suite>.<name>` in `params.yaml` ([its params](params.md#checks)). Each
returns `pass`, `warn`, `fail`, `error` (it raised: never a pass) or `skip` (it could not judge,
with the reason); a required check that does not pass blocks the gate. *Needs* are the inputs a
check cannot judge without (missing: a skip that says which); *uses* are inputs it reads when they
are there. How far to trust each verdict is in [Checks](../explanation/checks.md) and
[Statistics](../explanation/statistics.md).
"""

MONITORING_INTRO = """\
# Monitoring tests

Every test `mlgate monitor` runs on a batch, generated from the monitoring tests' registry. Each
answers with a p-value for "nothing changed that matters" and a status:

{statuses}

A signal is not an alert: the run's p-value (Bonferroni over the tests that judged) feeds the
alert policy over repeated runs, and each batch's verdict is `alert`, `ok`, or `unjudged` when no
test judged (never an ok). See [Monitoring and retraining](../tutorials/monitoring.md).
"""


def rst_to_markdown(text: str) -> str:
    """A docstring's reStructuredText roles and double backticks as markdown code spans."""
    return _ROLE.sub(r"`\1`", text).replace("``", "`")


def _details(details: type | None) -> str:
    if details is None:
        return "none"
    keys = typing.get_type_hints(details)
    return ", ".join(f"`{key}`" for key in keys) or "none"


def _params(config_class: type[CheckConfig], check_id: str) -> str:
    keys = [f"`{name}`" for name in config_class.model_fields]
    return ", ".join(keys) + f" ([reference](params.md#checks{check_id.replace('.', '')}))"


def checks_page() -> str:
    """The check catalogue: one entry per registered check, grouped by suite."""
    registry = load_registry()
    lines = [CHECKS_INTRO]
    suite = None
    for check_id in sorted(registry, key=lambda i: (i.split(".")[0], i)):
        entry = registry[check_id]
        if entry.suite != suite:
            suite = entry.suite
            lines += [f"## The `{suite}` suite", ""]
        needs = ", ".join(f"`{need.value}`" for need in entry.needs) or "nothing beyond the rows"
        uses = ", ".join(f"`{need.value}`" for need in entry.uses)
        lines += [
            f"### `{check_id}`",
            "",
            f"**{entry.title}.** {rst_to_markdown(first_paragraph(entry.function.__doc__))}",
            "",
            f"- needs: {needs}" + (f"; uses: {uses}" if uses else ""),
            f"- params: {_params(entry.config_class, check_id)}",
            f"- details: {_details(entry.details)}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def monitoring_tests_page() -> str:
    """The monitoring tests: one entry per registered test, in the order the judge runs them."""
    statuses = table(
        ("status", "means", "the checks' status it maps to"),
        [
            (f"`{status.value}`", STATUS_MEANINGS[status], f"`{status.as_check_status().value}`")
            for status in TestStatus
        ],
    )
    lines = [MONITORING_INTRO.format(statuses="\n".join(statuses))]
    for test in MONITOR_TESTS.values():
        needs = "the batch's labels (`--labels`)" if test.needs_labels else "no labels"
        lines += [
            f"## `{test.id}`",
            "",
            f"**{test.title}.** {rst_to_markdown(whole_docstring(test.function.__doc__))}",
            "",
            f"- needs: {needs}",
            f"- details: {_details(test.details)}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"
