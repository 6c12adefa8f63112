"""The documentation site's reference pages, generated from the code that defines what they list.

Each page is rendered from a registry or a model: the params from the config models, the checks
from the check registry, the monitoring tests from theirs, the exit codes from :mod:`mlgate.errors`,
the evidence schemas from the artefact models. The site's build hook (``docs/hooks/reference.py``)
writes them at build time, so a page can never disagree with the code; ``mlgate --help`` and the
command pages come from the click commands themselves (mkdocs-click).
"""

from __future__ import annotations

from collections.abc import Callable

from mlgate.reference.catalogue import checks_page, monitoring_tests_page
from mlgate.reference.exit_codes import exit_codes_page
from mlgate.reference.params import params_page
from mlgate.reference.schemas import schemas_page

#: Each generated page (its path under ``docs/``) and the function that renders it.
PAGES: dict[str, Callable[[], str]] = {
    "reference/params.md": params_page,
    "reference/checks.md": checks_page,
    "reference/monitoring-tests.md": monitoring_tests_page,
    "reference/exit-codes.md": exit_codes_page,
    "reference/schemas.md": schemas_page,
}

__all__ = ["PAGES"]
