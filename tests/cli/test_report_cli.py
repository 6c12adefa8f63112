"""``mlgate report``: the markdown and its figures from the evidence in reports/."""

from __future__ import annotations

import shutil

from tests.cli.conftest import run

EVIDENCE = ("metrics.json", "checks.json", "gate.json", "fairness.json", "shap_importance.json")


def copy_evidence(project_root, target):
    (target / "reports" / "plots").mkdir(parents=True)
    for name in EVIDENCE:
        shutil.copy(project_root / "reports" / name, target / "reports" / name)
    for plot in (project_root / "reports" / "plots").glob("*.json"):
        shutil.copy(plot, target / "reports" / "plots" / plot.name)


def test_writes_the_report_and_its_figures(project_root, tmp_path, monkeypatch, capsys):
    copy_evidence(project_root, tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run(["report", "--title", "#3: try `this`"]) == 0
    markdown = (tmp_path / "reports/report.md").read_text()
    assert markdown.startswith("## ✅ mlgate: promote")
    assert "\\#\u200b3: try \\`this\\`" in markdown  # reads "#3: try `this`", links nothing
    figures = sorted(p.name for p in (tmp_path / "reports/report").glob("*.png"))
    assert figures == [
        "calibration.png",
        "fairness_age.png",
        "fairness_race.png",
        "fairness_sex.png",
        "precision_recall.png",
        "roc.png",
        "shap_importance.png",
    ]
    for name in figures:
        assert f"](report/{name})" in markdown
    first = (tmp_path / "reports/report.md").read_bytes()
    pictures = {p.name: p.read_bytes() for p in (tmp_path / "reports/report").glob("*.png")}
    assert run(["report", "--title", "#3: try `this`"]) == 0  # same inputs, same bytes
    assert (tmp_path / "reports/report.md").read_bytes() == first
    assert {p.name: p.read_bytes() for p in (tmp_path / "reports/report").glob("*.png")} == pictures
    assert "[report] wrote reports/report.md" in capsys.readouterr().err


def test_an_unknown_baseline_is_a_usage_error(project_root, tmp_path, monkeypatch, capsys):
    copy_evidence(project_root, tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run(["report", "--baseline", "no-such-branch"]) == 2
    err = capsys.readouterr().err
    assert "--baseline 'no-such-branch' is not a git revision" in err
    assert not (tmp_path / "reports/report.md").exists()


def test_missing_evidence_is_reported_not_hidden(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(["report"]) == 0
    markdown = (tmp_path / "reports/report.md").read_text()
    assert markdown.startswith("## ❓ mlgate: no gate decision")
    assert "`reports/checks.json` is missing" in markdown


def read_only(folder):
    """Make ``folder`` unwritable, for root too (the immutable attribute), or skip saying why."""
    import os
    import subprocess

    import pytest

    folder.chmod(0o555)
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"root ignores permissions and chattr failed: {made.stderr!r}")


def writable(folder):
    import os
    import subprocess

    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
    folder.chmod(0o755)


def test_a_read_only_reports_folder_is_exit_2_naming_it_and_writes_nothing(
    project_root, tmp_path, monkeypatch, capsys
):
    copy_evidence(project_root, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in (tmp_path / "reports").iterdir())
    read_only(tmp_path / "reports")
    try:
        assert run(["report"]) == 2
    finally:
        writable(tmp_path / "reports")
    assert "mlgate: error: cannot write reports/report" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == before


def test_figures_that_cannot_be_written_leave_no_report_behind(
    project_root, tmp_path, monkeypatch, capsys
):
    copy_evidence(project_root, tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports/report").write_text("a file where the figures' folder goes")
    assert run(["report"]) == 2
    assert "cannot write reports/report/" in capsys.readouterr().err
    assert not (tmp_path / "reports/report.md").exists()
