"""Dates known only as precisely as the source states them.

A PartialDate is an interval [start, end] with a precision. "2023" is neither before nor after
"August 2023": one date is before another only when it ends before the other starts.
"""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum


class Precision(str, Enum):
    day = "day"
    part_of_month = "part_of_month"
    month = "month"
    season = "season"
    part_of_year = "part_of_year"
    year = "year"

    @property
    def rank(self) -> int:
        """Higher is finer; seasons and parts of a year share a rank."""
        return _RANK[self]


_RANK = {Precision.day: 5, Precision.part_of_month: 4, Precision.month: 3,
         Precision.season: 2, Precision.part_of_year: 2, Precision.year: 1}

_PARTS_OF_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_PARTS_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}
_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}|early|mid|late))?|-(early|mid|late|spring|summer|autumn))?$")

#: date text -> label (`parse`, the only way dates are made, derives everything from the text); a big
#: bank asks for the same few thousand labels hundreds of thousands of times
_LABELS: dict[str, str] = {}

SYNTAX_HELP = ('use "YYYY-MM-DD", "YYYY-MM", "YYYY", "YYYY-MM-early|mid|late", '
               '"YYYY-early|mid|late" or "YYYY-spring|summer|autumn"')


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True, slots=True, order=False)
class PartialDate:
    text: str
    precision: Precision
    start: date
    end: date

    def __hash__(self) -> int:
        """The text decides every other field; hashing it alone is cheaper (dates key many caches)."""
        return hash(self.text)

    @classmethod
    def parse(cls, value: object) -> "PartialDate":
        """Parse the bank's date syntax; ValueError says what is wrong."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, date):
            value = value.isoformat()
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError(f"a date must be a string, {SYNTAX_HELP}")
        text = str(value).strip()
        match = _PATTERN.match(text)
        if not match:
            raise ValueError(f"cannot read date {text!r}: {SYNTAX_HELP}")
        year_s, month_s, day_or_part, year_part = match.groups()
        year = int(year_s)
        if year < 1:
            raise ValueError(f"impossible date {text!r}")
        if year_part in _SEASONS:
            first, last = _SEASONS[year_part]
            return cls(text, Precision.season, date(year, first, 1), date(year, last, _month_end(year, last)))
        if year_part:
            first, last = _PARTS_OF_YEAR[year_part]
            return cls(text, Precision.part_of_year, date(year, first, 1), date(year, last, _month_end(year, last)))
        if month_s is None:
            return cls(text, Precision.year, date(year, 1, 1), date(year, 12, 31))
        month = int(month_s)
        if not 1 <= month <= 12:
            raise ValueError(f"impossible date {text!r}: there is no month {month}")
        last_day = _month_end(year, month)
        if day_or_part is None:
            return cls(text, Precision.month, date(year, month, 1), date(year, month, last_day))
        if day_or_part in _PARTS_OF_MONTH:
            first, last = _PARTS_OF_MONTH[day_or_part]
            return cls(text, Precision.part_of_month, date(year, month, first), date(year, month, min(last, last_day)))
        day = int(day_or_part)
        if not 1 <= day <= last_day:
            raise ValueError(f"impossible date {text!r}: {calendar.month_name[month]} {year} has {last_day} days")
        return cls(text, Precision.day, date(year, month, day), date(year, month, day))

    def before(self, other: "PartialDate") -> bool:
        """True only when this date certainly comes first, whatever the exact days were."""
        return self.end < other.start

    def comparable(self, other: "PartialDate") -> bool:
        return self.before(other) or other.before(self)

    @property
    def iso(self) -> str:
        """ISO prefix at the date's precision: "2023", "2023-08", "2024-05-30"."""
        if self.precision is Precision.day:
            return self.start.isoformat()
        if self.precision in (Precision.month, Precision.part_of_month):
            return self.start.isoformat()[:7]
        return str(self.start.year)

    @property
    def label(self) -> str:
        """The date as a person writes it, never more precise than it is."""
        label = _LABELS.get(self.text)
        if label is None:
            label = _LABELS[self.text] = self._label()
        return label

    def _label(self) -> str:
        year = self.start.year
        month = calendar.month_name[self.start.month]
        if self.precision is Precision.day:
            return f"{self.start.day} {month} {year}"
        if self.precision is Precision.month:
            return f"{month} {year}"
        part = self.text.rsplit("-", 1)[-1]
        if self.precision is Precision.part_of_month:
            return f"{part} {month} {year}"
        if self.precision in (Precision.season, Precision.part_of_year):
            return f"{part} {year}"
        return str(year)

    @property
    def sort_key(self) -> tuple:
        return (self.start, self.end, self.text)

    def months_until(self, later: "PartialDate") -> int | None:
        """Whole calendar months from this month to a later one; None unless both are known to the month."""
        if self.precision.rank < Precision.month.rank or later.precision.rank < Precision.month.rank:
            return None
        return (later.start.year - self.start.year) * 12 + later.start.month - self.start.month

    def __str__(self) -> str:
        return self.label


@functools.lru_cache(maxsize=1 << 16)
def parse_text(text: str) -> PartialDate:
    """`PartialDate.parse` of a date text, once per distinct text: a big bank's events share their dates, and
    the generator makes the same neighbouring dates again and again."""
    return PartialDate.parse(text)
