"""The pieces a report is assembled from, and how much each matters when space runs out."""

from __future__ import annotations

from dataclasses import dataclass

#: Priorities: what survives when the report must be cut to fit a comment (highest last to go).
VERDICT, SUMMARY, CHART, DETAIL = 3, 2, 1, 0


@dataclass(frozen=True)
class Block:
    """A piece of the report, and how much it matters when space runs out."""

    text: str
    priority: int


@dataclass(frozen=True)
class Figures:
    """Relative links to the PNG figures written next to the report, by name.

    Attributes
    ----------
    links : dict
        File name -> link relative to the markdown file.
    embed : bool
        True when the images are published with the comment (CML ``--publish``).
    """

    links: dict[str, str]
    embed: bool
