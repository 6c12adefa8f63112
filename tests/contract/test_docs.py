"""The documentation site holds what the code declares, and the README stays a front page.

The reference pages are generated from the registries (:mod:`mlgate.reference`); these tests hold
each page to its registry, so a command, option, params key, check, monitoring test or error added
to the code cannot be missing from the site. `make test` also builds the site with
``mkdocs build --strict`` (a broken link, anchor or unlisted page fails it); one test here builds
it too, to read the command pages mkdocs-click renders.
"""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest

from mlgate.checks.runner import load_registry
from mlgate.cli.app import COMMANDS, cli
from mlgate.monitor.batch_tests import MONITOR_TESTS
from mlgate.monitor.outcome import TestStatus
from mlgate.reference import PAGES
from mlgate.reference.catalogue import checks_page, monitoring_tests_page
from mlgate.reference.exit_codes import error_classes, exit_codes_page
from mlgate.reference.params import all_keys, params_page, sections

from ..conftest import PROJECT_ROOT

README_MAX_LINES = 150


def test_the_readme_is_a_front_page_whose_links_resolve():
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= README_MAX_LINES
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    local = [t for t in targets if not t.startswith(("http://", "https://"))]
    assert local, "the README points into the documentation"
    assert [t for t in local if not (PROJECT_ROOT / t).exists()] == []


def test_every_params_key_is_described_and_on_the_params_page():
    page = params_page()
    keys = all_keys()
    assert len(keys) > 200  # every section, the checks' own included
    undescribed = [key for key, field in keys if not (field.description or "").strip()]
    assert undescribed == []
    missing = [key for key, _ in keys if f"| `{key}` |" not in page]
    assert missing == []


def test_every_section_has_a_docstring_the_page_shows():
    from mlgate.config import Config

    page = params_page()
    for key, model in sections(Config, "")[1:]:
        assert (model.__doc__ or "").strip(), f"{key}: {model.__name__} has no docstring"
        assert f"### `{key}`" in page


def test_every_check_is_in_the_catalogue_with_its_params():
    page = checks_page()
    for check_id, entry in load_registry().items():
        assert f"### `{check_id}`" in page
        block = page.split(f"### `{check_id}`", 1)[1].split("\n### ", 1)[0]
        assert entry.title in block
        for name in entry.config_class.model_fields:
            assert f"`{name}`" in block, f"{check_id}: {name}"


def test_every_monitoring_test_and_status_is_on_its_page():
    page = monitoring_tests_page()
    for status in TestStatus:
        mapped = status.as_check_status().value
        assert re.search(rf"^\| `{status.value}` \| .+ \| `{mapped}` \|$", page, re.MULTILINE)
    assert list(MONITOR_TESTS) == re.findall(r"^## `([a-z_]+)`$", page, re.MULTILINE)


def test_every_error_class_and_exit_code_is_on_the_exit_code_page():
    page = exit_codes_page()
    for cls in error_classes():
        assert f"| `{cls.__name__}` | {cls.exit_code} |" in page
    for code in range(4):
        assert f"| {code} |" in page


def test_no_generated_page_is_also_written_by_hand():
    assert [path for path in PAGES if (PROJECT_ROOT / "docs" / path).exists()] == []


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site, built as `make docs` builds it (strict), into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=PROJECT_ROOT,
        check=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(out)},
    )
    return out


def _options(command: click.Command) -> list[str]:
    return [
        option
        for param in command.params
        if isinstance(param, click.Option)
        for option in param.opts
    ]


def test_every_command_and_option_is_on_the_commands_page(site):
    html = (site / "reference/commands.html").read_text()
    context = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert f'id="mlgate-{name}"' in html, name
        commands = [command]
        if isinstance(command, click.Group):
            subcommands = command.list_commands(context)
            commands += [command.get_command(context, sub) for sub in subcommands]
        section = html.split(f'id="mlgate-{name}"', 1)[1]
        for each in commands:
            for option in _options(each):
                assert f"<code>{option}" in section, f"mlgate {name}: {option}"


def test_every_generated_page_and_example_is_in_the_site(site):
    for path in PAGES:
        assert (site / path).with_suffix(".html").is_file(), path
    card = (site / "examples/model-card.html").read_text()
    assert "Intended use" in card  # the card itself, included from models/MODEL_CARD.md
