"""The registry as GTO's git tags say it is: versions, who holds each stage, and what happened.

Read from the local tags (fetch them first: :func:`mlgate.git.fetch_tags_and_branch`). The holder of
a stage is the version of its **latest** assignment, ordered by GTO's per-artifact counter
(``model#prod#N``): tag times have one-second resolution, and GTO's own ``find_versions_in_stage``
orders by version number, which would undo a rollback to an older version.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from mlgate.errors import DataError
from mlgate.git import resolve
from mlgate.registry.evidence import parse_message

#: GTO's names for the events mlgate shows, as ``gto.api.history`` spells them.
REGISTRATION, ASSIGNMENT, UNASSIGNMENT = "registration", "assignment", "unassignment"


@dataclass(frozen=True)
class Event:
    """One registry event: a tag GTO understands.

    Attributes
    ----------
    kind : str
        ``registration``, ``assignment``, ``unassignment``, ``deregistration`` or ``deprecation``.
    version, stage : str or None
        The version (``v1.2.0``) and, for an (un)assignment, the stage.
    commit : str
        The commit the tag points at.
    tag : str
        The tag's name (``model@v1.2.0``, ``model#prod#3``).
    counter : int
        GTO's per-artifact counter of stage tags (0 for a registration).
    author, author_email : str
        Who made the tag (its tagger).
    at : datetime
        When (one-second resolution).
    record : dict or None
        The JSON record of an mlgate tag's message; None for a tag mlgate did not write, or
        whose record this mlgate cannot read.
    record_problem : str or None
        Why a record that claims to be mlgate's cannot be read (another version, a wrong key).
    sequence : float
        The event's place in the registry's history (:func:`_sequenced`), newer is larger.
    """

    kind: str
    version: str | None
    stage: str | None
    commit: str
    tag: str
    counter: int
    author: str
    author_email: str
    at: datetime
    record: dict[str, Any] | None
    record_problem: str | None = None
    sequence: float = 0.0

    def describe(self) -> str:
        """``model#prod#3 by Ann <ann@x> at 2026-11-28 14:20:22+00:00``."""
        return f"{self.tag} by {self.author} <{self.author_email}> at {self.at}"


@dataclass(frozen=True)
class RegistryState:
    """Everything the tags of one artifact say, in the order it happened (oldest first)."""

    artifact: str
    events: tuple[Event, ...]
    holders: dict[str, Event] = field(default_factory=dict)

    @property
    def registrations(self) -> dict[str, Event]:
        """Each registered version's registration event."""
        return {e.version: e for e in self.events if e.kind == REGISTRATION and e.version}

    def version_at(self, commit: str) -> str | None:
        """The version registered on ``commit``, if any."""
        return next((v for v, e in self.registrations.items() if e.commit == commit), None)

    def holder(self, stage: str) -> Event | None:
        """The assignment that put the current version in ``stage``; None if nothing is there."""
        return self.holders.get(stage)

    def assigned_before(self, version: str, stage: str) -> bool:
        """Whether ``version`` was ever assigned to ``stage`` (GTO then needs ``force``)."""
        return any(
            e.kind == ASSIGNMENT and e.version == version and e.stage == stage for e in self.events
        )

    def latest_version(self) -> str | None:
        """The highest registered version by SemVer (the one a bump starts from)."""
        from gto.versions import SemVer

        versions = list(self.registrations)
        return max(versions, key=SemVer) if versions else None


def _counter(tag: str) -> int:
    from gto.api import parse_tag

    return int(parse_tag(tag).get("counter") or 0)


def read_state(artifact: str, *, repo: str = ".") -> RegistryState:
    """The registry state of ``artifact`` from the local tags of ``repo``.

    Raises
    ------
    DataError
        When GTO cannot make one registry of the tags (two versions registered on one commit,
        a malformed tag): tags are data anyone with push access writes, and such a tag was not
        written by ``mlgate promote``.
    """
    from gto.api import history
    from gto.exceptions import GTOException

    try:
        raw_events = history(repo, artifact, ascending=True)
    except GTOException as exc:
        raise DataError(
            f"the registry's git tags for {artifact!r} do not make one registry: {exc} "
            "mlgate never writes such tags: find the hand-made one (`git tag -v`, "
            "`mlgate registry history --no-fetch` after deleting it locally) and delete it on "
            "the remote (`git push origin :refs/tags/<tag>`)."
        ) from None
    events = []
    for raw in raw_events:
        if raw["event"] == "commit":
            continue
        record, record_problem = parse_message(raw.get("message"))
        events.append(
            Event(
                kind=raw["event"],
                version=raw.get("version"),
                stage=raw.get("stage"),
                commit=raw["commit"],
                tag=raw["ref"],
                counter=_counter(raw["ref"]) if raw.get("stage") else 0,
                author=raw.get("author") or "",
                author_email=raw.get("author_email") or "",
                at=raw["timestamp"],
                record=record,
                record_problem=record_problem,
            )
        )
    events = _sequenced(events)
    holders: dict[str, Event] = {}
    for event in events:
        if event.kind == ASSIGNMENT and event.stage:
            holders[event.stage] = event
        elif event.kind == UNASSIGNMENT and event.stage:
            held = holders.get(event.stage)
            if held is not None and held.version == event.version:
                del holders[event.stage]
    return RegistryState(artifact, tuple(events), holders)


def _sequenced(events: list[Event]) -> list[Event]:
    """``events`` in the order they happened, each with its :attr:`Event.sequence`.

    A stage tag's counter orders it (promotion fetches every tag before counting, so the counter
    grows with time, unlike the one-second tag times). A registration goes just before the
    assignment made in the same promotion (same ``promotion_id``); one made otherwise (GTO's own
    CLI), just after the stage tags made before it.
    """
    paired = {
        e.record["promotion_id"]: e.counter
        for e in events
        if e.counter and e.record and e.record.get("promotion_id")
    }
    placed = []
    for event in events:
        promotion = (event.record or {}).get("promotion_id")
        if event.counter:
            sequence = float(event.counter)
        elif promotion and promotion in paired:
            sequence = paired[promotion] - 0.5
        else:
            earlier = [e.counter for e in events if e.counter and e.at <= event.at]
            sequence = max(earlier, default=0) + 0.25
        placed.append(replace(event, sequence=sequence))
    return sorted(placed, key=lambda e: e.sequence)


def production_tag(artifact: str, stage: str) -> Event | None:
    """The assignment holding ``stage`` in this repository's local tags; None if none (or no git).

    The comparison checks use its commit as the champion, in place of a branch.
    """
    if resolve("HEAD") is None:
        return None
    return read_state(artifact).holder(stage)
