"""What a big bank's processes hand out (parallel.py): whole templates, and templates over one slice of their
records, in the order they are taken."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .builders import BY_RECORD

if TYPE_CHECKING:
    from ..bank.loader import Bank
    from ..question import Question
    from .results import TemplateReport
    from .templates import TemplateSpec

    Run = tuple[list[Question], TemplateReport]

#: the kinds that make at most a few questions per template (a dispatch hint only)
_FEW = frozenset({"matching", "ordering", "which_first", "numeric", "multiple_select"})

#: a big bank's records of one source that a template runs over at a time: every such template over the first
#: 10,000 events, then every one over the next 10,000, and so on, each process forgetting what it remembered
#: about one slice's records when it starts the next (Generator.forget). At 100,000 events all processes
#: together peaked at 928 MiB so, against 1,376 remembering every record (about 400 MiB in each process).
#: What is forgotten is made again: about 5% more CPU at 100,000 events, and slices of 2,500 or 5,000 made a
#: 10,000-event bank's generation 6-12% slower, so a bank is sliced only from 10,000 records of a source up.
SLICE_RECORDS = 10_000
WHOLE = -1       # the slice of a unit that runs its template over all its records


def in_slice(records: list, part: int) -> list:
    """One slice of a source's records, in the bank's order."""
    return records[part * SLICE_RECORDS:(part + 1) * SLICE_RECORDS]


def slices(bank: Bank, spec: TemplateSpec) -> int:
    """How many slices of its source's records a template runs over: one unless its kind makes each record's
    questions from that record alone (BY_RECORD) and no limit counts its questions across records."""
    t = spec.template
    if t.kind not in BY_RECORD or t.limit:
        return 1
    return max(1, -(-len(getattr(bank, t.select.from_)) // SLICE_RECORDS))


def plan(bank: Bank, specs: list[TemplateSpec]) -> list[tuple[int, int]]:
    """(template index, slice) pairs in the order they are handed out: the templates that run whole, then the
    first slice of every sliced one, then the second, ...; the costliest first in each."""
    whole: list[tuple[int, int]] = []
    sliced: list[tuple[int, int]] = []
    for index in _dispatch_order(bank, specs):
        count = slices(bank, specs[index])
        if count == 1:
            whole.append((index, WHOLE))
        else:
            sliced.extend((index, part) for part in range(count))
    return whole + sorted(sliced, key=lambda unit: unit[1])


def joined(runs: list[Run]) -> Run:
    """A template's slices' questions and reports as one run over all its records, in the bank's order."""
    if len(runs) == 1:
        return runs[0]
    report = runs[0][1]
    for _, other in runs[1:]:
        report.selected += other.selected
        report.made += other.made
        report.skipped += other.skipped
        report.flags += other.flags
    return [q for made, _ in runs for q in made], report


def _dispatch_order(bank: Bank, specs: list[TemplateSpec]) -> list[int]:
    """Template indexes, the likely costliest first: the most records to select from, then the kinds that make a
    question per record; file order breaks ties (deterministic, though the output does not depend on it)."""
    def cost(i: int) -> tuple[int, int, int]:
        t = specs[i].template
        records = len(getattr(bank, t.select.from_, ()))
        return (-records, t.kind.value in _FEW or bool(t.limit), i)
    return sorted(range(len(specs)), key=cost)
