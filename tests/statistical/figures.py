"""The measurements' figures: printed for the log, and recorded for the statistics page.

Every test in this folder states what it measured through :func:`figure`. With the environment
variable ``MLGATE_FIGURES`` set to a file, each figure is also appended to it as a JSON line
(with the test that measured it), and ``python -m tests.statistical.figures_page FILE`` renders
``docs/explanation/statistics.md`` from them: ``make statistics-page`` does both.
"""

from __future__ import annotations

import json
import os


def figure(name: str, text: str) -> None:
    """Print ``FIGURE name: text``; append it to ``$MLGATE_FIGURES`` when that is set."""
    print(f"\nFIGURE {name}: {text}")
    path = os.environ.get("MLGATE_FIGURES")
    if path:
        test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
        line = json.dumps({"test": test, "name": name, "text": text}, ensure_ascii=False)
        # One short write per line in append mode: workers of pytest-xdist do not interleave.
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
