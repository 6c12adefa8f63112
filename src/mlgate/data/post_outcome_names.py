"""Names and types that suggest a column was recorded after the outcome: hints for a person.

"days_to_new_arrest", "is_recid", "rfstime" (a survival table's time to recurrence), a column of
dates: each is worth a question ("was it known before the outcome?"), never a verdict, since
honest columns share these words. :mod:`mlgate.data.target_leakage` flags a column only when a
statistic says it predicts the label too well, and uses a hint as the second sign below its
strictest limit.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from mlgate.data.personal_data import name_words

if TYPE_CHECKING:
    import pandas as pd

#: Words in a column's name that suggest it was recorded after the outcome.
POST_OUTCOME_WORDS = frozenset(
    {
        "outcome", "outcomes", "result", "results", "reoffend", "reoffended", "reoffense",
        "recid", "recidivism", "recidivist", "target", "label", "after", "post", "end", "ended",
        "final", "status", "followup", "future", "event", "response", "resolved", "closed",
        "discharge", "death", "died", "churned", "defaulted", "violation", "rearrest",
        "survival", "surv", "censor", "censored", "censoring", "recurrence", "relapse",
        "progression", "futime",
    }
)  # fmt: skip
#: A word ending so counts a duration up to an event: survival tables' rfstime, dtime, pfstime.
DURATION_SUFFIX = "time"
#: Word pairs that say the same: "days_to_arrest", "time to event".
POST_OUTCOME_PAIRS = (("days", "to"), ("time", "to"), ("months", "to"), ("years", "to"))
DATE_WORDS = frozenset({"date", "dt", "datetime", "timestamp", "time", "day", "when"})
#: A value written as a date (2013-01-27, 27/01/2013, 2013-01-27 10:04:00).
_DATE_VALUE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?.*)?$")
#: Share of a text column's present values written as dates for it to be read as dates.
MIN_DATE_SHARE = 0.8
#: Present values of a text column looked at to tell whether it holds dates.
DATE_SAMPLE = 1000


def is_date_text(values: pd.Series) -> bool:
    """True when most present values of a text column are written as dates."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return False
    # The first values decide: a column of dates is one from its start.
    present = values.dropna().head(DATE_SAMPLE).astype(str).str.strip()
    return bool(len(present)) and present.str.match(_DATE_VALUE).mean() >= MIN_DATE_SHARE


def post_outcome_hint(column: str, values: pd.Series, *, target: str) -> str | None:
    """Why the name or type of ``column`` suggests it was recorded after the outcome, or None."""
    import pandas as pd

    words = name_words(column)
    hits = sorted(set(words) & POST_OUTCOME_WORDS)
    hits += sorted(
        w
        for w in set(words) - POST_OUTCOME_WORDS
        if w.endswith(DURATION_SUFFIX) and len(w) > len(DURATION_SUFFIX)
    )
    hits += [" ".join(pair) for pair in POST_OUTCOME_PAIRS if _has_pair(words, pair)]
    shared = sorted(
        w for w in set(words) & set(name_words(target)) if len(w) >= 4 and w not in hits
    )
    reasons = []
    if hits:
        reasons.append(f"its name has {', '.join(repr(h) for h in hits)}")
    if shared:
        reasons.append(f"its name shares {', '.join(repr(w) for w in shared)} with the target")
    if pd.api.types.is_datetime64_any_dtype(values) or is_date_text(values):
        reasons.append("it holds dates")
    elif set(words) & DATE_WORDS:
        reasons.append("its name says it is a date or time")
    if not reasons:
        return None
    return "; ".join(reasons) + ": was it known before the outcome?"


def _has_pair(words: list[str], pair: tuple[str, str]) -> bool:
    return pair in set(itertools.pairwise(words))
