"""`quizgen check`: every problem in a bank at once, including quotes checked against the source text."""
from __future__ import annotations

import re
from pathlib import Path

from ..bank.loader import Bank, read_bank
from ..bank.yamlio import read_text
from ..errors import Problem, QuizgenError
from .generator import template_problems

_TYPOGRAPHIC = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def normalise_quote(text: str) -> str:
    """Compare quotes modulo whitespace and typographic quote marks."""
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHIC)).strip()


def quoted_texts(bank: Bank) -> list[tuple[str, str, str]]:
    """(record id, field, text) for every quotation the bank claims is in its source."""
    found: list[tuple[str, str, str]] = []
    for record in [*bank.entities.values(), *bank.restrictions.values(), *bank.events.values(),
                   *bank.numbers.values()]:
        if record.quote:
            found.append((record.id, "quote", record.quote))
    for quote in bank.quotes.values():
        found.append((quote.id, "text", quote.text))
    return found


def quote_problems(bank: Bank, source_text: str, source_label: str) -> list[Problem]:
    haystack = normalise_quote(source_text)
    problems = []
    for record_id, field_name, text in quoted_texts(bank):
        if normalise_quote(text) not in haystack:
            loc = bank.locations[record_id]
            problems.append(Problem(f"'{record_id}': {field_name} not found verbatim in {source_label}: "
                                    f"{text[:60]!r}", loc.file, loc.line, loc.col))
    return problems


def check_bank(path: Path, against: Path | None = None) -> tuple[Bank | None, list[Problem]]:
    """Validate a bank (and its templates) and, with `against`, its quotes against a source text."""
    bank, problems = read_bank(path)
    if bank is not None and not problems:
        problems.extend(template_problems(bank))
        if against is not None:
            source_text = read_text(Path(against), str(against))
            problems.extend(quote_problems(bank, source_text, str(against)))
    return bank, problems


def require_clean(path: Path, against: Path | None = None) -> Bank:
    bank, problems = check_bank(path, against)
    if problems or bank is None:
        raise QuizgenError(problems=problems)
    return bank
