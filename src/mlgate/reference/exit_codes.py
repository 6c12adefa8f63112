"""The exit codes, and which errors lead to each, generated from :mod:`mlgate.errors`."""

from __future__ import annotations

from mlgate.errors import MlgateError
from mlgate.reference.markdown import first_paragraph, table

#: What each exit code means, whatever the command.
MEANINGS = {
    0: "success",
    1: "a check failed, the gate is closed, or monitoring alerted",
    2: "a usage, configuration or input error: the message names the file, key, column or row, "
    "what was expected and what was found",
    3: "something could not run (an unexpected error shows its traceback), or a run in which "
    "nothing could be judged: `mlgate monitor` when no test could judge a batch",
}

OUTRO = """\
Bad source data, and a bad batch for `mlgate check --current`, stop with exit code 2 and one
paragraph naming the file: a missing or empty file, a file that is not in `ingest.encoding` (with
the byte offset and line), a declared column that is absent (with the columns found), a numeric
column holding text, infinite values, booleans or dates (with the number of rows and the first
five row numbers and values), a column named twice, a NUL byte in a value, a line with fewer
fields than the others (a truncated file: the rows are named), the wrong number of columns, a
target with one class, or target values outside `data.labels` (with their counts). An output that
cannot be written (a read-only folder, a full disk) is exit 2 naming the path.

Every output is written to a hidden temporary file in its folder (`.NAME.PID.XXXX.tmp`) and renamed
into place, so an interrupted or failing stage never leaves a half-written file for DVC to cache;
the report writes its figures and markdown all or nothing. If a process is killed mid-write, the
next write to that folder removes its temporary file (and `.gitignore` hides it until then).
"""


def error_classes() -> list[type[MlgateError]]:
    """Every error class mlgate raises on purpose, the base first."""
    found, queue = [], [MlgateError]
    while queue:
        cls = queue.pop(0)
        found.append(cls)
        queue += sorted(cls.__subclasses__(), key=lambda c: c.__name__)
    return found


def exit_codes_page() -> str:
    """The exit-code reference page."""
    codes = table(("exit code", "meaning"), [(str(code), text) for code, text in MEANINGS.items()])
    errors = table(
        ("error", "exit code", "raised when"),
        [
            (f"`{cls.__name__}`", str(cls.exit_code), first_paragraph(cls.__doc__))
            for cls in error_classes()
        ],
    )
    return "\n".join(
        [
            "# Exit codes",
            "",
            "Every `mlgate` command exits with one of four codes; only the command line turns an"
            " error into a code, so a stage, a hook and a workflow read them the same way.",
            "",
            *codes,
            "",
            "## Which error gives which code",
            "",
            "A usage error of the command line itself (an unknown option, a missing argument) is"
            " exit 2.",
            "",
            *errors,
            "",
            "## Input errors and partial outputs",
            "",
            OUTRO,
        ]
    )
