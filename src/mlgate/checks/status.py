"""The one status vocabulary: what each verdict means for the gate, and how a reviewer sees it."""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """A check result's verdict.

    ``pass`` and ``warn`` let a required result through; ``fail`` (judged and not good enough),
    ``error`` (could not be computed) and ``skip`` (could not judge, with the reason) do not.
    The gate may let a configured ``skip`` through (``gate.allow_skip``), never a fail or error.
    """

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"

    @property
    def passes(self) -> bool:
        """True for ``pass`` and ``warn``: the only statuses a required result may have."""
        return self in (Status.PASS, Status.WARN)

    @property
    def blocks(self) -> bool:
        """True for ``fail`` and ``error``: a required result with it stops the verdict outright."""
        return self in (Status.FAIL, Status.ERROR)

    @property
    def symbol(self) -> str:
        """The symbol the report and the CLI show for it."""
        return STATUS_SYMBOLS[self]

    @property
    def mark(self) -> str:
        """The one plain-text character the terminal table shows for it."""
        return STATUS_MARKS[self]

    @property
    def word(self) -> str:
        """The word the report counts it with ("passed", "failed", ...)."""
        return STATUS_WORDS[self]


#: How a reviewer sees each status in the PR comment.
STATUS_SYMBOLS = {
    Status.PASS: "✅",
    Status.WARN: "⚠️",
    Status.FAIL: "❌",
    Status.ERROR: "💥",
    Status.SKIP: "⏭️",
}

#: How a terminal shows each status: one plain character, readable in any font and any log.
STATUS_MARKS = {
    Status.PASS: "✓",
    Status.WARN: "!",
    Status.FAIL: "✗",
    Status.ERROR: "E",
    Status.SKIP: "-",
}

#: The words the report counts each status with.
STATUS_WORDS = {
    Status.PASS: "passed",
    Status.WARN: "warned",
    Status.FAIL: "failed",
    Status.ERROR: "errors",
    Status.SKIP: "skipped",
}
