"""No value of a personal or free-text column reaches a file, a report, a log line or a card.

A table of real Adult rows gets people's first and last names (200 of each, so many distinct
capitalised tokens), a relative's full name under a header that says nothing, emails, phone
numbers, free-text notes, customer numbers, and ``checking_account``: four account-status
codes, which are a category and not personal. Every command that writes something runs on it,
and every file it wrote (and everything it printed) is searched for each planted value: none
may be there.

Two ways it happens: (a) the personal columns left as model inputs by mistake (the checks must
fail, and still not show the values), and (b) declared under ``data.personal``, as ``mlgate init``
proposes.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from mlgate.config import load_config
from tests.conftest import run_cli

pytestmark = pytest.mark.slow

FIRST_NAMES = [
    f"{a}{b}"
    for a, b in itertools.product(
        ["Ansel", "Brigid", "Cosimo", "Delphine", "Evander", "Fenella", "Gideon", "Honora",
         "Isidore", "Jessamy", "Lorcan", "Marisol", "Niamh", "Orrin", "Perpetua", "Quillon",
         "Rosalind", "Saoirse", "Thaddeus", "Ulrika"],
        ["", "a", "o", "ine", "ette", "ius", "an", "el", "is", "ia"],
    )
]  # fmt: skip
LAST_NAMES = [
    f"{a}{b}"
    for a, b in itertools.product(
        ["Abernethy", "Blackwood", "Castellano", "Drummond", "Ellingham", "Fairweather",
         "Galbraith", "Hargreaves", "Iverson", "Kowalczyk", "Lindqvist", "Montgomery",
         "Nakamura", "Ostrowski", "Pemberton", "Quigley", "Rutherford", "Szymanski",
         "Thistlewood", "Vasquez"],
        ["", "e", "son", "ley", "ford", "ton", "ham", "well", "by", "ski"],
    )
]  # fmt: skip
#: Names only the batches carry: unseen in training, as a new customer's are.
NEW_FIRST_NAMES = [f"Zephyrin{s}" for s in ("", "a", "o", "e", "us")]
NEW_LAST_NAMES = [f"Wolstenholme{s}" for s in ("", "s", "r", "ton", "by")]
EMAIL_DOMAIN = "mailbox-private.test"
PHONE_PREFIX = "+44 7700 9"
NOTES_MARK = "prefers letters by post"
#: Customer numbers 441,700,000 and up: nine digits no other output holds.
CUSTOMER_BASE = 441_700_000
PERSONAL = ["first_name", "last_name", "relative", "email", "phone", "notes", "customer_number"]


def add_people(frame: pd.DataFrame, *, seed: int, first: list, last: list) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = len(frame)
    firsts, lasts = rng.choice(first, rows), rng.choice(last, rows)
    out = frame.reset_index(drop=True).copy()
    out["first_name"], out["last_name"] = firsts, lasts
    out["relative"] = [f"{f} {s}" for f, s in zip(rng.choice(first, rows), lasts, strict=True)]
    number = seed * 100_000 + np.arange(rows)
    out["email"] = [
        f"{f.lower()}.{s.lower()}{n}@{EMAIL_DOMAIN}"
        for f, s, n in zip(firsts, lasts, number, strict=True)
    ]
    out["phone"] = [f"{PHONE_PREFIX}{n % 100_000:05d}" for n in number]
    out["notes"] = [
        f"Spoke with {f} on call {n}; {NOTES_MARK}, asked about the statement"
        for f, n in zip(firsts, number, strict=True)
    ]
    out["checking_account"] = rng.choice(["A11", "A12", "A13", "A14"], rows)
    out["customer_number"] = CUSTOMER_BASE + seed * 100_000 + np.arange(rows)
    return out


def planted_patterns() -> list[re.Pattern]:
    names = FIRST_NAMES + LAST_NAMES + NEW_FIRST_NAMES + NEW_LAST_NAMES
    whole_words = [re.compile(rf"\b{re.escape(name)}\b") for name in names]
    marks = [EMAIL_DOMAIN, PHONE_PREFIX, NOTES_MARK, "Spoke with"]
    numbers = [re.compile(r"(?<![0-9A-Za-z])4417\d{5}(?![0-9A-Za-z])")]
    return whole_words + numbers + [re.compile(re.escape(mark)) for mark in marks]


def texts_written(root, since: float) -> dict[str, str]:
    """Each file under ``root`` written after ``since``, as text (parquet: its values)."""
    out = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or path.stat().st_mtime < since or _is_input(relative):
            continue
        if path.suffix == ".parquet":
            out[relative] = pd.read_parquet(path).to_csv()
        elif path.suffix != ".png":  # charts: pixels (their labels come from the evidence)
            out[relative] = path.read_bytes().decode("utf-8", errors="replace")
    return out


def _is_input(relative: str) -> bool:
    # The table and batches we wrote, what ingest/prepare keep of them (the data itself), and
    # the model file, also in the package (its encoder holds the categories of its inputs).
    return relative.startswith(("data/", "incoming/")) or relative.endswith(".skops")


def leaks(texts: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for name, text in texts.items():
        hits = sorted({m.group(0) for p in planted_patterns() for m in p.finditer(text)})
        if hits:
            found[name] = hits[:5]
    return found


@pytest.fixture(scope="module")
def people_table(adult_train):
    rows = adult_train.sample(n=3400, random_state=7)
    table = add_people(rows.iloc[:3000], seed=1, first=FIRST_NAMES, last=LAST_NAMES)
    batch = add_people(
        rows.iloc[3000:], seed=2, first=FIRST_NAMES + NEW_FIRST_NAMES * 8,
        last=LAST_NAMES + NEW_LAST_NAMES * 8,
    )  # fmt: skip
    return table, batch


def start_project(tmp_path, project_root, people_table, monkeypatch):
    table, batch = people_table
    for name in ("params.yaml", "dvc.yaml"):
        shutil.copy(project_root / name, tmp_path / name)
    (tmp_path / "data/source").mkdir(parents=True)
    (tmp_path / "incoming").mkdir()
    table.to_csv(tmp_path / "data/source/people.csv", index=False)
    batch.to_parquet(tmp_path / "incoming/batch.parquet", index=False)
    batch.drop(columns="income").to_parquet(tmp_path / "incoming/unlabelled.parquet", index=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("DO_NOT_TRACK", "true")


def edit_params(tmp_path, *, inputs_by_mistake: bool) -> None:
    params = yaml.safe_load((tmp_path / "params.yaml").read_text())
    if inputs_by_mistake:
        personal = params["data"]["personal"]
        params["data"]["numeric"] = [*params["data"]["numeric"], "customer_number"]
        params["data"]["categorical"] = [
            *params["data"]["categorical"],
            *(c for c in personal if c != "customer_number"),
        ]
        params["data"]["personal"] = []
        # So many distinct values are allowed that only the content rules withhold the names.
        params["data"]["max_listed_distinct"] = 5000
    params["train"]["hist_gradient_boosting"]["max_iter"] = 15
    params["monitor"]["min_rows"] = 100
    params["checks"]["model"]["reproducibility"]["max_rows"] = 1000
    params["checks"]["robustness"]["inputs"]["max_examples"] = 20
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))


COMMANDS = [
    ["ingest"], ["prepare"], ["train"], ["fingerprint"], ["evaluate"], ["explain"],
    ["check", "--no-fail"], ["gate", "--no-fail"], ["card", "--no-fail"], ["report"],
    ["package", "--output", "packaged"],
    ["check", "--current", "incoming/batch.parquet", "--output", "reports/batch.json"],
    ["monitor", "incoming/batch.parquet", "--labels"],
    ["monitor", "incoming/unlabelled.parquet"],
    ["predict", "--input", "incoming/unlabelled.parquet", "--output", "reports/scored.parquet"],
    ["predict", "--input", "incoming/batch.parquet", "--output", "reports/explained.parquet",
     "--explain"],
]  # fmt: skip


def run_everything(tmp_path, capfd) -> tuple[dict[str, int], dict[str, str]]:
    import time

    since = time.time() - 1
    codes, printed = {}, {}
    for argv in COMMANDS:
        codes[" ".join(argv)] = run_cli(argv)
        out, err = capfd.readouterr()
        printed[f"<output of mlgate {' '.join(argv)}>"] = out + err
        # 1: a check failed or an alert was raised; never a usage error or a crash.
        assert codes[" ".join(argv)] in (0, 1), (argv, out[-2000:], err[-2000:])
    return codes, {**texts_written(tmp_path, since), **printed}


def init_project(tmp_path, capfd) -> str:
    argv = ["init", "--data", "data/source/people.csv", "--target", "income", "--force"]
    assert run_cli([*argv, "--sensitive", "sex"]) == 0
    out, err = capfd.readouterr()
    return out + err


def test_the_planted_table_has_what_the_test_looks_for(people_table):
    table, batch = people_table
    assert table["first_name"].nunique() > 150
    assert table["checking_account"].nunique() == 4
    assert set(batch["first_name"]) - set(table["first_name"])  # new names in the batch
    assert leaks({"table": table.to_csv()})  # the patterns do find the planted values


def test_declared_personal_columns_reach_no_output(
    tmp_path, project_root, people_table, monkeypatch, capfd
):
    start_project(tmp_path, project_root, people_table, monkeypatch)
    printed = init_project(tmp_path, capfd)
    cfg = load_config("params.yaml")
    # init finds every personal column, the nameless one by its values, and keeps the account
    # status (four categories) as an input.
    assert sorted(cfg.data.personal) == sorted(PERSONAL)
    assert "checking_account" in cfg.data.categorical
    edit_params(tmp_path, inputs_by_mistake=False)
    codes, texts = run_everything(tmp_path, capfd)
    assert codes["predict --input incoming/unlabelled.parquet --output reports/scored.parquet"] == 0
    assert leaks({"<output of mlgate init>": printed, **texts}) == {}


def test_personal_columns_left_as_inputs_fail_the_checks_and_reach_no_output(
    tmp_path, project_root, people_table, monkeypatch, capfd
):
    start_project(tmp_path, project_root, people_table, monkeypatch)
    init_project(tmp_path, capfd)
    edit_params(tmp_path, inputs_by_mistake=True)
    _, texts = run_everything(tmp_path, capfd)
    results = {r["id"]: r for r in json.loads(texts["reports/checks.json"])["results"]}
    personal = results["data.personal_data"]
    assert personal["status"] == "fail"
    assert sorted(personal["details"]["flagged"]) == sorted(PERSONAL)
    batch = {r["id"]: r for r in json.loads(texts["reports/batch.json"])["results"]}
    unseen = batch["data.unseen_categories"]
    assert unseen["status"] in ("warn", "fail")
    assert "first_name" in unseen["details"]["columns"]  # still reported: as a count
    assert leaks(texts) == {}
