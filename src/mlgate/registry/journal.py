"""What this clone has seen of the registry: so that a tag deleted on the remote still shows.

A fetch makes the local tags exactly the remote's (``--prune-tags``), so a promotion whose tag
someone deleted on the remote would vanish from ``registry history``. Each clone keeps a journal
in its git folder (never pushed, never pruned) of every registry tag it has seen, with the tag
object's id; a tag in the journal that is no longer here was deleted, and a tag whose object
changed was replaced. Stage tags are also numbered by GTO's per-artifact counter, so a missing
number among the tags shows a deletion even to a clone that never saw the tag.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from mlgate.git import git_dir, tag_object_id
from mlgate.registry.state import RegistryState

#: The journal's file in the git folder.
JOURNAL_NAME = "mlgate-registry-journal.jsonl"


@dataclass(frozen=True)
class Vanished:
    """A registry tag this clone saw that is gone or was replaced.

    Attributes
    ----------
    tag : str
        Its name.
    object_id : str
        The tag object this clone saw.
    seen_at : str
        When this clone first saw it (UTC, ISO 8601).
    now : str or None
        The object the tag holds now; None when it was deleted.
    """

    tag: str
    object_id: str
    seen_at: str
    now: str | None

    def describe(self) -> str:
        """One line for ``registry history``."""
        what = "DELETED" if self.now is None else f"REPLACED (now object {self.now[:12]})"
        return f"{what}: {self.tag} (object {self.object_id[:12]}), seen here since {self.seen_at}"


def _read() -> dict[str, dict[str, str]]:
    path = git_dir() / JOURNAL_NAME
    seen: dict[str, dict[str, str]] = {}
    if not path.is_file():
        return seen
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            seen.setdefault(str(entry["tag"]), {k: str(v) for k, v in entry.items()})
        except (ValueError, KeyError, TypeError):
            continue  # a torn last line (a killed run) loses that line only
    return seen


def remember(state: RegistryState) -> None:
    """Add the tags of ``state`` this clone has not seen before to the journal."""
    seen = _read()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    new = []
    for event in state.events:
        if event.tag in seen:
            continue
        object_id = tag_object_id(event.tag)
        if object_id:
            new.append(json.dumps({"tag": event.tag, "object": object_id, "seen_at": now}))
    if new:
        with (git_dir() / JOURNAL_NAME).open("a", encoding="utf-8") as journal:
            journal.write("\n".join(new) + "\n")


def vanished(state: RegistryState) -> list[Vanished]:
    """The tags of ``state``'s artifact this clone saw that are gone or hold another object."""
    prefixes = (f"{state.artifact}@", f"{state.artifact}#")
    found = []
    for tag, entry in sorted(_read().items()):
        if not tag.startswith(prefixes):
            continue
        current = tag_object_id(tag)
        if current != entry.get("object"):
            found.append(Vanished(tag, entry.get("object", ""), entry.get("seen_at", ""), current))
    return found


def missing_counters(state: RegistryState) -> list[int]:
    """GTO's stage-tag numbers below the highest that no tag holds: deleted stage tags."""
    counters = {event.counter for event in state.events if event.counter}
    return sorted(set(range(1, max(counters, default=0))) - counters)
