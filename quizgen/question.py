"""The neutral question model: the only thing renderers read.

Plain text only: no HTML, no reportlab markup, no cloze braces. Each renderer escapes and marks up
for its own output.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Iterable


class Kind(str, Enum):
    multiple_choice = "multiple_choice"
    multiple_select = "multiple_select"
    true_false = "true_false"
    ordering = "ordering"
    which_first = "which_first"
    matching = "matching"
    cloze = "cloze"
    short_answer = "short_answer"
    numeric = "numeric"
    quote = "quote"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.multiple_choice: "multiple choice", Kind.multiple_select: "multiple select",
    Kind.true_false: "true or false", Kind.ordering: "chronological order",
    Kind.which_first: "which came first", Kind.matching: "matching", Kind.cloze: "cloze",
    Kind.short_answer: "short answer", Kind.numeric: "numeric", Kind.quote: "quote attribution",
}

#: kinds whose answer is one of `choices`
SINGLE_CHOICE_KINDS = frozenset({Kind.multiple_choice, Kind.true_false, Kind.which_first, Kind.quote})


@dataclass(frozen=True, slots=True)
class ClozePart:
    """A run of cloze text: plain when `hole` is 0, otherwise the text hidden as deletion number `hole`."""

    text: str
    hole: int = 0


@dataclass(frozen=True, slots=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class SourceRef:
    title: str
    quote: str
    publisher: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """One generated question.

    - multiple_choice, which_first, quote: `choices` holds the options, `answer` the right one.
    - true_false: `choices` is ("True", "False"), `answer` one of them.
    - multiple_select: `answer` is the tuple of right options (a subset of `choices`).
    - ordering: `choices` are the items as presented; `answer` the same items in date order.
    - matching: `pairs` are the right left->right pairs; `choices` are the right-hand options offered.
    - cloze: `cloze` holds the parts; `prompt` is the full sentence; `answer` the hidden texts joined.
    - short_answer: `answer` plus `accepted` alternatives. numeric: `answer` is the number as text, `unit`
      for many ("years": a prompt says "in years" whatever the answer), `unit_one` the form after 1 ("year").
    """

    id: str
    bank: str
    template: str
    group: str
    kind: Kind
    prompt: str
    answer: str | tuple[str, ...]
    choices: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    pairs: tuple[Pair, ...] = ()
    cloze: tuple[ClozePart, ...] = ()
    unit: str = ""
    unit_one: str = ""
    explanation: str = ""
    facts: tuple[str, ...] = ()
    source: SourceRef = field(default_factory=lambda: SourceRef("", ""))
    tags: tuple[str, ...] = ()
    sort_key: str = ""

    @property
    def answers(self) -> tuple[str, ...]:
        """The answer as a tuple, whatever the kind."""
        return self.answer if isinstance(self.answer, tuple) else (self.answer,)

    def unit_for(self, count: str | None = None) -> str:
        """The unit as it reads after `count` ("1 year", "2 years"); after no count (a hint), the form for many.
        Both forms come from the bank: no guessing at English plurals ("aircraft", "people")."""
        if count is not None and _is_one(count):
            return self.unit_one or self.unit
        return self.unit

    def to_dict(self) -> dict:
        """JSON-ready form (the `quizgen export --format json` schema)."""
        data = asdict(self)
        data["kind"] = self.kind.value
        data["answer"] = list(self.answer) if isinstance(self.answer, tuple) else self.answer
        for key in ("choices", "accepted", "facts", "tags"):
            data[key] = list(data[key])
        data["pairs"] = [{"left": p.left, "right": p.right} for p in self.pairs]
        data["cloze"] = [{"text": c.text, "hole": c.hole} for c in self.cloze]
        data["source"] = {"title": self.source.title, "quote": self.source.quote,
                          "publisher": self.source.publisher}
        return data


def _is_one(count: str) -> bool:
    try:
        return abs(float(count)) == 1
    except ValueError:
        return False


def split_names(values: Iterable[str] | None) -> tuple[str, ...]:
    """Names from repeatable, comma-separated options, in order, each once."""
    return tuple(dict.fromkeys(n.strip() for v in values or () for n in str(v).split(",") if n.strip()))


def parse_kinds(values: Iterable[str | Kind] | None) -> tuple[Kind, ...]:
    """Kinds from option values ("multiple_choice,true_false", repeated, or Kind members)."""
    from .errors import QuizgenError

    kinds = []
    for name in split_names(v.value if isinstance(v, Kind) else v for v in values or ()):
        try:
            kinds.append(Kind(name.lower().replace("-", "_")))
        except ValueError:
            raise QuizgenError(f"unknown question kind '{name}'; kinds: "
                               + ", ".join(k.value for k in Kind)) from None
    return tuple(dict.fromkeys(kinds))


def stable_id(bank_id: str, template_id: str, fact_ids: tuple[str, ...] | list[str]) -> str:
    """Hash of bank, template and facts: survives wording changes, differs for different facts."""
    key = "\x1f".join([bank_id, template_id, *fact_ids])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One point on the handout's timeline: a restriction imposed, kept, eased or ended on a date, by someone."""

    date_label: str
    start: str          # ISO date of the earliest day the date can mean, for placing it on an axis
    end: str            # ISO date of the latest day
    restriction: str
    deciders: tuple[str, ...]
    effect: str         # what it did to the restriction: imposes, keeps, eases or ends (the handout's mark)
    summary: str
    effect_label: str = ""  # the bank's own word for it ("partly lifted", "eased")


@dataclass(frozen=True, slots=True)
class RestrictionStatus:
    restriction: str
    status: str         # what it means: holds (still in force), partly, ended or other
    status_label: str   # the bank's own words for it
    imposed_by: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class BankMeta:
    """What renderers may know about the bank besides its questions (titles, dates, the timeline)."""

    id: str
    title: str
    deck_name: str
    description: str
    language: str
    as_of: str          # ISO prefix, e.g. "2024-05-31"
    as_of_label: str    # e.g. "31 May 2024"
    source: SourceRef
    timeline: tuple[TimelineEntry, ...] = ()
    restrictions: tuple[RestrictionStatus, ...] = ()
    restriction_word: str = "restriction"       # the bank's own word for a restriction, singular and plural
    restrictions_word: str = "restrictions"
