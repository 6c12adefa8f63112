"""The registry's order of events: GTO's counters, not one-second tag times."""

from __future__ import annotations

from datetime import UTC, datetime

from mlgate.registry.state import ASSIGNMENT, REGISTRATION, Event, _sequenced

SECOND = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


def event(kind, version, counter=0, *, stage=None, record=None) -> Event:
    tag = f"model#{stage}#{counter}" if stage else f"model@{version}"
    return Event(kind, version, stage, "c" * 40, tag, counter, "a", "a@x", SECOND, record)


def test_events_in_one_second_are_ordered_by_counter_and_promotion():
    events = [
        event(ASSIGNMENT, "v0.1.0", 3, stage="prod", record={"promotion_id": "r"}),
        event(REGISTRATION, "v0.2.0", record={"promotion_id": "p2"}),
        event(ASSIGNMENT, "v0.2.0", 2, stage="prod", record={"promotion_id": "p2"}),
        event(ASSIGNMENT, "v0.1.0", 1, stage="prod", record={"promotion_id": "p1"}),
        event(REGISTRATION, "v0.1.0", record={"promotion_id": "p1"}),
    ]
    ordered = [(e.kind, e.version, e.counter) for e in _sequenced(events)]
    assert ordered == [
        (REGISTRATION, "v0.1.0", 0),
        (ASSIGNMENT, "v0.1.0", 1),
        (REGISTRATION, "v0.2.0", 0),
        (ASSIGNMENT, "v0.2.0", 2),
        (ASSIGNMENT, "v0.1.0", 3),
    ]


def test_records_without_a_promotion_id_do_not_break_the_order():
    """Hand-made tags may carry an mlgate-looking record with no promotion id."""
    events = [
        event(ASSIGNMENT, "v0.1.0", 1, stage="prod", record={"schema": "mlgate.promotion/1"}),
        event(REGISTRATION, "v0.1.0", record={"schema": "mlgate.promotion/1"}),
    ]
    assert [e.kind for e in _sequenced(events)] == [ASSIGNMENT, REGISTRATION]
