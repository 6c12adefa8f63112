"""The ``mlgate`` command line: the one place where errors become exit codes.

Exit codes: 0 success; 1 a check failed or the gate is closed; 2 a usage, configuration or input
error; 3 something could not run. A command's module is imported only when it runs
(:mod:`mlgate.cli.app`), so that ``mlgate --help`` starts fast.
"""

from __future__ import annotations

import sys
import traceback

import click

from mlgate.cli.app import cli
from mlgate.errors import MlgateError

__all__ = ["cli", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with mlgate's exit-code convention.

    A command may return an int exit code (a verdict such as 1, "check failed"); ``None`` is 0.
    """
    try:
        result = cli.main(args=argv, prog_name="mlgate", standalone_mode=False)
    except MlgateError as exc:
        click.secho(f"mlgate: error: {exc}", fg="red", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("mlgate: aborted.", err=True)
        sys.exit(3)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except Exception:
        # Not an error mlgate anticipated: show everything, and never let it look like success.
        traceback.print_exc()
        click.secho("mlgate: could not run (unexpected error above).", fg="red", err=True)
        sys.exit(3)
    sys.exit(result if isinstance(result, int) else 0)
