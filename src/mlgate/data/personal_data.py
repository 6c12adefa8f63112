"""Recognise columns that identify people: names, ids, emails, phone numbers, dates, free text.

Such columns must not become features (a model that keys on an id memorises people, and one that
reads a name or a date of birth uses what the law protects), and they must not travel into
reports, SHAP audit files or pull-request comments. ``mlgate init`` uses this to propose
``data.personal`` (columns dropped when the data is read), and the ``data.personal_data`` check to
flag a declared feature that looks identifying. The rules are heuristics on the column's name and
values, stated in :func:`identifying_reason`; each gives the reason a reviewer reads.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Name parts that say a column identifies someone (matched against the name's words).
IDENTIFYING_WORDS = frozenset(
    {
        "id", "uuid", "guid", "ssn", "nin", "passport", "name", "firstname", "lastname",
        "surname", "fullname", "email", "mail", "phone", "telephone", "mobile", "tel",
        "address", "street", "zip", "zipcode", "postcode", "postal", "dob", "birthdate",
        "birthday", "ip", "iban", "account", "username", "login",
    }
)  # fmt: skip
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,}$")
#: Shares of non-missing values past which a column is said to hold emails, phones, ...
MIN_SHARE = 0.8
#: Fewer non-missing values than this: value-based rules say nothing.
MIN_VALUES = 20


def name_words(name: str) -> list[str]:
    """The lower-case words of a column name: ``DateOfBirth`` and ``date_of_birth`` alike."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [word for word in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if word]


def identifying_reason(name: str, values: pd.Series) -> str | None:
    """Why the column ``name`` looks like personal data, or None when nothing says so.

    A column is flagged when its name has an identifying word (``id``, ``email``, ``name``, ...
    or "date of birth"), when most of its values are emails, phone numbers or dates, when every
    value is different (an identifier), or when it is free text (long, mostly unique strings).
    """
    words = name_words(name)
    hits = sorted(set(words) & IDENTIFYING_WORDS)
    if hits or ("birth" in words and "date" in words):
        return f"its name says so ({', '.join(hits) or 'date of birth'})"
    from pandas.api.types import is_numeric_dtype

    present = values.dropna()
    if len(present) < MIN_VALUES:
        return None
    if not is_numeric_dtype(present):
        text = present.astype(str).str.strip()
        if _dates(text) >= MIN_SHARE:
            return f"{_dates(text):.0%} of its values are dates"
        for label, pattern in (("email addresses", _EMAIL), ("phone numbers", _PHONE)):
            if text.str.match(pattern).mean() >= MIN_SHARE and not _numbers(text):
                return f"{text.str.match(pattern).mean():.0%} of its values are {label}"
        unique = text.nunique() / len(text)
        if unique >= 0.5 and text.str.len().mean() >= 30:
            return f"free text: {unique:.0%} distinct values, {text.str.len().mean():.0f} chars"
        if unique == 1.0:
            return "every value is different: an identifier"
    elif _whole_numbers(present) and present.nunique() == len(present):
        return "every value is a different whole number: an identifier"
    return None


def _numbers(text: pd.Series) -> bool:
    import pandas as pd

    return bool(pd.to_numeric(text, errors="coerce").notna().mean() >= MIN_SHARE)


def _dates(text: pd.Series) -> float:
    import warnings

    import pandas as pd

    if _numbers(text):
        return 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns when it guesses each value's format
        parsed = pd.to_datetime(text, errors="coerce", format="mixed")
    return float(parsed.notna().mean())


def _whole_numbers(values: pd.Series) -> bool:
    import numpy as np

    numbers = np.asarray(values, dtype=float)
    return bool(np.all(np.isfinite(numbers)) and np.all(numbers == np.round(numbers)))
