"""The check contract: a result record, a context of inputs, and a registry of check functions.

A check is one small function ``check(ctx, cfg) -> CheckResult`` (or a list of them, for a family
such as one result per metric threshold), registered under an id ``"<suite>.<name>"`` with the
pydantic class of its ``params.yaml`` entry (``checks.<suite>.<name>``). Checks compute and decide;
they never format markdown or touch files. The runner turns an exception into an ``error`` result,
and a check that cannot judge returns ``skip`` with the reason: never ``pass``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlgate.checks.context import CheckContext, Need
from mlgate.checks.status import Status
from mlgate.config.checks.base import CheckConfig

if TYPE_CHECKING:
    from mlgate.checks.tally import TallySpec


#: Significant digits of every number in the evidence (see :meth:`CheckResult.to_dict`).
EVIDENCE_DIGITS = 12


def round_significant(number: float) -> float:
    """``number`` rounded to :data:`EVIDENCE_DIGITS` significant digits."""
    return float(f"{number:.{EVIDENCE_DIGITS}g}")


def round_floats(value: Any) -> Any:
    """``value`` with every finite float, at any depth, rounded by :func:`round_significant`."""
    if isinstance(value, float):
        return round_significant(value) if math.isfinite(value) else value
    if isinstance(value, dict):
        return {key: round_floats(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [round_floats(item) for item in value]
    return value


@dataclass(frozen=True)
class CheckResult:
    """One check's evidence: the same record for every suite.

    Attributes
    ----------
    id : str
        ``"<suite>.<name>"``, or ``"<suite>.<name>.<item>"`` for one item of a family.
    suite, title : str
        The suite it belongs to; a short human title.
    status : Status
        pass, warn, fail, error (could not be computed) or skip (could not judge).
    summary : str
        One line a reviewer reads: the value, the threshold, and why this status.
    required : bool
        Whether a fail or error of this check blocks the verdict.
    value, threshold : float, optional
        The measured value and the limit it was held to.
    statistic, p_value : float, optional
        The test statistic and p-value, for hypothesis tests.
    ci_low, ci_high : float, optional
        The confidence interval of ``value``, where one was computed.
    n : int, optional
        The sample size the verdict rests on.
    details : dict
        Further evidence (per-feature tables, failing rows), JSON-serialisable.
    """

    id: str
    suite: str
    title: str
    status: Status
    summary: str
    required: bool = True
    value: float | None = None
    threshold: float | None = None
    statistic: float | None = None
    p_value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        """True when this result stops a verdict: a required check that failed or erred."""
        return self.required and self.status.blocks

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; numbers rounded to :data:`EVIDENCE_DIGITS` significant digits.

        Non-finite numbers become None (JSON has no NaN). Rounding makes the evidence the same
        bytes on every machine: sums computed in another order (another CPU's vector width,
        another BLAS) differ only far below the 12th digit.
        """
        record = {name: getattr(self, name) for name in self.__dataclass_fields__}
        record["status"] = self.status.value
        for name in ("value", "threshold", "statistic", "p_value", "ci_low", "ci_high"):
            number = record[name]
            record[name] = (
                round_significant(float(number))
                if number is not None and math.isfinite(number)
                else None
            )
        record["details"] = round_floats(record["details"])
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> CheckResult:
        """Rebuild a result from :meth:`to_dict` output."""
        return cls(**{**record, "status": Status(record["status"])})


CheckFunction = Callable[[CheckContext, Any], "CheckResult | list[CheckResult]"]
TalliesOf = Callable[[CheckContext, Any], "list[TallySpec]"]


@dataclass(frozen=True)
class RegisteredCheck:
    """A check function with its id, title and config class."""

    id: str
    title: str
    function: CheckFunction
    config_class: type[CheckConfig]
    needs: tuple[Need, ...] = ()
    uses: tuple[Need, ...] = ()
    details: type | None = None
    tallies: TalliesOf | None = None

    @property
    def suite(self) -> str:
        """The suite: the id's first part."""
        return self.id.split(".", 1)[0]


REGISTRY: dict[str, RegisteredCheck] = {}


def register(
    check_id: str,
    *,
    title: str,
    config: type[CheckConfig],
    needs: tuple[Need, ...] = (),
    uses: tuple[Need, ...] = (),
    details: type | None = None,
    tallies: TalliesOf | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register ``function`` as check ``check_id`` (``"<suite>.<name>"``) with its config class.

    ``needs`` are the inputs it cannot judge without: the runner provides them, and gives a
    ``skip`` with the reason when one is missing (an ``error`` when one could not be computed).
    ``uses`` are inputs it reads when they are there and does without otherwise. ``details`` is
    the ``TypedDict`` of the ``details`` its judged results write: the contract readers (the
    report's sections) import, and a test holds the check to. ``tallies(ctx, cfg)`` lists what
    the check counts of the rows under test (:mod:`mlgate.checks.tally`): a check of a batch
    suite reads those rows through these alone, so the Dask engine can count them beforehand.
    """
    suite, _, name = check_id.partition(".")
    if not suite or not name or "." in name:
        raise ValueError(f"check ids are '<suite>.<name>', got {check_id!r}")

    def decorator(function: CheckFunction) -> CheckFunction:
        if check_id in REGISTRY:
            raise ValueError(f"check {check_id!r} is registered twice")
        REGISTRY[check_id] = RegisteredCheck(
            check_id, title, function, config, needs, uses, details, tallies
        )
        return function

    return decorator


def result(check_id: str, title: str, status: Status, summary: str, **evidence: Any) -> CheckResult:
    """Build a :class:`CheckResult` for ``check_id`` (the suite is taken from the id)."""
    return CheckResult(
        id=check_id,
        suite=check_id.split(".", 1)[0],
        title=title,
        status=status,
        summary=summary,
        **evidence,
    )


def skip(check_id: str, title: str, reason: str) -> CheckResult:
    """A result that says the check could not judge, and why."""
    return result(check_id, title, Status.SKIP, f"Not judged: {reason}")


def not_applicable(check_id: str, title: str, reason: str) -> CheckResult:
    """A skip that blocks nothing: what ``params.yaml`` declares leaves the check nothing to do.

    The gate reaches the same conclusion from the params (``CheckConfig.not_applicable``), never
    from this result.
    """
    summary = f"Not judged: does not apply: {reason}."
    return result(check_id, title, Status.SKIP, summary, required=False)


def status_from_limit(value: float, *, limit: float, higher_is_better: bool) -> Status:
    """``pass`` when ``value`` is on the right side of ``limit`` (inclusive), else ``fail``."""
    ok = value >= limit if higher_is_better else value <= limit
    return Status.PASS if ok else Status.FAIL


def status_from_share(
    observed: float, bound: float, *, limit: float, higher_is_better: bool
) -> Status:
    """A share's verdict: pass, fail, or skip when the rows are too few to tell.

    ``pass`` when the observed share meets ``limit``; ``fail`` when its one-sided bound misses
    it too; ``skip`` between, where a real miss and chance look alike
    (:mod:`mlgate.stats.proportion`).
    """
    if status_from_limit(observed, limit=limit, higher_is_better=higher_is_better) is Status.PASS:
        return Status.PASS
    if status_from_limit(bound, limit=limit, higher_is_better=higher_is_better) is Status.PASS:
        return Status.SKIP
    return Status.FAIL


#: What a summary adds when a share's verdict is ``skip``.
TOO_FEW_TO_TELL = (
    " Not judged: over the limit on these rows, but too few rows to tell it from chance."
)


def too_few_rows(ctx: CheckContext, min_samples: int) -> str | None:
    """Why ``ctx.current`` has too few rows to judge (fewer than ``min_samples``), or None."""
    rows = ctx.rows
    if rows == 0:
        return f"{ctx.current_name} has no rows."
    if rows < min_samples:
        return f"{ctx.current_name} has {rows} rows, fewer than min_samples = {min_samples}."
    return None


def unjudgeable_labels(ctx: CheckContext, min_samples: int) -> str | None:
    """Why the model's scores on ``ctx.current`` cannot be judged against labels, or None."""
    if ctx.current_scores is None:
        return "no model to score the data with."
    if ctx.y_true is None:
        return f"{ctx.current_name} has no labels."
    if len(ctx.y_true) < min_samples:
        return f"{len(ctx.y_true)} labelled rows, fewer than min_samples = {min_samples}."
    if ctx.y_true.min() == ctx.y_true.max():
        return f"{ctx.current_name} holds a single class."
    return None
