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
#: 5,000 events (in one process: plan), then every one over the next 5,000, and so on, each process forgetting
#: what it remembered about one slice's records when it starts the next (Generator.forget). At 100,000 events
#: all processes together peaked at 928 MiB so, against 1,376 remembering every record (about 400 MiB in each
#: process); with slices of 10,000 (one process taking a slice's every template) at 991-1,088 MiB, of 5,000 at
#: 974-1,001, and no slower. What is forgotten is made again: all templates slice by slice in one process take
#: 51 s at 100,000 events against 44 s unsliced, and slices made a 10,000-event bank's generation 6-12% slower,
#: so a source is sliced only from twice this many records up.
SLICE_RECORDS = 5_000
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
    records = len(getattr(bank, t.select.from_))
    return 1 if records <= 2 * SLICE_RECORDS else -(-records // SLICE_RECORDS)


def plan(bank: Bank, specs: list[TemplateSpec]) -> list[list[tuple[int, int]]]:
    """Batches of (template index, slice) units, in the order they are handed out; one process runs a whole
    batch. Each template that runs whole is a batch of its own, the costliest first; then one batch per slice:
    every sliced template over that slice, in file order; the last slice's units one batch each. A slice's records
    are then worked out about (views, the answers events share) in one process, not in each: units timed at
    100,000 events took 59 CPU-s in all when both processes took templates of one slice, 52 so (a slow hour)."""
    whole: list[list[tuple[int, int]]] = []
    sliced: dict[int, list[tuple[int, int]]] = {}
    for index in _dispatch_order(bank, specs):
        count = slices(bank, specs[index])
        if count == 1:
            whole.append([(index, WHOLE)])
        else:
            for part in range(count):
                sliced.setdefault(part, []).append((index, part))
    if not sliced:
        return whole
    *parts, last = sorted(sliced)
    # the last slice goes template by template: whichever process is free then takes the next, so neither waits
    # for the other's whole slice at the end (its records are worked out about in both: a few % of one slice)
    return whole + [sorted(sliced[part]) for part in parts] + [[unit] for unit in sliced[last]]


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
