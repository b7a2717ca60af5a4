"""Text rules a good question keeps, shared by the kind builders (which avoid breaking them) and the review
(which checks every question against them): no date inside an item that is ordered by date, no "the _____",
no pronoun after a blanked person, whole sentences that start with a capital."""
from __future__ import annotations

import functools
import re

from .views import BLANK

_MONTHS = ("January|February|March|April|June|July|August|September|October|November|December")
#: a year, a month name ("May" only next to a number or a date word: it is also a verb), a season or part of a
#: year with its year, and relative dates ("last week", "on Thursday", "since January")
_DATE = re.compile(
    rf"\b(1[89]\d\d|20\d\d)\b|\b(?:{_MONTHS})\b|\bMay\s+\d{{1,4}}\b|\d\s+May\b|\b(?:in|of|early|mid|late|since)\s+May\b"
    r"|\b(?:spring|summer|autumn|winter)\s+(?:of\s+)?\d{4}\b|\blast\s+(?:week|month|year)\b"
    r"|\b(?:on|last|this|since)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|spring|summer|"
    r"autumn|winter)\b")
_PRONOUN = re.compile(r"\b(?:he|his|him|himself|she|her|hers|herself)\b", re.IGNORECASE)
_ARTICLE_BLANK = re.compile(rf"\bthe\s+{re.escape(BLANK)}", re.IGNORECASE)
_A_BLANK = re.compile(rf"\ban?\s+{re.escape(BLANK)}", re.IGNORECASE)
#: "Requested: Attacking ..." reads as a fact only one way round; an item must be a statement
_LABEL_ITEM = re.compile(r"^[A-Z][a-z]+(?: [a-z]+)?: \S")


@functools.lru_cache(maxsize=65536)
def date_in(text: str) -> str | None:
    """The first date expression in the text, if any."""
    found = _DATE.search(text)
    return found.group(0) if found else None


def article_before_blank(text: str) -> bool:
    return bool(_ARTICLE_BLANK.search(text))


def article_a_before_blank(text: str) -> bool:
    """"a _____" or "an _____": tells a singular answer, and one starting with a consonant or a vowel."""
    return bool(_A_BLANK.search(text))


def category_named(text: str, category: str) -> bool:
    """Does the text name the category ("anti-aircraft missile" names "anti-aircraft system")? Its distinctive
    word counts: the one word of a one-word category, else each word but the last (the generic noun)."""
    return any(pattern.search(text) for pattern in _category_words(category))


@functools.lru_cache(maxsize=1024)
def _category_words(category: str) -> tuple[re.Pattern, ...]:
    words = category.lower().split()
    words = [w for w in (words[:-1] if len(words) > 1 else words) if len(w) > 3]
    return tuple(re.compile(rf"(?<!\w){re.escape(w)}", re.IGNORECASE) for w in words)


def pronoun_after_blank(text: str) -> str | None:
    """A gendered pronoun after the first blank: it tells a person's answer by gender."""
    at = text.find(BLANK)
    if at < 0:
        return None
    found = _PRONOUN.search(text, at)
    return found.group(0) if found else None


def starts_lower(text: str) -> bool:
    first = next((c for c in text if c.isalpha()), "")
    return first.islower()


def label_item(text: str) -> bool:
    return bool(_LABEL_ITEM.match(text))


def months_apart(first, second) -> int:
    """Whole months from the start of one date to the start of the other (any precision)."""
    return abs((second.start.year - first.start.year) * 12 + second.start.month - first.start.month)
