"""Data as inert markdown text: the one place a value from data or a person becomes markdown.

Every string that came from data or from a person (a column, a category value, a batch name,
a revision, a title, a check's summary that quotes them) reaches markdown through one of four
contexts, and each shows it as the text it is:

- :func:`text`: a value in a sentence or a table cell (GFM reads an escaped pipe in a cell as a
  pipe);
- :func:`prose`: a sentence mlgate wrote around such values (a check's summary, a gate reason),
  whose whitespace and line breaks are layout, not data;
- :func:`code`: a value in monospace: a code span when it holds nothing a code span cannot show,
  else ``<code>`` around escaped text;
- :func:`html_text`: a value inside a block of raw HTML (``<summary>``), where markdown is not
  parsed and only HTML entities mean anything.

(:func:`mlgate.report.format.chart_text` is the fifth: a string in a mermaid chart.) Each is
inert on GitHub: no link, image, HTML, mention or issue reference comes from the value, and the
comment job's check of the report (``.github/workflows/mlgate-comment.yml``) passes whatever the
data. CommonMark's backslash escapes and HTML entities stop CommonMark's syntax, but not what
GitHub does afterwards to the rendered text: ``@name`` mentions, ``#12`` and ``GH-12`` references,
GFM's bare ``https://…``, ``www.…`` and ``a@b.co`` links and ``:emoji:`` codes survive both
(github/markup#1168, github/cmark-gfm#181). A zero-width space inside each breaks them and reads
the same.
"""

from __future__ import annotations

import html
import re
from typing import Any

#: The longest value shown whole, and the longest sentence: longer ones are cut, with a note.
MAX_VALUE_CHARS = 200
MAX_PROSE_CHARS = 2000
ZERO_WIDTH_SPACE = "\u200b"
#: Markdown's active ASCII punctuation, each escaped with a backslash (CommonMark allows it for any
#: ASCII punctuation): code, emphasis, links and images, headings, tables, strikethrough, math.
_BACKSLASHED = frozenset("\\`*_[]()!#|~$")
#: ``<``, ``>`` and ``&`` as entities: a raw ``<`` then appears only in mlgate's own tags.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: Where GitHub would start a mention, a reference or an autolink: a zero-width space goes there.
_BREAK_AUTOLINKS = re.compile(
    r"(?<=@)|(?<=#)(?=\d)|(?<=\bGH-)(?=\d)|(?<=:)(?=//)|(?<=\bwww)(?=\.)"
    # and an emoji shortcode (":+1:"), which would show a picture in place of the text
    r"|(?<=:)(?=[\w+-]+:)",
    re.IGNORECASE,
)
#: At the start of a line, a list marker ("- ", "+ ", "1. "), a thematic break ("---") or a
#: setext underline ("===") also means something; "-1" and "0.1.0" do not.
_LINE_START = re.compile(r"^(?:([-+=])(?=\s|$|\1)|(\d+)\.(?=\s|$))")
#: Unicode's bidirectional controls: they reorder the text a reader sees (Trojan Source).
_BIDI_CONTROLS = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
#: What a code span cannot hold as it is: a backtick ends it, a pipe ends a table cell even in a
#: code span, and the comment job refuses "<" + a letter (HTML), "](" (a link) and "]:" (a
#: definition) wherever they are. Spaces at the ends would be trimmed.
_NOT_IN_CODE_SPAN = re.compile(r"[`|]|<[A-Za-z/!?]|\][(:]|^\s|\s$")


def visible(value: Any, *, limit: int | None = MAX_VALUE_CHARS) -> str:
    """``value`` as a string a reader can see all of: controls shown, a long one cut with a note.

    A control character (a line break, a tab) becomes its Unicode control picture (``␊``,
    ``␉``); a bidirectional control, which would reorder what is read, its code point
    (``⟨U+202E⟩``). Leading and trailing spaces are dropped (markdown drops them too). With
    ``limit`` None, nothing is cut.
    """
    raw = str(value)
    shown = "".join(_visible_char(c) for c in raw.strip(" "))
    if limit is not None and len(shown) > limit:
        shown = f"{shown[:limit]}… ({len(raw):,} characters, cut)"
    return shown


def _visible_char(char: str) -> str:
    point = ord(char)
    if point < 0x20:
        return chr(0x2400 + point)
    if point == 0x7F:
        return "\u2421"
    if 0x80 <= point < 0xA0 or point in _BIDI_CONTROLS:
        return f"⟨U+{point:04X}⟩"
    return char


def _inert(shown: str) -> str:
    """Visible text with nothing GitHub acts on: autolinks broken, punctuation escaped."""
    broken = _BREAK_AUTOLINKS.sub(ZERO_WIDTH_SPACE, shown)
    escaped = "".join("\\" + c if c in _BACKSLASHED else _ENTITIES.get(c, c) for c in broken)
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\.", escaped)


def text(value: Any, *, limit: int = MAX_VALUE_CHARS) -> str:
    """A value from data as inert markdown text, in a sentence or a table cell.

    Reads as it is written: ``<=50K`` renders ``<=50K``, ``@team`` renders ``@team`` and mentions
    nobody, ``[a](b)`` renders ``[a](b)`` and links nowhere. See :func:`visible` for controls and
    length.
    """
    return _inert(visible(value, limit=limit))


def prose(sentence: Any, *, limit: int = MAX_PROSE_CHARS) -> str:
    """A sentence mlgate wrote around values from data, on one line, as inert text."""
    return text(" ".join(str(sentence).split()), limit=limit)


def code(value: Any, *, limit: int = MAX_VALUE_CHARS) -> str:
    """A value in monospace: a code span where one shows it as it is, else ``<code>`` text.

    Safe in a table cell and outside one. An empty value shows as ``''``.
    """
    raw = str(value)
    if not raw:
        return "`''`"
    if len(raw) <= limit and raw.isprintable() and not _NOT_IN_CODE_SPAN.search(raw):
        return f"`{raw}`"
    return f"<code>{text(value, limit=limit)}</code>"


def html_text(value: Any, *, limit: int = MAX_VALUE_CHARS) -> str:
    """A value inside raw HTML (a ``<summary>``), where only HTML entities mean anything."""
    broken = _BREAK_AUTOLINKS.sub(ZERO_WIDTH_SPACE, visible(value, limit=limit))
    return html.escape(broken, quote=True)
