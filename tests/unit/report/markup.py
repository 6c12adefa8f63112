"""What a rendered markdown document makes live on GitHub: links, images, HTML, mentions, tables.

The document is parsed with markdown-it-py (CommonMark, plus GFM tables and strikethrough; it
comes with DVC through rich). GitHub then does more than CommonMark, on the text of the rendered
HTML: GFM's extended autolinks (``https://…``, ``www.…``, ``user@host.tld``), ``@mentions`` and
issue references (``#12``, ``GH-12``), none of which a backslash escape or an HTML entity turns
off (github/markup#1168, github/cmark-gfm#181). Those are found with regular expressions over the
text nodes: the same rules, written stricter than GitHub's (any ``@`` or ``#`` directly before a
letter or digit counts, whatever precedes it). Text in code spans and fences is left alone:
GitHub links nothing there.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt
from ruamel.yaml import YAML

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

#: The HTML tags mlgate writes itself: anything else came from data.
OWN_TAGS = frozenset(
    {
        "<sub>",
        "</sub>",
        "<details>",
        "<details open>",
        "</details>",
        "<summary>",
        "</summary>",
        "<b>",
        "</b>",
        "<code>",
        "</code>",
    }
)
#: The hidden line that finds a model's alert issue again (``mlgate.report.monitor.issue_marker``).
OWN_COMMENT = re.compile(r"<!-- mlgate-monitor: model=[A-Za-z0-9/_-]+ -->")
#: The only links mlgate writes: its own figures, beside the report.
OWN_LINK = re.compile(r"report/[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.png")
#: What GitHub turns into a link or a notification in text, written stricter than GitHub does.
LIVE_TEXT = {
    # also an e-mail autolink (and GFM's mailto: and xmpp: ones), which all need "@" + a letter
    "mention": re.compile(r"@[A-Za-z0-9]"),
    "issue reference": re.compile(r"(?:#|\bGH-)[0-9]", re.IGNORECASE),
    "url autolink": re.compile(r"(?:https?|ftp)://", re.IGNORECASE),
    "www autolink": re.compile(r"\bwww\.", re.IGNORECASE),
}
_TAG = re.compile(r"<[^<>]*>")
# A pipe that ends a table cell: not escaped, not inside a code span.
_CELL_PIPE = re.compile(r"(?<!\\)\|")


def live_markup(markdown: str, *, own_text: tuple[str, ...] = ()) -> list[str]:
    """Everything in ``markdown`` that is not inert text, each said in a few words.

    ``own_text`` lists text mlgate writes itself that a rule would flag (none today).
    """
    found: list[str] = []
    for token in PARSER.parse(markdown):
        if token.type == "html_block":
            found += _html(token.content)
        text = ""  # adjacent text nodes read as one: a mention may span two of them
        for child in token.children or []:
            if child.type == "text":
                text += child.content
                continue
            found += _text(text, own_text)
            text = ""
            if child.type in ("link_open", "image"):
                target = str(child.attrs.get("href") or child.attrs.get("src"))
                if not OWN_LINK.fullmatch(target):
                    found.append(f"{child.type} to {target!r}")
            elif child.type == "html_inline" and not _own(child.content):
                found.append(f"HTML {child.content!r}")
        found += _text(text, own_text)
    return found


def _own(tag: str) -> bool:
    return tag in OWN_TAGS or OWN_COMMENT.fullmatch(tag) is not None


def _html(block: str) -> list[str]:
    found = [f"HTML {tag!r}" for tag in _TAG.findall(block) if not _own(tag)]
    return found + _text(html.unescape(_TAG.sub(" ", block)), ())


def _text(text: str, own_text: tuple[str, ...]) -> list[str]:
    for own in own_text:
        text = text.replace(own, "")
    if not text:
        return []
    return [f"{name} in {text!r}" for name, pattern in LIVE_TEXT.items() if pattern.search(text)]


def broken_tables(markdown: str) -> list[str]:
    """Each table row whose cells are not the header's: a value split a cell or joined two."""
    # Lines as markdown has them: "\n" alone ends one (splitlines would also end one at U+2028).
    lines = markdown.split("\n")
    broken = []
    for token in PARSER.parse(markdown):
        if token.type != "table_open" or token.map is None:
            continue
        start, end = token.map
        rows = [_cells(line) for line in lines[start:end]]
        broken += [lines[start + i] for i, n in enumerate(rows) if n != rows[0]]
    return broken


def _cells(line: str) -> int:
    # GFM splits a row at every unescaped pipe, inside code spans too.
    return len(_CELL_PIPE.findall(line.strip().removeprefix("|").removesuffix("|"))) + 1


def shown_text(markdown: str) -> str:
    """What a reader sees: the rendered HTML without its tags and zero-width characters."""
    rendered = PARSER.render(markdown)
    return html.unescape(_TAG.sub("", rendered)).replace("\u200b", "")


#: The comment job's check of the report, as the workflow runs it.
COMMENT_WORKFLOW = Path(__file__).resolve().parents[3] / ".github/workflows/mlgate-comment.yml"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def comment_check_source() -> str:
    """The Python the comment job runs on the report before posting it (its ``CHECK`` heredoc)."""
    workflow = YAML(typ="safe").load(COMMENT_WORKFLOW.read_text())
    step = next(
        s for s in workflow["jobs"]["comment"]["steps"] if s.get("name") == "Validate and post"
    )
    found = re.search(r"<<'CHECK'\n(.*?)\nCHECK\n", step["run"], re.DOTALL)
    assert found, "the comment job's check is a heredoc named CHECK"
    return found.group(1)


def comment_refusal(markdown: str, *, figures: tuple[str, ...] = ()) -> str | None:
    """Why the comment job would refuse to post ``markdown``, or None if it would post it.

    The report is laid out as the artifact is: ``report.md`` beside ``report/`` and its PNGs.
    """
    source = comment_check_source()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "report").mkdir()
        (root / "report.md").write_text(markdown, encoding="utf-8")
        for name in figures:
            (root / "report" / name).write_bytes(PNG)
        said = io.StringIO()
        argv = sys.argv
        sys.argv = ["-", str(root)]
        try:
            with contextlib.redirect_stdout(said):
                exec(compile(source, "comment-check", "exec"), {"__name__": "__main__"})
        except SystemExit as stopped:
            return said.getvalue().strip() or f"exit {stopped.code}"
        finally:
            sys.argv = argv
    return None
