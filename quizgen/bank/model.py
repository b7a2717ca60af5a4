"""The validated, typed model of a bank's fact dataset (what the YAML files mean)."""
from __future__ import annotations

import math
import re
from enum import Enum
from typing import Annotated, Optional, Union

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
                "requested_by_ukraine": "requested by Ukraine",
                "disregarded": "not lifted, but disregarded by Ukraine"}[self.value]


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
    actors: list[Id] = Field(min_length=1)
    action: Action
    subject: Id
    restriction: Optional[Id] = None
    weapons: list[Id] = []
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
    to: Optional[Id] = None
    text: Text
    context: Text
    source: Optional[Id] = None


class Number(Record):
    id: Id
    value: Quantity
    unit: OptionalText = ""
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
