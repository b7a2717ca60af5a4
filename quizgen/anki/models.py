"""The note types (genanki Models), one per shape of question.

Field and template names are part of each note type's identity in Anki: when they change, Anki
treats incoming notes as a different type and no longer updates the learner's notes. Change them
only together with the note type's name (which changes its id).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..question import Kind
from .ids import stable_id
from .style import CSS

SOURCE_FIELDS = ("Explanation", "SourceTitle", "SourcePublisher", "SourceQuote")

_LABEL = '<div class="qz-label">{{Label}}</div>'
_PROMPT = '<div class="qz-prompt">{{Prompt}}</div>'
_SOURCE = (
    '{{#Explanation}}<div class="qz-explanation">{{Explanation}}</div>{{/Explanation}}'
    '<div class="qz-source">{{#SourceTitle}}<span class="title">{{SourceTitle}}</span>{{/SourceTitle}}'
    '{{#SourcePublisher}} · {{SourcePublisher}}{{/SourcePublisher}}'
    '{{#SourceQuote}}<blockquote>“{{SourceQuote}}”</blockquote>{{/SourceQuote}}</div>'
)


def _card(*parts: str) -> str:
    return '<div class="qz">' + "".join(parts) + "</div>"


@dataclass(frozen=True)
class NoteType:
    """What a model is made of; `build()` turns it into a genanki Model."""

    name: str
    fields: tuple[str, ...]
    front: str
    back: str
    cloze: bool = False

    @property
    def id(self) -> int:
        return stable_id("model", self.name)

    def build(self):
        """The genanki Model (built once per note type: genanki works out its card rules on creation)."""
        return _genanki_model(self)


@cache
def _genanki_model(note_type: NoteType):
    import genanki

    return genanki.Model(
        note_type.id, note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[{"name": "Cloze" if note_type.cloze else "Card 1", "qfmt": note_type.front,
                    "afmt": note_type.back}],
        css=CSS, model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK)


BASIC = NoteType(
    "quizgen basic", ("Prompt", "Label", "Answer", "Accepted", *SOURCE_FIELDS),
    _card(_LABEL, _PROMPT),
    _card(_LABEL, _PROMPT, '<hr id="answer"><div class="qz-answer">{{Answer}}</div>',
          '{{#Accepted}}<div class="qz-accepted">Also accepted: {{Accepted}}</div>{{/Accepted}}', _SOURCE))

CHOICE = NoteType(
    "quizgen choice", ("Prompt", "Label", "Choices", "Key", *SOURCE_FIELDS),
    _card(_LABEL, _PROMPT, "{{Choices}}"),
    _card(_LABEL, _PROMPT, '<hr id="answer">{{Key}}', _SOURCE))

ORDERING = NoteType(
    "quizgen ordering", ("Prompt", "Label", "Items", "Order", *SOURCE_FIELDS),
    _card(_LABEL, _PROMPT, "{{Items}}"),
    _card(_LABEL, _PROMPT, '<hr id="answer">{{Order}}', _SOURCE))

MATCHING = NoteType(
    "quizgen matching", ("Prompt", "Label", "Items", "Options", "Pairs", *SOURCE_FIELDS),
    _card(_LABEL, _PROMPT, "{{Items}}", '<div class="qz-options">{{Options}}</div>'),
    _card(_LABEL, _PROMPT, '<hr id="answer">{{Pairs}}', _SOURCE))

CLOZE = NoteType(
    "quizgen cloze", ("Text", "Label", *SOURCE_FIELDS),
    _card(_LABEL, '<div class="qz-cloze">{{cloze:Text}}</div>'),
    _card(_LABEL, '<div class="qz-cloze">{{cloze:Text}}</div><hr id="answer">', _SOURCE),
    cloze=True)

NOTE_TYPES = (BASIC, CHOICE, ORDERING, MATCHING, CLOZE)

NOTE_TYPE_FOR_KIND = {
    Kind.multiple_choice: CHOICE, Kind.multiple_select: CHOICE, Kind.true_false: CHOICE,
    Kind.which_first: CHOICE, Kind.quote: CHOICE, Kind.ordering: ORDERING, Kind.matching: MATCHING,
    Kind.cloze: CLOZE, Kind.short_answer: BASIC, Kind.numeric: BASIC,
}
