"""Every versioned file: read through its model, documented, and refused in another version."""

from __future__ import annotations

import json

import pytest

from mlgate.errors import DataError
from mlgate.gate.decision_schema import GateFile, committed_decision, recorded_decision_problem
from mlgate.monitor.fingerprint_schema import FingerprintFile
from mlgate.reference.schemas import VERSIONED_FILES, schemas_page
from mlgate.registry.evidence import parse_message, verify_tag_record
from mlgate.versioned import FileFormat, VersionedFile, check_written, read_versioned

MODELS = [documented.model for documented in VERSIONED_FILES]


def recorded_as(fmt: FileFormat, version: int, name: str | None = None) -> dict:
    """A document that records only its format, as ``fmt`` would at ``version``."""
    name = name or fmt.name
    value = {"name": name, "version": version} if fmt.style == "mapping" else f"{name}/{version}"
    return {fmt.key: value}


def all_subclasses(cls: type) -> set[type]:
    direct = set(cls.__subclasses__())
    return direct.union(*(all_subclasses(c) for c in direct))


def test_every_versioned_file_is_on_the_schemas_page():
    assert all_subclasses(VersionedFile) == set(MODELS)
    page = schemas_page()
    for documented in VERSIONED_FILES:
        fmt = documented.model.FORMAT
        assert f"| `{fmt.name}` | {fmt.version} |" in page
        assert json.dumps(documented.model.model_json_schema(), indent=2, sort_keys=True) in page


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.FORMAT.name)
def test_the_format_key_of_the_model_is_the_one_its_format_records(model):
    fmt = model.FORMAT
    schema = model.model_json_schema()
    assert fmt.key in schema["required"]
    recorded = fmt.recorded
    if fmt.style == "mapping":
        nested = schema["$defs"][schema["properties"][fmt.key]["$ref"].rsplit("/", 1)[1]]
        assert {k: v["const"] for k, v in nested["properties"].items()} == recorded
    else:
        assert schema["properties"][fmt.key]["const"] == recorded


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.FORMAT.name)
def test_an_older_version_is_refused_saying_which_version_and_what_writes_it_again(model):
    fmt = model.FORMAT
    older = recorded_as(fmt, fmt.version - 1)
    with pytest.raises(DataError) as refused:
        read_versioned(older, model, source="the file", remedy="Write it again with X.")
    assert str(refused.value) == (
        f"the file is in {fmt.name} version {fmt.version - 1}, written by an earlier mlgate; "
        f"this mlgate reads version {fmt.version} only. Write it again with X."
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.FORMAT.name)
@pytest.mark.parametrize(
    ("document", "message"),
    [
        (lambda fmt: recorded_as(fmt, fmt.version + 1), "written by a newer mlgate"),
        (lambda fmt: recorded_as(fmt, fmt.version, name="mlgate.other"), "is a mlgate.other file"),
        (lambda fmt: {fmt.key: "no version"}, "records no readable format"),
        (lambda fmt: {}, "records no readable format"),
        (lambda fmt: [recorded_as(fmt, fmt.version)], "is a JSON list"),
        (lambda fmt: recorded_as(fmt, fmt.version), "Field required"),
    ],
    ids=["newer", "other format", "no version", "no format", "not an object", "empty"],
)
def test_anything_but_this_version_of_the_format_is_refused(model, document, message):
    with pytest.raises(DataError, match=r"^the file ") as refused:
        read_versioned(document(model.FORMAT), model, source="the file", remedy="")
    assert message in str(refused.value)


def test_a_writer_cannot_leave_a_malformed_file(small_fingerprint):
    assert check_written(small_fingerprint, FingerprintFile) is small_fingerprint
    broken = dict(small_fingerprint, decision_threshold="0.5")
    with pytest.raises(ValueError, match="decision_threshold"):
        check_written(broken, FingerprintFile)


def gate_document(**changes) -> dict:
    document = {
        "format": GateFile.FORMAT.recorded,
        "decision": "promote",
        "reasons": [],
        "judged": {
            "model_sha256": "a" * 64,
            "data_sha256": {"data/ingested/train.parquet": "b" * 64},
            "params_sha256": "c" * 64,
            "code_sha256": "d" * 64,
        },
        "counts": {"pass": 3},
        "mlgate_version": "0.1.0",
    }
    return document | changes


def test_a_committed_gate_decision_is_read_only_in_this_format():
    source = "reports/gate.json at 1a2b3c4d5e6f"
    assert recorded_decision_problem(gate_document(), source=source) is None
    assert committed_decision(gate_document(), source=source).decision == "promote"
    rejected = recorded_decision_problem(gate_document(decision="reject"), source=source)
    assert rejected == f"{source} says 'reject': the gate never promoted that commit."
    older = gate_document(format={"name": "mlgate.gate", "version": 0})
    assert "version 0, written by an earlier mlgate" in recorded_decision_problem(
        older, source=source
    )
    assert "is missing" in recorded_decision_problem(None, source=source)
    # A forged decision that says promote with a wrong type is no promotion.
    forged = gate_document(counts={"pass": "3"})
    assert "counts.pass" in recorded_decision_problem(forged, source=source)
    edited = gate_document(note="promoted by hand")
    assert "note: Extra inputs are not permitted" in recorded_decision_problem(
        edited, source=source
    )


def tag_message(record: dict) -> str:
    return f"mlgate promote model v1.0.0\n\n{json.dumps(record)}"


def promotion_record(**changes) -> dict:
    record = {
        "schema": "mlgate.promotion/1",
        "action": "promote",
        "artifact": "model",
        "version": "v1.0.0",
        "stage": "prod",
        "decision": "promote",
        "commit": "c" * 40,
        "evidence_digest": "sha256:" + "e" * 64,
        "evidence": {"reports/checks.json": "sha256:" + "f" * 64},
        "hashes": {"model_sha256": "a" * 64},
        "metrics": {"roc_auc": {"value": 0.9, "ci": [0.89, 0.91], "status": "pass"}},
        "mlgate_version": "0.1.0",
        "promotion_id": "2f1c",
        "promoted_by": "ci",
        "at": "2026-12-07T10:00:00+00:00",
        "previous": None,
    }
    return record | changes


def test_a_tag_record_of_an_older_version_is_refused_saying_so():
    record, problem = parse_message(tag_message(promotion_record(schema="mlgate.promotion/0")))
    assert record is None
    (reason,) = verify_tag_record(record, tag="model#prod#1", target="c" * 40, problem=problem)
    assert reason.startswith("model#prod#1 carries a promotion record mlgate cannot read: ")
    assert "mlgate.promotion version 0, written by an earlier mlgate" in reason


def test_a_tag_record_with_a_wrong_key_is_no_record():
    record, problem = parse_message(tag_message(promotion_record(metrics={"auc": 0.9})))
    assert record is None
    assert "metrics.auc" in problem
    record, problem = parse_message(tag_message(promotion_record()))
    assert problem is None
    assert record["version"] == "v1.0.0"


def test_a_message_that_is_not_mlgate_s_has_no_record_and_no_problem():
    assert parse_message("a tag made by hand") == (None, None)
    assert parse_message('made by hand\n\n{"schema": "other/1"}') == (None, None)
    assert parse_message("made by hand\n\nnot json") == (None, None)
