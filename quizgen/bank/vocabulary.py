"""A bank's own words: the actions, effects, statuses and record kinds its records may use, and what each means.

Nothing about a bank's subject is known to Python: a bank declares its vocabulary in `vocabulary.yaml`, and the
generator, the selectors and the handout read meanings from it. What Python does know is the small, fixed set of
*meanings* a timeline of restrictions needs: what an effect does to a restriction (for the handout) and whether a
status means the restriction still holds (for "in force as of" questions).
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .model import Id, Text

VOCABULARY_FILE = "vocabulary.yaml"
NO_EFFECT = "none"      # the effect of an event that changes no restriction; built in, never declared

#: what an effect does to a restriction (the handout draws each with its own shape)
EFFECT_CLASSES = ("imposes", "keeps", "eases", "ends")
#: where a restriction stands as of the bank's date
STATUS_CLASSES = ("holds", "partly", "ended", "other")


def _label(word: str) -> str:
    return word.replace("_", " ")


class _Word(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    label: Optional[Text] = None


class ActionWord(_Word):
    """An action; its class groups actions that answer the same question ("who lifted it?")."""

    class_: Id = Field(alias="class")
    role: Optional[Id] = None       # who does it (decider, speaker...): a swapped-in actor played the same role
    implies: Optional[Id] = None    # another class it makes true: whoever supplied a thing also allowed it
    forecast: bool = False          # an expectation, not a thing that happened: never dated or put in order


class EffectWord(_Word):
    class_: Literal[EFFECT_CLASSES] = Field(alias="class")


class StatusWord(_Word):
    class_: Literal[STATUS_CLASSES] = Field(alias="class")


class Words(BaseModel):
    """The bank's own word for a restriction, for titles and prompts ("rule", "ban", "sanction")."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    restriction: Text = "restriction"
    restrictions: Text = "restrictions"


class Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    words: Words = Words()
    kinds: list[Id] = Field(min_length=1)
    actions: dict[Id, ActionWord] = Field(min_length=1)
    effects: dict[Id, EffectWord] = {}
    statuses: dict[Id, StatusWord] = {}

    def action_class(self, action: str) -> str:
        return self.actions[action].class_

    def action_label(self, action: str) -> str:
        return self.actions[action].label or _label(action)

    def effect_class(self, effect: str) -> str:
        return NO_EFFECT if effect == NO_EFFECT else self.effects[effect].class_

    def effect_label(self, effect: str) -> str:
        return "" if effect == NO_EFFECT else self.effects[effect].label or _label(effect)

    def status_class(self, status: str) -> str:
        return self.statuses[status].class_

    def status_label(self, status: str) -> str:
        return self.statuses[status].label or _label(status)

    def allowed(self, section: str) -> list[str]:
        """The words a record field may take from one section (effects include the built-in 'none')."""
        words = list(getattr(self, section))
        return [*words, NO_EFFECT] if section == "effects" else words


#: record type -> field -> the vocabulary section its value must come from
VOCABULARY_FIELDS: dict[str, dict[str, str]] = {
    "entities": {"kind": "kinds"},
    "restrictions": {"status": "statuses"},
    "events": {"action": "actions", "effect": "effects"},
}
