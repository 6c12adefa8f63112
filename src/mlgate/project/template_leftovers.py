"""What ``mlgate init`` removes of the old table from ``params.yaml``: comments and card text.

The template's comments explain its keys with the dataset it was written for ("fnlwgt is the
census sampling weight", "age > 50 in the test rows"). Pointed at another table they would be
wrong, and read as if they were about it. A comment that names anything of the old table (a
column, a label, the data file's name) goes, as a whole block: half a sentence would mislead as
much. The model card's text is replaced by placeholders that keep ``mlgate card`` failing, and
promotion refused, until a person writes it (:func:`card_placeholders`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any


def old_table_words(params: Mapping[str, Any]) -> frozenset[str]:
    """What names the table ``params`` describes: its columns, labels and data files' names."""
    data = params.get("data") or {}
    ingest = params.get("ingest") or {}
    words: set[str] = set()
    for key in ("numeric", "categorical", "sensitive_features", "personal", "labels"):
        words.update(str(v) for v in data.get(key) or ())
    words.update(str(v) for v in (data.get("target"), data.get("positive_label")) if v)
    words.update(str(v) for v in ingest.get("column_names") or ())
    for key in ("train_path", "test_path"):
        if ingest.get(key):
            # adult.data.gz -> "adult": the dataset's name, which the comments also use.
            words.add(PurePosixPath(str(ingest[key])).name.split(".")[0])
    return frozenset(w for w in (w.strip() for w in words) if len(w) >= 2)


@dataclass(frozen=True)
class _CommentLine:
    line: int  # 0-based line of the text
    column: int  # where the '#' is
    own_line: bool  # nothing but the comment on its line


def drop_comments_naming(text: str, words: Iterable[str]) -> tuple[str, int]:
    """``text`` (YAML) without each comment block that names one of ``words``; how many went.

    A block is a run of comment lines at the same column on consecutive lines (an end-of-line
    comment continued under itself counts as one). Words match whole, case-insensitively: the
    column ``age`` removes "# age > 50", not "# usage". Comments are found by ruamel's own
    scanner, so a ``#`` inside a quoted value is never taken for one.
    """
    pattern = _words_pattern(words)
    if pattern is None:
        return text, 0
    lines = text.split("\n")
    blocks = _blocks(_comment_lines(text, lines))
    drop: list[_CommentLine] = []
    removed = 0
    for block in blocks:
        if any(pattern.search(lines[c.line][c.column :]) for c in block):
            drop += block
            removed += 1
    for comment in sorted(drop, key=lambda c: c.line, reverse=True):
        if comment.own_line:
            del lines[comment.line]
        else:
            lines[comment.line] = lines[comment.line][: comment.column].rstrip()
    return "\n".join(lines), removed


def _words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    if not alternatives:
        return None
    # Not inside a longer name: letters, digits, '_' and '-' continue one (native-country).
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])", re.IGNORECASE)


def _comment_lines(text: str, lines: list[str]) -> list[_CommentLine]:
    from ruamel.yaml import YAML

    found: dict[int, _CommentLine] = {}
    for token in YAML().scan(text):
        for comment in _attached(getattr(token, "comment", None)):
            # A token's value may run over the following lines (more comments, blank lines), and
            # its mark is not always on the first of them: each part is found by its text.
            cursor = max(0, comment.start_mark.line - 1)
            for part in comment.value.split("\n"):
                body = part.strip()
                if not body.startswith("#"):
                    continue
                for number in range(cursor, min(len(lines), cursor + 4)):
                    column = lines[number].rfind(body)
                    if column >= 0 and lines[number][column:].rstrip() == body:
                        own_line = not lines[number][:column].strip()
                        found[number] = _CommentLine(number, column, own_line)
                        cursor = number + 1
                        break
    return sorted(found.values(), key=lambda c: c.line)


def _attached(comment: Any) -> Iterable[Any]:
    """The CommentTokens in ruamel's nested comment lists."""
    if comment is None:
        return
    if isinstance(comment, list):
        for item in comment:
            yield from _attached(item)
    elif hasattr(comment, "start_mark") and hasattr(comment, "value"):
        yield comment


def _blocks(comments: list[_CommentLine]) -> list[list[_CommentLine]]:
    blocks: list[list[_CommentLine]] = []
    for comment in comments:
        previous = blocks[-1][-1] if blocks else None
        continues = (
            previous is not None
            and comment.own_line
            and comment.line == previous.line + 1
            and comment.column == previous.column
        )
        if continues:
            blocks[-1].append(comment)
        else:
            blocks.append([comment])
    return blocks


def card_placeholders(fields: Mapping[str, str]) -> dict[str, str]:
    """``card:`` text for a new table: each section a TODO saying what it must hold.

    ``fields`` maps each card key to its description. "TODO" is what the card's check looks for,
    so ``mlgate card`` exits 1, and promotion is refused, until a person has written them.
    """
    return {
        key: f"TODO: {description} (mlgate init removed the template's text: it was about "
        "another table.)"
        for key, description in fields.items()
    }
