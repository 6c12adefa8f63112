"""Recognise columns that identify people: names, ids, emails, phone numbers, dates, free text.

Such columns must not become features (a model that keys on an id memorises people, and one that
reads a name or a date of birth uses what the law protects), and their values must not travel
into reports, SHAP audit files or pull-request comments. ``mlgate init`` uses this to propose
``data.personal`` (columns dropped when the data is read), the ``data.personal_data`` check to
flag a declared feature that looks identifying, and :mod:`mlgate.data.redaction` to withhold a
column's values from every output.

A column is judged by its values first. Its name is only a hint: a name word (``id``, ``name``,
``account``, ...) flags a column only when its values could single people out, never a column of
a few categories (``checking_account`` holding four status codes is a category, not personal
data). The rules are in :func:`identifying_reason`; each gives the reason a reviewer reads.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Name parts that hint a column identifies someone (matched against the name's words).
IDENTIFYING_WORDS = frozenset(
    {
        "id", "uuid", "guid", "ssn", "nin", "passport", "name", "firstname", "lastname",
        "surname", "fullname", "email", "mail", "phone", "telephone", "mobile", "tel",
        "address", "street", "zip", "zipcode", "postcode", "postal", "dob", "birthdate",
        "birthday", "ip", "iban", "account", "username", "login",
    }
)  # fmt: skip
#: Common first names (lower case): evidence that a column of single words holds person names
#: even when they are not capitalised. A short list suffices: a column of names has many of them.
_FIRST_NAMES_TEXT = """
    james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel gregory alexander patrick frank raymond jack dennis jerry
    tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter
    christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan
    jesse bryan billy bruce gabriel joe logan alan juan albert willie elijah wayne randy roy
    vincent ralph eugene russell bobby mason philip louis carlos luis miguel antonio jorge
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty
    sandra margaret ashley kimberly emily donna michelle carol amanda melissa deborah
    stephanie dorothy rebecca sharon laura cynthia amy kathleen angela shirley brenda emma
    anna pamela nicole samantha katherine christine helen debra rachel carolyn janet maria
    catherine heather diane olivia julie joyce victoria ruth virginia lauren kelly christina
    joan evelyn judith andrea hannah megan cheryl jacqueline martha madison teresa gloria
    sara janice ann kathryn abigail sophia frances jean alice judy isabella julia grace amber
    denise danielle marilyn beverly charlotte natalie theresa diana brittany doris kayla
    alexis lori marie mohammed muhammad ahmed ali fatima wei li yan mei hiroshi yuki priya
"""
FIRST_NAMES = frozenset(_FIRST_NAMES_TEXT.split())
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,}$")
#: A short run of words: "Ada Lovelace", "O'Brien", and "Allen, Miss. Elisabeth Walton" or
#: "Allison, Mrs. Hudson J C (Bessie Waldo Daniels)", the "Surname, Title. Given" of passenger
#: lists and Kaggle's tables.
_WORDS = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[ ,'’.()-]+[^\W\d_]+){0,7}[.)]?$")
#: Punctuation around a word of a name ("Allen," "(Bessie"), left out before looking it up.
_NAME_PUNCTUATION = ",.()"
_ADDRESS = re.compile(
    r"^\d+[A-Za-z]?,?\s+(?:[\w'.-]+\s+){0,4}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|"
    r"boulevard|blvd|way|court|ct|place|pl|terrace|close|crescent|square|sq|highway|hwy|"
    r"parkway|pkwy|gardens|row|hill)\b",
    re.IGNORECASE,
)
#: Shares of non-missing values past which a column is said to hold emails, phones, ...
MIN_SHARE = 0.8
#: Fewer non-missing values than this: value-based rules say nothing (the name still hints).
MIN_VALUES = 20
#: At most this many distinct values, each on 5 rows or more on average: a category, which
#: singles nobody out whatever the column is called.
MAX_CATEGORY_VALUES = 20
#: A column of capitalised words with this many distinct values (and 2% of its rows) or more
#: holds names: more than the states or countries a category of places holds.
MIN_NAME_VALUES = 100
#: Rows (a fixed sample) on which the share of dates, emails, names, ... is measured.
MAX_SAMPLE = 2000


def name_words(name: str) -> list[str]:
    """The lower-case words of a column name: ``DateOfBirth`` and ``date_of_birth`` alike."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [word for word in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if word]


def name_hint(name: str) -> str | None:
    """The words of ``name`` that hint at personal data (``id``, ``date of birth``), or None."""
    words = name_words(name)
    hits = sorted(set(words) & IDENTIFYING_WORDS)
    if "birth" in words and "date" in words:
        hits.append("date of birth")
    return ", ".join(hits) or None


def is_few_categories(values: pd.Series) -> bool:
    """Whether the non-missing ``values`` are a handful of categories, each shared by many rows."""
    present = values.dropna()
    distinct = present.nunique()
    return distinct <= MAX_CATEGORY_VALUES and distinct * 5 <= len(present)


def identifying_reason(name: str, values: pd.Series) -> str | None:
    """Why the column ``name`` looks like personal data, or None when nothing says so.

    A column of a few categories (at most ``MAX_CATEGORY_VALUES`` distinct values, each on five
    rows or more on average) is never flagged. Otherwise, with at least ``MIN_VALUES`` values:
    a name word (``id``, ``email``, ``name``, "date of birth", ...) flags a text column, and a
    numeric one of whole numbers that mostly differ; and by the values alone,
    most are dates, emails, phone numbers, street addresses or person names (short runs of
    words, a fifth of them common first names or ``MIN_NAME_VALUES`` distinct capitalised
    ones), or free text (long, mostly
    distinct strings), or every value is different (an identifier). With fewer values, only
    the name says anything.
    """
    from pandas.api.types import is_numeric_dtype

    present = values.dropna()
    hint = name_hint(name)
    if len(present) < MIN_VALUES:
        return f"its name says so ({hint})" if hint else None
    if is_few_categories(present):
        return None
    if is_numeric_dtype(present):
        whole = _whole_numbers(present)
        if hint and whole and present.nunique() >= len(present) / 2:
            return f"its name says so ({hint})"
        if whole and present.nunique() == len(present):
            return "every value is a different whole number: an identifier"
        return None
    if hint:
        return f"its name says so ({hint})"
    return _content_reason(present.astype(str).str.strip())


def _content_reason(text: pd.Series) -> str | None:
    """What the values of a text column are, when they identify people.

    Shares of values of a kind (dates, emails, ...) are measured on a fixed sample of at most
    ``MAX_SAMPLE`` rows, so that a table of millions of rows is judged in moments.
    """
    sample = text if len(text) <= MAX_SAMPLE else text.sample(n=MAX_SAMPLE, random_state=0)
    dates = _dates(sample)
    if dates >= MIN_SHARE:
        return f"{dates:.0%} of its values are dates"
    for label, pattern in (
        ("email addresses", _EMAIL),
        ("phone numbers", _PHONE),
        ("street addresses", _ADDRESS),
    ):
        share = float(sample.str.match(pattern).mean())
        if share >= MIN_SHARE and (label != "phone numbers" or not _numbers(sample)):
            return f"{share:.0%} of its values are {label}"
    distinct = text.nunique()
    unique = distinct / len(text)
    if unique >= 0.5 and text.str.len().mean() >= 30:
        return f"free text: {unique:.0%} distinct values, {text.str.len().mean():.0f} chars"
    names = _person_names(sample, distinct=distinct, rows=len(text))
    if names is not None:
        return f"person names: {distinct:,} distinct values, {names}"
    if unique == 1.0:
        return "every value is different: an identifier"
    return None


def _person_names(text: pd.Series, *, distinct: int, rows: int) -> str | None:
    """What says ``text`` holds person names: short runs of words, and first names or many.

    Capitalised words alone also describe places and products, so they count only when there
    are ``MIN_NAME_VALUES`` distinct ones or more (and 2% of the rows): more than a list of
    states or countries holds. Common first names count at any number.
    """
    if text.str.match(_WORDS).mean() < MIN_SHARE:
        return None
    tokens = text.str.split().explode().str.strip(_NAME_PUNCTUATION)
    tokens = tokens[tokens.str.len() > 0]
    if float(tokens.str.lower().isin(FIRST_NAMES).mean()) >= 0.2:
        return "many of them first names"
    capitalised = float((tokens.str[:1].str.isupper() & tokens.str[1:].str.islower()).mean())
    if capitalised >= MIN_SHARE and distinct >= MIN_NAME_VALUES and distinct >= 0.02 * rows:
        return "of capitalised words"
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
