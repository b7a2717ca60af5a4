"""The validated, typed model of a bank's fact dataset (what the YAML files mean)."""
from __future__ import annotations

import math
import re
from typing import Annotated, Literal, Optional, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
)

from .dates import PartialDate, parse_text

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000\ue001]")


def _printable(value: str) -> str:
    """Control characters have no place in quiz text (and break PDF, XML and Anki output)."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"text contains the control character U+{ord(found.group()):04X}")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
                 AfterValidator(_printable)]
#: like Text, but may be empty (a number's unit)
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_printable)]
#: the largest quantity a number may state; bigger ones cannot be shown or compared sensibly in a quiz
MAX_QUANTITY = 10**15


def _quantity(value: Union[int, float]) -> Union[int, float]:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number (not .nan or .inf)")
    if abs(value) > MAX_QUANTITY:
        raise ValueError(f"must be between -{MAX_QUANTITY:.0e} and {MAX_QUANTITY:.0e}")
    return value


Quantity = Annotated[Union[int, float], AfterValidator(_quantity)]


def _date(value: object) -> PartialDate:
    """PartialDate.parse, once per distinct text: a big bank's events share their dates (2,221 in 5,000)."""
    return parse_text(value) if type(value) is str else PartialDate.parse(value)


Date = Annotated[PartialDate, BeforeValidator(_date), PlainSerializer(lambda d: d.text)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    id: Id
    title: Text
    publisher: Text
    published: Date
    url: Optional[Text] = None
    file: Optional[Text] = None


class TemplateSets(Record):
    """Shared templates a bank uses besides its own templates/ folder."""

    include: list[Text] = []    # a set shipped with quizgen ("timeline") or a folder, relative to the bank
    leave_out: list[Id] = []    # included templates this bank does not want (it has its own, or they do not fit)


class BankInfo(Record):
    id: Id
    title: Text
    deck_name: Optional[Text] = None
    language: Text = "en"
    as_of: Date
    description: Text
    sources: list[Source] = Field(min_length=1)
    templates: TemplateSets = TemplateSets()

    @property
    def display_name(self) -> str:
        return self.deck_name or self.title


class Entity(Record):
    id: Id
    name: Text
    kind: Id                        # from the bank's vocabulary.yaml
    aliases: list[Text] = Field(default_factory=list)
    article: Optional[Literal["the"]] = None    # "the United States": a blank or a swap takes the article along
    general: bool = False           # a whole category (Artillery): it contains every entity of its `category`
    # "German": not an answer, but a prompt showing it gives the entity away
    adjectives: list[Text] = Field(default_factory=list)
    side: Optional[Id] = None       # the camp it is in (people and bodies inherit their country's): a swapped-in
                                    # actor comes from the answer's camp, never the other side's
    role: Optional[Text] = None
    country: Optional[Id] = None
    category: Optional[Text] = None     # what sort of thing it is ("fighter aircraft"): same-category options first
    origin: list[Id] = Field(default_factory=list)
    links: list[Text] = Field(default_factory=list)
    quote: Optional[Text] = None
    source: Optional[Id] = None


class Restriction(Record):
    id: Id
    name: Text
    imposed_by: list[Id] = Field(min_length=1)
    concerns: list[Id] = Field(default_factory=list)
    status: Id                      # from the bank's vocabulary.yaml
    status_note: Text
    source: Optional[Id] = None
    quote: Text


class Event(Record):
    id: Id
    date: Date
    date_text: Optional[Text] = None
    date_note: Optional[Text] = None
    date_inferred: bool = False     # the source does not date it; the date is the article's own time
    ongoing: bool = False           # began at `date` and still held at the bank's date ("since 2023")
    actors: list[Id] = Field(min_length=1)
    actors_open: bool = False       # the source leaves open who else did it ("such as"): nobody else is refuted
    action: Id                      # from the bank's vocabulary.yaml
    subject: Id
    subjects_open: bool = False     # the source implies other subjects too ("even ATACMS"): none is refuted
    restriction: Optional[Id] = None
    concerns: list[Id] = Field(default_factory=list)   # other entities the event is about
    effect: Id = "none"             # from the bank's vocabulary.yaml; "none": it changes no restriction
    summary: Text
    source: Optional[Id] = None
    quote: Text


class Quote(Record):
    id: Id
    speaker: Id
    date: Date
    date_text: Optional[Text] = None
    date_note: Optional[Text] = None
    date_inferred: bool = False     # the source does not date the words; the date is the article's own time
    to: Optional[Id] = None
    text: Text
    context: Text
    source: Optional[Id] = None


class Number(Record):
    id: Id
    value: Quantity
    unit: OptionalText = ""         # for many ("years"): a prompt says "in years" whatever the answer
    unit_one: OptionalText = ""     # after 1 ("year"); empty when it reads the same ("aircraft")
    # other answers the source itself gives ("56 miles" for 90 kilometers)
    accepted: list[Text] = Field(default_factory=list)
    about: Optional[Id] = None
    question: Text
    summary: Text
    source: Optional[Id] = None
    quote: Text


#: top-level key in a data file -> record model
RECORD_TYPES: dict[str, type[Record]] = {
    "entities": Entity,
    "restrictions": Restriction,
    "events": Event,
    "quotes": Quote,
    "numbers": Number,
}
