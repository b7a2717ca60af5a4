"""The validated, typed model of a bank's fact dataset (what the YAML files mean)."""
from __future__ import annotations

import re
from enum import Enum
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

from .dates import PartialDate

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
Date = Annotated[PartialDate, BeforeValidator(PartialDate.parse), PlainSerializer(lambda d: d.text)]


class EntityKind(str, Enum):
    country = "country"
    organisation = "organisation"
    person = "person"
    weapon = "weapon"
    media = "media"
    group = "group"
    place = "place"


class Status(str, Enum):
    """Where a red line stands as of the bank's as_of date."""

    lifted = "lifted"
    partly_lifted = "partly_lifted"
    in_force = "in_force"
    requested_by_ukraine = "requested_by_ukraine"
    disregarded = "disregarded"

    @property
    def label(self) -> str:
        return {"lifted": "lifted", "partly_lifted": "partly lifted", "in_force": "still in force",
                "requested_by_ukraine": "still in force: requested by Ukraine, not granted",
                "disregarded": "gone: Kyiv disregarded it"}[self.value]

    @property
    def standing(self) -> str | None:
        """"in force" or "lifted" when a plain yes/no question about the red line has one answer; None for a
        red line partly lifted or gone through disregard, which no such question may ask about."""
        return {"lifted": "lifted", "in_force": "in force", "requested_by_ukraine": "in force"}.get(self.value)


class Effect(str, Enum):
    """What an event did to a red line."""

    lifted = "lifted"
    partly_lifted = "partly_lifted"
    kept = "kept"
    imposed = "imposed"
    none = "none"


class Action(str, Enum):
    """The controlled vocabulary of what an actor did."""

    authorized = "authorized"
    approved = "approved"
    refused = "refused"
    ruled_out = "ruled_out"
    prohibited = "prohibited"
    opposed = "opposed"
    supplied = "supplied"
    supported = "supported"
    used = "used"
    attacked = "attacked"
    launched = "launched"
    requested = "requested"
    proposed = "proposed"
    warned = "warned"
    threatened = "threatened"
    reported = "reported"
    said = "said"
    confirmed = "confirmed"
    visited = "visited"
    expected = "expected"
    denied = "denied"
    shifted = "shifted"
    acknowledged = "acknowledged"
    pressed = "pressed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Source(Record):
    id: Id
    title: Text
    publisher: Text
    published: Date
    url: Optional[Text] = None
    file: Optional[Text] = None


class BankInfo(Record):
    id: Id
    title: Text
    deck_name: Optional[Text] = None
    language: Text = "en"
    as_of: Date
    description: Text
    sources: list[Source] = Field(min_length=1)

    @property
    def display_name(self) -> str:
        return self.deck_name or self.title


class Entity(Record):
    id: Id
    name: Text
    kind: EntityKind
    aliases: list[Text] = []
    article: Optional[Literal["the"]] = None    # "the United States": a blank or a swap takes the article along
    generic: bool = False                       # a category (Artillery) that contains every weapon of its type
    adjectives: list[Text] = []                 # "German": not an answer, but a prompt showing it gives it away
    role: Optional[Text] = None
    country: Optional[Id] = None
    weapon_type: Optional[Text] = None
    origin: list[Id] = []
    links: list[Text] = []
    quote: Optional[Text] = None
    source: Optional[Id] = None


class Restriction(Record):
    id: Id
    name: Text
    imposed_by: list[Id] = Field(min_length=1)
    concerns: list[Id] = []
    status: Status
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
    actors_open: bool = False       # the source leaves the list open ("such as"): nobody else is refuted
    action: Action
    subject: Id
    restriction: Optional[Id] = None
    subjects_open: bool = False     # the source implies other subjects too ("even ATACMS"): none is refuted
    involved: list[Id] = []         # other entities the event concerns (places, media, suppliers...)
    effect: Effect = Effect.none
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
    value: Union[int, float]
    unit: str = ""                  # for many ("years"): a prompt says "in years" whatever the answer
    unit_one: str = ""              # after 1 ("year"); empty when it reads the same ("aircraft")
    accepted: list[Text] = []       # other answers the source itself gives ("56 miles" for 90 kilometers)
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
