"""The ``mlgate`` click group. Each command's module is imported only when that command runs.

``mlgate --help`` lists every command without importing any of them: the table below holds each
command's module and one-line help (a test keeps that line equal to the command's own). Command
modules import mlgate at module level; mlgate's modules import their heavy libraries (pandas,
scikit-learn, DVC) inside the functions that use them, so only the running command pays for its own.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import NamedTuple

import click


class LazyCommand(NamedTuple):
    """Where a command lives and what ``--help`` says about it."""

    module: str
    function: str
    short_help: str


#: Every command: name -> where it lives and its one-line help.
COMMANDS: dict[str, LazyCommand] = {
    "init": LazyCommand(
        "mlgate.cli.init",
        "init_cmd",
        "Infer the schema of a table and write params.yaml's data: and ingest: sections for it.",
    ),
    "ingest": LazyCommand(
        "mlgate.cli.ingest",
        "ingest_cmd",
        "Read the source files into typed parquet tables (DVC stage ``ingest``).",
    ),
    "prepare": LazyCommand(
        "mlgate.cli.prepare",
        "prepare_cmd",
        "Split the training data into train and validation sets (DVC stage ``prepare``).",
    ),
    "train": LazyCommand(
        "mlgate.cli.train",
        "train_cmd",
        "Fit the configured estimator and save it with its model card (DVC stage ``train``).",
    ),
    "evaluate": LazyCommand(
        "mlgate.cli.evaluate",
        "evaluate_cmd",
        "Score the model on the held-out test set: metrics, plot data, figures (DVC stage).",
    ),
    "explain": LazyCommand(
        "mlgate.cli.explain",
        "explain_cmd",
        "Explain the model on the test set with SHAP (DVC stage ``explain``).",
    ),
    "card": LazyCommand(
        "mlgate.cli.card",
        "card_cmd",
        "Write the model card from the evidence and card: in params.yaml (DVC stage ``card``).",
    ),
    "check": LazyCommand(
        "mlgate.cli.check",
        "check_cmd",
        "Run the checks under `checks:` in params.yaml (DVC stage `check`).",
    ),
    "gate": LazyCommand(
        "mlgate.cli.gate",
        "gate_cmd",
        "Promote only if complete, current evidence shows every required check passed.",
    ),
    "report": LazyCommand(
        "mlgate.cli.report",
        "report_cmd",
        "Write the pull-request report from the evidence in reports/ (and the baseline's).",
    ),
    "promote": LazyCommand(
        "mlgate.cli.promote",
        "promote_cmd",
        "Register and promote this commit's model, after recomputing its gate (signed GTO tags).",
    ),
    "registry": LazyCommand(
        "mlgate.cli.registry",
        "registry_cmd",
        "Show the registry (GTO tags), its history; roll back; verify a tag's evidence.",
    ),
    "package": LazyCommand(
        "mlgate.cli.package",
        "package_cmd",
        "Save the model as an MLflow model (code and skops file, no pickle) for serving.",
    ),
    "serve": LazyCommand(
        "mlgate.cli.serve",
        "serve_cmd",
        "Verify an MLflow model mlgate packaged, then serve it with MLflow's scoring server.",
    ),
    "predict": LazyCommand(
        "mlgate.cli.predict",
        "predict_cmd",
        "Score a batch into an audit parquet file: scores, decisions, the model's identity.",
    ),
    "examples": LazyCommand(
        "mlgate.cli.examples",
        "examples_cmd",
        "Draw example batches from the test rows, shifted in stated ways (DVC stage ``examples``).",
    ),
    "experiments": LazyCommand(
        "mlgate.cli.experiments",
        "experiments_cmd",
        "Rank DVC experiments by the gate: which pass, which fail on what, metrics with intervals.",
    ),
    "fingerprint": LazyCommand(
        "mlgate.cli.fingerprint",
        "fingerprint_cmd",
        "Freeze the reference monitoring judges batches against (DVC stage ``fingerprint``).",
    ),
    "monitor": LazyCommand(
        "mlgate.cli.monitor",
        "monitor_cmd",
        "Judge new batches against the model's fingerprint: drift, performance, alerts.",
    ),
    "retrain": LazyCommand(
        "mlgate.cli.retrain",
        "retrain_cmd",
        "Add a labelled batch to the training data and reproduce the pipeline on a branch.",
    ),
    "validate": LazyCommand(
        "mlgate.cli.validate",
        "validate_cmd",
        "Check that params.yaml and dvc.yaml agree with each other and with the code.",
    ),
    "lock-check": LazyCommand(
        "mlgate.cli.validate",
        "lock_check_cmd",
        "Check that dvc.lock records the params the params files hold now (no dvc run: fast).",
    ),
    "guard-files": LazyCommand(
        "mlgate.cli.validate",
        "guard_files_cmd",
        "Refuse data and model files committed to git instead of DVC (pre-commit passes FILES).",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy-loading pattern).

    Listing the commands for ``--help`` uses the one-line help from :data:`COMMANDS`.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:  # noqa: D102
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:  # noqa: D102
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        command = getattr(importlib.import_module(entry.module), entry.function)
        if not isinstance(command, click.Command):
            raise TypeError(f"{entry.module}.{entry.function} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List each command with its help from :data:`COMMANDS`, importing none of them."""
        rows = [(name, COMMANDS[name].short_help) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--params",
    "params_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="params.yaml",
    show_default=True,
    help="The params file to read.",
)
@click.version_option(package_name="mlgate")
@click.pass_context
def cli(ctx: click.Context, params_path: Path) -> None:
    """Reproducible pipeline, model checks and promotion gate for ML in CI."""
    ctx.obj = {"params_path": params_path}
