"""The comment job posts mlgate's report, whatever its data says, and nothing a forged one names.

The job (``mlgate-comment.yml``, called by ``pr-report.yml``) holds a write token and runs CML,
which, with image publishing on, uploads every local file that a link, an image or a reference
definition of the markdown names (remark's ``definition``, ``image`` and ``link`` nodes; an
autolink such as ``<ab:../../../etc/passwd>`` is a link too). The artifact it posts is built by
the pull request's own CI run, so its report may be forged: the job must refuse anything but the
report's own figures, and must still post a genuine report whose data holds markup.

Only the poster's step is played (no pipeline), with a fake ``cml`` and ``gh`` that record what
they are asked.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from mlgate.report.blocks import Figures
from mlgate.report.markdown import render_report
from tests.integration.test_pr_workflow import FAKE_CML, FAKE_GH, play_poster
from tests.integration.workflow_runner import runner_env
from tests.unit.report.hostile import HOSTILE, hostile_evidence

BIN = Path(sys.executable).parent
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
HEAD = "feedface"


def artifact(root: Path, markdown: str, figures: tuple[str, ...] = ("roc.png",)) -> Path:
    """The downloaded artifact: the report, its figures and the PR number."""
    folder = root / "pr-report"
    (folder / "report").mkdir(parents=True)
    (folder / "report.md").write_text(markdown, encoding="utf-8")
    (folder / "pr-number.txt").write_text("7\n")
    for name in figures:
        (folder / "report" / name).write_bytes(PNG)
    return folder


def post(root: Path, project_root: Path, *, publish: bool = True) -> tuple[list, list[dict]]:
    """Play the comment job in ``root``; its steps, and what the fake cml was asked to post."""
    tools = root / "tools"
    tools.mkdir()
    for name, body in (("cml", FAKE_CML), ("gh", FAKE_GH)):
        (tools / name).write_text(body)
        (tools / name).chmod(0o755)
    (root / "home").mkdir()
    env = runner_env(root / "home", [tools, BIN]) | {
        "CML_RECORD": str(root / "cml.jsonl"),
        "GH_RECORD": str(root / "gh.jsonl"),
        "GITHUB_SERVER_URL": "https://github.com",
    }
    vars_ = {"MLGATE_PUBLISH_IMAGES": "true"} if publish else {}
    steps = play_poster(project_root, root, head_sha=HEAD, env=env, variables=vars_)
    record = root / "cml.jsonl"
    posted = (
        [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    )
    return steps, posted


def test_a_report_whose_data_holds_markup_is_posted(tmp_path, project_root):
    # ... and values that cannot be shown as they are: controls, a line break, a huge name
    values = (*HOSTILE, "line\nbreak\x00\u202e", "x" * 5000)
    markdown = render_report(
        hostile_evidence(values),
        hostile_evidence(values, label=HOSTILE[1]),
        figures=Figures({"roc.png": "report/roc.png"}, embed=True),
        title=" ".join(values),
    )
    assert "line␊break␀⟨U+202E⟩" in markdown
    assert "… \\(5,000 characters, cut\\)" in markdown
    artifact(tmp_path, markdown)
    steps, posted = post(tmp_path, project_root)
    assert steps[-1].returncode == 0, steps[-1].stdout + steps[-1].stderr
    (call,) = posted
    assert call["markdown"] == markdown
    assert "--publish=true" in call["args"]


FORGED = {
    "a reference definition": "![chart][x]\n\n[x]: /etc/passwd\n",
    "a definition in a quote": "> [x]: ../../../../etc/passwd\n\n![chart][x]\n",
    "a definition in a list": "- [x]: ../../../../etc/passwd\n\n![chart][x]\n",
    "a definition on two lines": "[x]:\n/etc/passwd\n\n![chart][x]\n",
    "a footnote": "text[^1]\n\n[^1]: /etc/passwd\n",
    "an autolink": "<https://example.com/x>\n",
    "an autolink to a local path": "<ab:../../../../../../etc/passwd>\n",
    "an e-mail autolink": "<admin@example.com>\n",
    "raw HTML": '<img src="/etc/passwd">\n',
    "an HTML comment": "<!-- hidden -->\n",
    "a link to another file": "![x](../../../../etc/passwd)\n",
    "a destination on the next line": "![x](\n../../../../etc/passwd)\n",
    "a destination in brackets": "![x](<../../../../etc/passwd>)\n",
    "a figure with a title": '![x](report/roc.png "t")\n',
}


@pytest.mark.parametrize("forged", FORGED.values(), ids=FORGED.keys())
def test_a_forged_report_that_names_other_files_or_holds_html_is_refused(
    tmp_path, project_root, forged
):
    artifact(tmp_path, "## ✅ mlgate: promote\n\n![roc.png](report/roc.png)\n\n" + forged)
    steps, posted = post(tmp_path, project_root)
    assert steps[-1].returncode == 1
    assert "::error::the report" in steps[-1].stdout
    assert posted == []


def test_a_figure_that_is_a_link_to_a_file_of_the_runner_is_refused(tmp_path, project_root):
    folder = artifact(tmp_path, "![roc.png](report/roc.png)\n", figures=())
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    os.symlink(secret, folder / "report/roc.png")
    steps, posted = post(tmp_path, project_root)
    assert steps[-1].returncode == 1
    assert "not a PNG file of the artifact" in steps[-1].stdout
    assert posted == []


def test_a_figure_that_is_not_a_png_is_refused(tmp_path, project_root):
    folder = artifact(tmp_path, "![roc.png](report/roc.png)\n", figures=())
    (folder / "report/roc.png").write_text("not an image")
    steps, posted = post(tmp_path, project_root)
    assert steps[-1].returncode == 1
    assert "not a PNG file of the artifact" in steps[-1].stdout
    assert posted == []
