"""What generation yields besides questions: skips with their reasons, and a report per template."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..question import BankMeta, Kind, Question


@dataclass(frozen=True)
class Skip:
    template: str
    facts: tuple[str, ...]
    reason: str


@dataclass
class TemplateReport:
    template: str
    kind: Kind
    title: str
    file: str
    selected: int = 0
    made: int = 0
    skipped: list[Skip] = field(default_factory=list)
    flags: list = field(default_factory=list)        # review flags of kept questions (strict=False only)


@dataclass
class GeneratedSet:
    """Everything renderers need: the bank's neutral metadata and its questions."""

    meta: BankMeta
    questions: list[Question]
    skipped: list[Skip]
    reports: list[TemplateReport]
    flags: list = field(default_factory=list)
