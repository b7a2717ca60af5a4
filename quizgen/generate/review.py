"""The question review: every generated question checked against the facts it was made from, the way a careful
teacher reads it. The generator skips a question the review flags (with the reason); `quizgen review` lists what
it would flag, so an author sees each suspicious question before anything reaches a class.

The review reads the finished question (its options, items and text) and maps them back to the bank's records;
it does not trust how the builders made them.
"""
from __future__ import annotations

import calendar
import re
import weakref
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from ..bank.dates import PartialDate, Precision, parse_text
from ..question import Kind, Question
from .builders import category_fit, gives_away, words_about
from .builders import rivals as find_rivals
from .distractors import CLOSE, is_forecast, role_of, shift_date
from .rules import (
    article_before_blank,
    date_in,
    label_item,
    months_apart,
    pronoun_after_blank,
    starts_lower,
)
from .mentions import NameIndex, mentions
from .views import BLANK

if TYPE_CHECKING:
    from .generator import Generator
    from .templates import TemplateSpec

#: the rules, in the order they are reported
RULES = {
    "not-refuted": "a wrong option (or a false statement) that the dataset does not refute",
    "ambiguous": "another record fits the same blank, or the source leaves open who else fits it",
    "gives-away": "the prompt, an item or a word next to a blank gives the answer away",
    "implausible": "a wrong option nobody would pick, or a pair too far apart to ask about",
    "status": "a restriction that is neither plainly in force nor plainly lifted, asked as if it were",
    "wording": "not a whole sentence, or the same 'as of' date more than once",
}
WHICH_FIRST_MAX_MONTHS = 18
#: the steps from an answer's date to the neighbours the review knows (`_neighbours`), and the same nearest first
_STEPS = range(-24, 25)
_NEAREST_FIRST = sorted(_STEPS, key=abs)
_AS_OF = re.compile(r"\bas of\b", re.IGNORECASE)
_ENDS_AS = re.compile(r"\bas\Z", re.IGNORECASE)      # a prompt whose last word is "as"
_OPENS_OF = re.compile(r"of\b", re.IGNORECASE)        # ... and an explanation whose first word is "of"
_DIGITS = re.compile(r"\d+")
_MONTHS = {calendar.month_name[m]: m for m in range(1, 13)}
_DAY_LABEL = re.compile(r"(\d{1,2}) (\w+) (\d{4})")
#: status classes a plain "still in force?" or "lifted?" question may ask about
PLAIN = ("holds", "ended")


@dataclass(frozen=True)
class Flag:
    question: str
    template: str
    rule: str
    message: str
    facts: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.question} [{self.template}] {self.rule}: {self.message} (facts: {', '.join(self.facts)})"


class Reviewer:
    """Checks questions of one bank against its facts."""

    def __init__(self, gen: Generator):
        # a proxy, not the generator itself: no reference cycle, so a finished generator's indexes and caches
        # are freed as soon as it is dropped (no collection runs during bulk work: a cycle would keep a big bank's)
        self.gen = weakref.proxy(gen)
        self.bank = gen.bank
        self.truth = gen.truth
        self.dates_by_label = {r.date.label: r.date for r in sorted([*self.bank.events.values(),
                                                                       *self.bank.quotes.values()], key=lambda r: r.id)}
        #: a label ends with its year, a whole number in any text that shows the label as a whole date
        self._labels_by_year: dict[Precision, dict[str, set[str]]] = {}
        for d in self.dates_by_label.values():
            self._labels_by_year.setdefault(d.precision, {}).setdefault(str(d.start.year), set()).add(d.label)
        self._near_labels: dict[PartialDate, dict[str, PartialDate]] = {}
        self._explanations: dict[str, tuple[bool, int, bool]] = {}
        self.roles_of: dict[str, set[str]] = {}
        for e in self.bank.events.values():
            for actor in e.actors:
                self.roles_of.setdefault(actor, set()).add(role_of(self.bank, e))
        self.by_name: dict[str, set[str]] = {}
        for entity in self.bank.entities.values():
            for name in (entity.name, *entity.aliases):
                self.by_name.setdefault(name.casefold(), set()).add(entity.id)
        self.name_index = NameIndex((name, name) for name in self.by_name)

    def forget(self) -> None:
        """Drop the verdicts on particular explanations (see Generator.forget)."""
        self._explanations.clear()

    # ---- helpers ----

    def _ids(self, option: str) -> set[str]:
        return self.by_name.get(option.casefold().removeprefix("the "), set())

    def _names(self, ids: Iterable[str], adjectives: bool = True) -> list[str]:
        names = []
        for i in ids:
            entity = self.bank.entities.get(i)
            if entity is not None:
                names += [entity.name, *entity.aliases] + (entity.adjectives if adjectives else [])
        return names

    def _mentioned(self, text: str, ids: Iterable[str], adjectives: bool = True) -> list[str]:
        return [n for n in self._names(ids, adjectives) if mentions(text, [n])]

    def _names_in(self, text: str) -> dict[str, set[str]]:
        """Every entity name or alias the text mentions as a whole word (casefolded), with the entities it names."""
        folded = text.casefold()
        return {name: self.by_name[name] for name in self.name_index.names_in(text) if name in folded}

    def _date(self, label: str, near: PartialDate) -> PartialDate | None:
        """The date an option's label stands for: a dataset date or a neighbour of the answer's (up to 24 steps
        either way, as in `_neighbours`; a step's label is its own: no two steps have the same one)."""
        if label in self.dates_by_label:
            return self.dates_by_label[label]
        if near.precision is Precision.day:     # a day a few days off: the kind of option the review must catch
            day = _day_of_label(label)
            if day is not None and abs(day.toordinal() - near.start.toordinal()) <= 40:
                return parse_text(day.isoformat())
        for steps in _NEAREST_FIRST:    # the options are near the answer; each step has a label of its own
            shifted = shift_date(near, steps)
            if shifted is not None and shifted.label == label:
                return shifted
        return None

    def _neighbours(self, near: PartialDate) -> dict[str, PartialDate]:
        """The answer's neighbouring dates (up to 24 steps either way) by label, each label the first date from
        -24 steps up that has it (what the step-by-step search found first), computed once per answer date."""
        found = self._near_labels.get(near)
        if found is None:
            found = {}
            for steps in _STEPS:
                shifted = shift_date(near, steps)
                if shifted is not None:
                    found.setdefault(shifted.label, shifted)
            self._near_labels[near] = found
        return found

    def _flag(self, q: Question, rule: str, message: str, facts: Iterable[str] | None = None) -> Flag:
        return Flag(q.id, q.template, rule, message, tuple(facts if facts is not None else q.facts))

    # ---- the review ----

    def check(self, q: Question, spec: TemplateSpec) -> list[Flag]:
        records = [self._record(f) for f in q.facts]
        flags = self._wording(q)
        answer = spec.template.answer
        if q.kind in (Kind.multiple_choice, Kind.quote) and answer != "date":
            flags += self._entity_choice(q, records[0], answer)
        elif q.kind is Kind.multiple_choice:
            flags += self._date_choice(q, records[0], q.choices)
        elif q.kind is Kind.true_false:
            flags += self._statement(q, records[0], answer)
        elif q.kind in (Kind.short_answer, Kind.cloze):
            flags += self._fill_in(q, records[0])
        elif q.kind in (Kind.ordering, Kind.which_first):
            flags += self._order(q, records)
        elif q.kind is Kind.matching:
            flags += self._matching(q, records)
        elif q.kind is Kind.multiple_select:
            vocabulary = self.bank.vocabulary
            flags += [self._flag(q, "status", f"'{r.name}' is {vocabulary.status_label(r.status)}: neither a plain "
                                              "yes nor no", [r.id])
                      for r in records if hasattr(r, "status") and vocabulary.status_class(r.status) not in PLAIN]
        return flags

    def _record(self, record_id: str) -> Any:
        for table in (self.bank.events, self.bank.quotes, self.bank.restrictions, self.bank.numbers):
            if record_id in table:
                return table[record_id]
        raise KeyError(record_id)

    def _wording(self, q: Question) -> list[Flag]:
        flags = []
        lower, in_explanation, opens_of = self._explanation(q.explanation)
        if lower:
            flags.append(self._flag(q, "wording", f"the explanation starts in lower case: {q.explanation[:40]!r}"))
        # "as of" in the prompt and the explanation read together: in each, and "as" + " " + "of" across the two
        as_of = len(_AS_OF.findall(q.prompt)) + in_explanation + bool(opens_of and _ENDS_AS.search(q.prompt))
        if as_of > 2 or in_explanation > 1:
            flags.append(self._flag(q, "wording", f"'as of' {as_of} times in one question"))
        texts = [q.prompt, *(p.left for p in q.pairs), *(q.choices if q.kind is Kind.ordering else ())]
        if any(article_before_blank(t) for t in texts) and any(
                self.bank.entities[i].article for o in (*q.choices, *q.answers) for i in self._ids(o)):
            flags.append(self._flag(q, "gives-away", "'the _____' tells which answers fit: only some read after 'the'"))
        for item in (p.left for p in q.pairs):
            if label_item(item):
                flags.append(self._flag(q, "wording", f"an item reads as a label, not a statement: {item[:40]!r}"))
        return flags

    def _explanation(self, explanation: str) -> tuple[bool, int, bool]:
        """Whether an explanation starts in lower case, its "as of"s, and whether it starts with "of": asked
        once per explanation (a fact's explanation is one object for every question about it)."""
        known = self._explanations.get(explanation)
        if known is None:
            known = self._explanations[explanation] = (starts_lower(explanation),
                                                       len(_AS_OF.findall(explanation)),
                                                       bool(_OPENS_OF.match(explanation)))
        return known

    def _person_pronoun(self, q: Question, text: str, answer_ids: set[str]) -> list[Flag]:
        pronoun = pronoun_after_blank(text)
        if answer_ids and pronoun:
            return [self._flag(q, "gives-away", f"'{pronoun}' after the blank tells the answer is a person")]
        return []

    def _entity_choice(self, q: Question, record: Any, answer: str) -> list[Flag]:
        flags = []
        right_ids = self._ids(q.answer)
        if answer == "speaker":
            true_ids = self.truth.speakers_of(record.text)
            about = words_about(self.gen, record) - true_ids
            flags += [self._flag(q, "implausible", f"'{o}' is who the words are about, not a plausible speaker")
                      for o in q.choices if self._ids(o) & about]
        elif answer == "actor":
            true_ids = self.truth.true_actors(record)
            if not self.truth.actors_refutable(record):
                flags.append(self._flag(q, "not-refuted", "the source does not say nobody else did this"))
        else:
            true_ids = self.truth.true_subjects(record)
            if not self.truth.subjects_refutable(record):
                flags.append(self._flag(q, "not-refuted", "the source implies other subjects too"))
        right_nested = self.truth.nested(right_ids)
        answer_id = next(iter(right_ids), "")
        fits = category_fit(self.gen, q.prompt, answer_id)
        side = self.truth.side_of(answer_id)
        wrong_ids = []
        for option in q.choices:
            if option == q.answer:
                continue
            ids = self._ids(option)
            wrong_ids += sorted(ids)
            origins = [o for i in ids for o in self.bank.entities[i].origin]
            if fits is not None and not all(fits(i) for i in ids):
                flags.append(self._flag(q, "implausible", f"'{option}' does not fit the slot the prompt describes"))
            if side is not None and any(self.truth.side_of(i) != side for i in ids):
                flags.append(self._flag(q, "implausible", f"'{option}' is from another camp than the answer"))
            if ids & right_nested or self.truth.meets_nested(ids, true_ids):
                flags.append(self._flag(q, "not-refuted", f"'{option}' is also true by the dataset"))
            elif answer == "subject" and self._mentioned(q.prompt, origins):
                flags.append(self._flag(q, "not-refuted", f"'{option}' fits the prompt's "
                                                          f"'{self._mentioned(q.prompt, origins)[0]}' too"))
            elif answer == "actor" and ids and not self._same_role(ids, record):
                flags.append(self._flag(q, "implausible", f"'{option}' never played this role in the bank"))
        if answer_id and gives_away(self.gen, q.prompt, answer_id, wrong_ids):
            flags.append(self._flag(q, "gives-away", "the prompt names the answer, what only it belongs to, or "
                                                     "an article before the blank tells it"))
        flags += self._person_pronoun(q, q.prompt, right_ids)
        return flags

    def _same_role(self, ids: set[str], record: Any) -> bool:
        role = role_of(self.bank, record)
        return role is None or any(role in self.roles_of.get(i, ()) for i in ids)

    def _date_choice(self, q: Question, event: Any, options: Iterable[str]) -> list[Flag]:
        flags = []
        if is_forecast(self.bank, event):
            flags.append(self._flag(q, "gives-away", "a forecast asked as an event"))
        for option in options:
            if option == event.date.label:
                continue
            d = self._date(option, event.date)
            if d is None or not self.truth.date_refuted(event, d):
                flags.append(self._flag(q, "not-refuted", f"'{option}' is not refuted by the dataset's dates"))
            elif event.date.precision in CLOSE and abs(d.start.toordinal() - event.date.start.toordinal()) < 28:
                flags.append(self._flag(q, "implausible", f"'{option}' is less than a month from the answer"))
        if q.kind is Kind.multiple_choice and date_in(q.prompt):
            flags.append(self._flag(q, "gives-away", f"the prompt shows a date ('{date_in(q.prompt)}')"))
        return flags

    def _statement(self, q: Question, event: Any, answer: str) -> list[Flag]:
        if q.answer == "True":
            return []
        if answer == "date":
            labels = [d for d in self._labels_in(q.prompt, event.date)]
            return self._date_choice(q, event, labels) if labels else [
                self._flag(q, "not-refuted", "no swapped date found in the false statement")]
        in_fact = self._names_in(event.summary)    # not kept: each summary is read by one false statement
        swapped = {i for name, ids in self._names_in(q.prompt).items() if name not in in_fact for i in ids}
        if not swapped:
            return [self._flag(q, "not-refuted", "the false statement swaps nothing the review can see")]
        flags = []
        true_ids = self.truth.true_actors(event) if answer == "actor" else self.truth.true_subjects(event)
        if answer == "actor" and not self.truth.actors_refutable(event):
            flags.append(self._flag(q, "not-refuted", "the source does not say nobody else did this"))
        if self.truth.meets_nested(swapped, true_ids):
            flags.append(self._flag(q, "not-refuted", "the swapped-in name is also true by the dataset"))
        elif answer == "actor" and not self._same_role(swapped, event):
            flags.append(self._flag(q, "implausible", "the swapped-in actor never played this role in the bank"))
        return flags

    def _labels_in(self, text: str, near: PartialDate) -> list[str]:
        """Labels of dates at the answer's precision (the dataset's, and the answer's neighbours) in the text, as
        whole dates: "May 2024" is not in "28 May 2024"."""
        by_year = self._labels_by_year.get(near.precision, {})
        # a substring test first: a big bank's year holds hundreds of labels at one precision, few of them in the text
        candidates = {label for year in _DIGITS.findall(text) for label in by_year.get(year, ()) if label in text}
        candidates |= {label for label in self._neighbours(near) if label in text}
        return sorted(label for label in candidates - {near.label} if _whole_date_in(label, text))

    def _fill_in(self, q: Question, event: Any) -> list[Flag]:
        if not hasattr(event, "actors"):
            return []
        flags = []
        actor_blanked = any(self._ids(a) & self.truth.affiliated(set(event.actors)) for a in q.answers)
        if actor_blanked and not self.truth.actors_refutable(event):
            flags.append(self._flag(q, "ambiguous", "the source does not say nobody else did this"))
        if actor_blanked:
            rivals = find_rivals(self.gen, "actor", event, shows_date=date_in(q.prompt) is not None)
            if rivals:
                flags.append(self._flag(q, "ambiguous", "another record fills the same blank",
                                        [event.id, *(r.id for r in rivals)]))
        shown = q.prompt if q.kind is Kind.short_answer else "".join(
            BLANK if p.hole else p.text for p in q.cloze)
        flags += self._person_pronoun(q, shown, set().union(*(self._ids(a) for a in q.answers)))
        return flags

    def _order(self, q: Question, events: list) -> list[Flag]:
        flags = [self._flag(q, "gives-away", "a forecast put in order with events", [e.id])
                 for e in events if is_forecast(self.bank, e)]
        flags += [self._flag(q, "gives-away", f"an item shows its date ('{date_in(item)}')")
                  for item in q.choices if date_in(item)]
        if q.kind is Kind.which_first and len(events) == 2:
            gap = months_apart(events[0].date, events[1].date)
            if gap > WHICH_FIRST_MAX_MONTHS:
                flags.append(self._flag(q, "implausible", f"the two events are {gap} months apart: too easy"))
        return flags

    def _matching(self, q: Question, records: list) -> list[Flag]:
        flags = []
        for pair, record in zip(q.pairs, records):
            right = self._ids(pair.right)
            if hasattr(record, "actors") and not self.truth.actors_refutable(record):
                flags.append(self._flag(q, "not-refuted", "the source does not say nobody else did this",
                                        [record.id]))
            others = sorted(i for o in q.choices if o != pair.right for i in self._ids(o))
            if right and gives_away(self.gen, pair.left, next(iter(right)), others):
                flags.append(self._flag(q, "gives-away", f"an item gives its own answer away: {pair.left[:50]!r}",
                                        [record.id]))
            others = [o for o in q.choices if o != pair.right and self._ids(o) & self._true_for(record)]
            if others:
                flags.append(self._flag(q, "not-refuted", f"'{others[0]}' also fits '{pair.left[:40]}'",
                                        [record.id]))
        return flags

    def _true_for(self, record: Any) -> set[str]:
        if hasattr(record, "speaker"):
            return set(self.truth.speakers_of(record.text))
        return self.truth.true_actors(record)


def _whole_date_in(label: str, text: str) -> bool:
    at = text.find(label)
    while at >= 0:
        end = at + len(label)
        before = text[:at].split()[-1:] or [""]
        if (not text[end:end + 1].isalnum() and not (at and text[at - 1].isalnum())
                and not before[0].isdigit() and before[0].lower() not in ("early", "mid", "late")):
            return True
        at = text.find(label, at + 1)
    return False


def _day_of_label(label: str) -> date | None:
    """The day a day's label ("30 May 2024") names, or None when the label names no single day."""
    match = _DAY_LABEL.fullmatch(label)
    month = _MONTHS.get(match.group(2)) if match else None
    if month is None:
        return None
    try:
        day = date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        return None
    return day if parse_text(day.isoformat()).label == label else None
