"""MkDocs hook: add the reference pages generated from the code (:mod:`mlgate.reference`).

The pages exist only in the built site, never in git, so none can disagree with the code.
"""

from __future__ import annotations

from mkdocs.structure.files import File, Files

from mlgate.reference import PAGES


def on_files(files: Files, config) -> Files:
    """Append each generated page to the site's files."""
    for path, render in PAGES.items():
        files.append(File.generated(config, path, content=render()))
    return files
