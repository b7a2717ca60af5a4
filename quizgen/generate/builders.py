"""One builder per question kind: records in, Questions (or Skips with a reason) out."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from ..bank.dates import Precision
from ..question import ClozePart, Kind, Pair, Question
from .distractors import is_forecast, truth_classes
from .mentions import NameIndex, mentions
from .results import Skip
from .rules import (
    article_a_before_blank,
    article_before_blank,
    category_named,
    date_in,
    months_apart,
)
from .selectors import facets, matches
from .templates import TemplateSpec
from .views import (
    HOLE_CLOSE,
    HOLE_OPEN,
    capfirst,
    date_view,
    names_of,
    with_replaced,
)

if TYPE_CHECKING:  # builders are handed the generator; they never import it at run time
    from .generator import Generator

Result = Iterator[Question | Skip]
COMBINATIONS = 12          # default number of questions from kinds that combine several facts
ATTEMPTS_PER_QUESTION = 40
#: "which came first" pairs further apart than this are too easy (the 2022 invasion before anything in 2024)
WHICH_FIRST_MAX_MONTHS = 8


def _skip(spec: TemplateSpec, records: list[Any], reason: str) -> Skip:
    return Skip(spec.id, tuple(r.id for r in records), reason)


def _shuffled(gen: Generator, spec: TemplateSpec, key: Any, items: list[str]) -> tuple[str, ...]:
    items = list(items)
    gen.rng(spec.id, key, "order").shuffle(items)
    return tuple(items)


def _entity_answer(gen: Generator, spec: TemplateSpec, event) -> tuple[str, set[str]]:
    if spec.template.answer == "speaker":   # a quote: whoever else said the same words is right too
        return event.speaker, set(gen.truth.speakers_of(event.text))
    if spec.template.answer == "actor":
        return event.actors[0], gen.truth.true_actors(event)
    return event.subject, gen.truth.true_subjects(event)


def _unrefutable(gen: Generator, spec: TemplateSpec, event) -> str | None:
    """Why no other answer can be called wrong for this event, if so."""
    if spec.template.answer == "actor" and not gen.truth.actors_refutable(event):
        return "the source does not say nobody else did this, so no other answer can be called wrong"
    if spec.template.answer == "subject" and not gen.truth.subjects_refutable(event):
        return "the source implies other subjects too, so no other answer can be called wrong"
    return None


def rivals(gen: Generator, field: str, event, shows_date: bool = False) -> list:
    """Other events that fill the same blank with another answer: the same kind of action on the same subject
    (actor blanked) or by the same actors (subject blanked), at a date the prompt does not tell apart. The review
    asks again right after the builder: the last answer is kept."""
    return list(_last_answer(gen, "rivals", (field, event.id, shows_date),
                             lambda: _rivals(gen, field, event, shows_date)))


def _last_answer(gen: Generator, name: str, key: Any, compute: Callable[[], Any]) -> Any:
    """`compute()`, or its answer for the same `key` the last time `name` was asked (no memory per question)."""
    last = gen.memo.get(name)
    if last is None or last[0] != key:
        last = gen.memo[name] = (key, compute())
    return last[1]


def _rivals(gen: Generator, field: str, event, shows_date: bool) -> list:
    truth = gen.truth
    candidates: dict[str, Any] = {}
    for cls in truth_classes(gen.bank, event):
        if field == "actor":
            for subject in truth.nested({event.subject}):
                candidates.update((e.id, e) for e in truth.events_about.get((cls, subject), ()))
        else:
            for actor in truth.affiliated(set(event.actors)):
                candidates.update((e.id, e) for e in truth.events_by.get((cls, actor), ()))
    found = []
    mine = truth.affiliated(set(event.actors)) if field == "actor" else truth.nested({event.subject})
    for other in (candidates[k] for k in sorted(candidates)):
        if other is event or shows_date and (event.date.before(other.date) or other.date.before(event.date)):
            continue
        if field == "actor":
            differs = mine.isdisjoint(other.actors)
        else:
            differs = other.subject not in mine and mine.isdisjoint(truth.nested_of(other.subject))
        if differs:
            found.append(other)
    return found


def words_about(gen: Generator, quote) -> set[str]:
    """Who a quotation talks about (named in its words or its context), with their people and countries, other
    than the speaker's own: no plausible speaker of it."""
    found = gen.memo.setdefault("words_about", {})
    if quote.id not in found:
        index = gen.memo.get("entity_names")
        if index is None:
            index = gen.memo["entity_names"] = NameIndex((name, e) for e in gen.bank.entities
                                                         for name in _names_and_adjectives(gen, e))
        own = gen.truth.affiliated({quote.speaker, *gen.truth.chain(quote.speaker)})   # institute -> country
        named = index.things_in(f"{quote.text} {quote.context}")
        found[quote.id] = frozenset(gen.truth.affiliated(named - own) - own)
    return set(found[quote.id])


def _fits_prompt(gen: Generator, prompt: str) -> set[str]:
    """Entities whose origin the prompt names ("the French _____"): they fit it as well as the answer does."""
    index = gen.memo.get("origins")
    if index is None:
        index = gen.memo["origins"] = NameIndex((name, origin) for origin in gen.truth.with_origin
                                                for name in _names_and_adjectives(gen, origin))
    return {i for origin in index.things_in(prompt) for i in gen.truth.with_origin.get(origin, ())}


def _names_and_adjectives(gen: Generator, entity_id: str) -> list[str]:
    entity = gen.bank.entities.get(entity_id)
    return names_of(gen.views.ref(entity_id)) + (entity.adjectives if entity is not None else [])


def _giveaway_names(gen: Generator, answer_id: str, options: Iterable[str] = ()) -> list[str]:
    """Names that give the answer away when the prompt shows them: its own, and those of its country, people or
    origin unless another option shares them ("Vellhaven's schools" tells nothing when every option is
    Vellhaven's; "the French _____" tells Caesar when no other option is French)."""
    shared = gen.truth.affiliated(set(options)) | {o for i in options for o in _origins(gen, i)}
    own = gen.truth.affiliated({answer_id}) | set(_origins(gen, answer_id))   # "the French _____": Caesar
    return names_of(gen.views.ref(answer_id)) + [n for i in sorted(own - shared) for n in _names_and_adjectives(gen, i)]


def _origins(gen: Generator, entity_id: str) -> list[str]:
    entity = gen.bank.entities.get(entity_id)
    return list(entity.origin) if entity is not None else []


def gives_away(gen: Generator, prompt: str, answer_id: str, options: Iterable[str] = ()) -> bool:
    """The prompt names the answer (or what only it belongs to), or an article before the blank tells it:
    "a _____" (number, vowel), "the _____" where some options read after "the" and others do not. The review
    asks again right after the builder, with the same options in another order: the last answer is kept."""
    options = frozenset(options)
    return _last_answer(gen, "gives_away", (prompt, answer_id, options),
                        lambda: _gives_away(gen, prompt, answer_id, options))


def _gives_away(gen: Generator, prompt: str, answer_id: str, options: frozenset[str]) -> bool:
    if mentions(prompt, _giveaway_names(gen, answer_id, options)) or article_a_before_blank(prompt):
        return True
    named = [gen.bank.entities.get(i) for i in (answer_id, *options)]
    return article_before_blank(prompt) and any(e is not None and e.article for e in named)


def category_fit(gen: Generator, prompt: str, answer_id: str) -> Callable[[str], bool] | None:
    """When the prompt names the answer's category ("a U.S. _____ anti-aircraft missile"), only options of that
    category fit the slot; None when it names none."""
    answer = gen.bank.entities.get(answer_id)
    if answer is None or not answer.category or not category_named(prompt, answer.category):
        return None
    return lambda i: i in gen.bank.entities and gen.bank.entities[i].category == answer.category


def _outside_category(gen: Generator, category: str) -> set[str]:
    """The entities `category_fit` refuses for an answer of this category (one set per category, built once)."""
    key = f"outside:{category}"
    if key not in gen.memo:
        entities = gen.bank.entities
        gen.memo[key] = {i for i in entities if entities[i].category != category}
    return gen.memo[key]


def _wrong_entities(gen: Generator, answer_id: str, exclude: set[str], n: int, prompt: str, rng,
                    event=None) -> list[str]:
    """n same-kind entities that are not true by the dataset, not named in the prompt, and that fit the slot."""
    fits = category_fit(gen, prompt, answer_id)
    unfit = _outside_category(gen, gen.bank.entities[answer_id].category) if fits is not None else set()
    drawn = gen.entities.like(answer_id, n + 4, exclude | _fits_prompt(gen, prompt) | unfit, rng, event)
    names = [gen.bank.name(i) for i in drawn if not mentions(prompt, [gen.bank.name(i)])]
    right = gen.bank.name(answer_id)
    unique = [n_ for i, n_ in enumerate(names) if n_ != right and n_ not in names[:i]]
    return unique[:n]


def _one_right_answer(gen: Generator, spec: TemplateSpec, record, prompt: str, right: str, wrong: list[str],
                      given_away: bool, what: str) -> Question | Skip:
    """A question with one right option among `wrong` ones, or the reason it cannot be a good one."""
    n = spec.template.choices - 1
    if given_away:
        return _skip(spec, [record], "the prompt gives the answer away")
    if len(wrong) < n:
        return _skip(spec, [record], f"only {len(wrong)} of {n} {what} in the dataset")
    return gen.question(spec, [record], prompt=prompt, answer=right,
                        choices=_shuffled(gen, spec, record.id, [right, *wrong]))


def multiple_choice(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    n = spec.template.choices - 1
    for event in records:
        prompt = gen.text(spec, "prompt", gen.context(spec, event=gen.views.event(event)))
        rng = gen.rng(spec.id, event.id)
        if spec.template.answer == "date":
            if is_forecast(gen.bank, event):
                yield _skip(spec, [event], "a forecast is not an event to date")
                continue
            right = event.date.label
            wrong = [d.label for d in gen.dates.near(event.date, n, gen.truth.date_refuter(event),
                                                     rng, gen.latest)]
            given_away = right.lower() in prompt.lower() or date_in(prompt) is not None
        else:
            why = _unrefutable(gen, spec, event)
            if why:
                yield _skip(spec, [event], why)
                continue
            answer_id, true_ids = _entity_answer(gen, spec, event)
            right = gen.bank.name(answer_id)
            wrong = _wrong_entities(gen, answer_id, true_ids, n, prompt, rng, event)
            given_away = gives_away(gen, prompt, answer_id, [gen.entity_id(w) for w in wrong])
        yield _one_right_answer(gen, spec, event, prompt, right, wrong, given_away, "good wrong options")


def short_answer(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    for event in records:
        prompt = gen.text(spec, "prompt", gen.context(spec, event=gen.views.event(event)))
        why = _unrefutable(gen, spec, event)
        if why:
            yield _skip(spec, [event], why)
            continue
        answer_id, _ = _entity_answer(gen, spec, event)
        accepted = names_of(gen.views.ref(answer_id)) + _also_true(gen, spec, event, answer_id)
        accepted = list(dict.fromkeys(accepted))
        if gives_away(gen, prompt, answer_id):
            yield _skip(spec, [event], "the prompt gives the answer away")
            continue
        found = rivals(gen, spec.template.answer, event, shows_date=date_in(prompt) is not None)
        if found:
            yield _skip(spec, [event, *found], "another record fills the same blank: " +
                        ", ".join(r.id for r in found))
            continue
        yield gen.question(spec, [event], prompt=prompt, answer=accepted[0], accepted=tuple(accepted[1:]))


def _also_true(gen: Generator, spec: TemplateSpec, event, answer_id: str) -> list[str]:
    """Other answers the dataset makes true for a blanked actor: the person's country ("Biden" -> "United States",
    "Washington"), and the country's people who did the same kind of thing ("United States" -> "Joe Biden")."""
    if spec.template.answer != "actor":
        return []
    entity = gen.bank.entities.get(answer_id)
    found = [entity.country] if entity is not None and entity.country else []
    classes = truth_classes(gen.bank, event)
    found += sorted(i for i in gen.truth.members.get(answer_id, ())
                    if any(gen.truth.events_by.get((cls, i)) for cls in classes))
    return [name for i in found if i in gen.bank.entities for name in names_of(gen.views.ref(i))]


def quote_attribution(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    n = spec.template.choices - 1
    for quote in records:
        prompt = gen.text(spec, "prompt", gen.context(spec, quote=gen.views.quote(quote)))
        right = gen.bank.name(quote.speaker)
        # whoever the words are about is no plausible speaker of them (Biden calling his own step half-hearted);
        # the speaker's own country is what the words are for, not about
        about = words_about(gen, quote)
        wrong = _wrong_entities(gen, quote.speaker, gen.truth.speakers_of(quote.text) | about, n, prompt,
                                gen.rng(spec.id, quote.id))
        given_away = gives_away(gen, prompt, quote.speaker, [gen.entity_id(w) for w in wrong])
        yield _one_right_answer(gen, spec, quote, prompt, right, wrong, given_away, "other speakers")


def true_false(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    swap = spec.template.answer
    for event in records:
        view = gen.views.event(event)
        statement = gen.text(spec, "statement", gen.context(spec, event=view))
        rng = gen.rng(spec.id, event.id)
        prompt = gen.text(spec, "prompt", gen.context(spec, event=view, statement=statement))
        yield gen.question(spec, [event], prompt=prompt, answer="True", choices=("True", "False"),
                           variant="true")
        if swap == "date":
            wrong = gen.dates.near(event.date, 1, gen.truth.date_refuter(event), rng, gen.latest)
            false_view = with_replaced(view, view.date, date_view(wrong[0])) if wrong else None
        elif _unrefutable(gen, spec, event):
            yield _skip(spec, [event], _unrefutable(gen, spec, event))
            continue
        else:
            answer_id, true_ids = _entity_answer(gen, spec, event)
            wrong_ids = [i for i in gen.entities.like(answer_id, 4, true_ids, rng, event)
                         if not mentions(statement, names_of(gen.views.ref(i)))][:1]
            false_view = (with_replaced(view, gen.views.ref(answer_id), gen.views.ref(wrong_ids[0]))
                          if wrong_ids else None)
        if false_view is None:
            yield _skip(spec, [event], f"no {swap} in the dataset to make a false statement with")
            continue
        false_statement = gen.text(spec, "statement", gen.context(spec, event=false_view))
        if false_statement == statement:
            yield _skip(spec, [event], f"the statement does not mention the {swap}, so swapping it changes nothing")
            continue
        prompt = gen.text(spec, "prompt", gen.context(spec, event=false_view, statement=false_statement))
        yield gen.question(spec, [event], prompt=prompt, answer="False", choices=("True", "False"),
                           variant="false", explanation="False. " + gen.explanation(spec, [event]))


def _combinations(gen: Generator, spec: TemplateSpec, records: list, size: int,
                  accept: Callable[[list], bool]) -> Iterator[list]:
    """Seed-independent groups of `size` records that `accept` allows, each set of facts once."""
    limit = spec.template.limit or COMBINATIONS
    if len(records) < size:
        return
    rng = gen.stable_rng(spec.id)
    seen: set[tuple[str, ...]] = set()
    made = 0
    for _ in range(limit * ATTEMPTS_PER_QUESTION):
        group = rng.sample(records, size)
        key = tuple(sorted(r.id for r in group))
        if key in seen:
            continue
        seen.add(key)
        if accept(group):
            yield group
            made += 1
            if made >= limit:
                return


def _in_order(events: list) -> list | None:
    ordered = sorted(events, key=lambda e: e.date.sort_key)
    if all(a.date.before(b.date) for a, b in zip(ordered, ordered[1:])):
        return ordered
    return None


def _var(spec: TemplateSpec) -> str:
    return {"events": "event", "quotes": "quote", "restrictions": "restriction"}.get(spec.template.select.from_, "event")


def _item_labels(gen: Generator, spec: TemplateSpec, records: list, var: str = "event") -> list[str]:
    return [gen.text(spec, "item", gen.context(spec, **{var: gen.views.record(spec.template.select.from_, r)}))
            for r in records]


def _orderable(gen: Generator, spec: TemplateSpec, records: list) -> tuple[list, list[Skip]]:
    """The records that can be put in date order (no forecast, an item that does not show its own date), and a
    Skip with the reason for each of the others."""
    usable, skips = [], []
    for record in records:
        shown = date_in(_item_labels(gen, spec, [record])[0])
        if is_forecast(gen.bank, record):
            skips.append(_skip(spec, [record], "a forecast is not an event to put in order"))
        elif shown:
            skips.append(_skip(spec, [record], f"its item shows its date ('{shown}')"))
        else:
            usable.append(record)
    return usable, skips


def ordering(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    prompt = gen.text(spec, "prompt", gen.context(spec))
    usable, skips = _orderable(gen, spec, records)
    yield from skips
    for group in _combinations(gen, spec, usable, spec.template.count, lambda g: _in_order(g) is not None):
        ordered = _in_order(group)
        labels = _item_labels(gen, spec, ordered)
        if len(set(labels)) < len(labels):
            yield _skip(spec, ordered, "two events read the same")
            continue
        presented = list(_shuffled(gen, spec, tuple(e.id for e in ordered), labels))
        if presented == labels:
            presented = presented[1:] + presented[:1]
        yield gen.question(spec, ordered, prompt=prompt, answer=tuple(labels), choices=tuple(presented))


def which_first(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    usable, skips = _orderable(gen, spec, records)
    yield from skips

    def close_and_ordered(pair: list) -> bool:
        return _in_order(pair) is not None and months_apart(pair[0].date, pair[1].date) <= WHICH_FIRST_MAX_MONTHS

    for pair in _combinations(gen, spec, usable, 2, close_and_ordered):
        ordered = _in_order(pair)
        labels = _item_labels(gen, spec, ordered)
        if labels[0] == labels[1]:
            continue
        ctx = gen.context(spec, first=gen.views.event(ordered[0]), second=gen.views.event(ordered[1]))
        yield gen.question(spec, ordered, prompt=gen.text(spec, "prompt", ctx), answer=labels[0],
                           choices=_shuffled(gen, spec, tuple(e.id for e in ordered), labels))


def matching(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    records = [r for r in records if not hasattr(r, "actors") or _unrefutable(gen, spec, r) is None]
    answers = {r.id: _entity_answer(gen, spec, r) for r in records}

    def compatible(group: list) -> bool:
        rights = [answers[r.id][0] for r in group]
        if len(set(gen.bank.name(x) for x in rights)) < len(rights):
            return False
        return all(answers[b.id][0] not in answers[a.id][1] for a in group for b in group if a is not b)

    prompt = gen.text(spec, "prompt", gen.context(spec))
    for group in _combinations(gen, spec, records, spec.template.count, compatible):
        group = sorted(group, key=lambda e: (e.date.sort_key, e.id))
        lefts = _item_labels(gen, spec, group, _var(spec))
        if len(set(lefts)) < len(lefts):
            continue
        rights = [gen.bank.name(answers[r.id][0]) for r in group]
        ids = [answers[r.id][0] for r in group]
        if any(gives_away(gen, left, ids[i], ids[:i] + ids[i + 1:]) for i, left in enumerate(lefts)):
            continue   # an item that names its own answer (or what only it belongs to) gives it away
        pairs = tuple(Pair(left, right) for left, right in zip(lefts, rights))
        yield gen.question(spec, group, prompt=prompt, answer=tuple(f"{p.left} → {p.right}" for p in pairs),
                           pairs=pairs, choices=_shuffled(gen, spec, tuple(r.id for r in group), rights))


def multiple_select(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    source = spec.template.select.from_
    right_ids = {r.id for r in records if matches(facets(gen.bank, source, r), spec.template.correct)}

    def mixed(group: list) -> bool:
        return 0 < sum(r.id in right_ids for r in group) < len(group)

    prompt = gen.text(spec, "prompt", gen.context(spec))
    var = "restriction" if source == "restrictions" else "event"
    size = min(spec.template.count, len(records))
    for group in _combinations(gen, spec, records, size, mixed):
        group = sorted(group, key=lambda r: r.id)
        labels = _item_labels(gen, spec, group, var)
        if len(set(labels)) < len(labels):
            continue
        presented = _shuffled(gen, spec, tuple(r.id for r in group), labels)
        rights = {label for label, r in zip(labels, group) if r.id in right_ids}
        yield gen.question(spec, group, prompt=prompt, answer=tuple(x for x in presented if x in rights),
                           choices=presented)


_HOLES = re.compile(f"{HOLE_OPEN}(.*?){HOLE_CLOSE}", re.S)


def cloze(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    for event in records:
        text = gen.text(spec, "text", gen.context(spec, event=gen.views.event(event)))
        parts: list[ClozePart] = []
        position = 0
        for number, match in enumerate(_HOLES.finditer(text), start=1):
            if match.start() > position:
                parts.append(ClozePart(text[position:match.start()]))
            parts.append(ClozePart(match.group(1), number))
            position = match.end()
        if position < len(text):
            parts.append(ClozePart(text[position:]))
        holes = [p.text for p in parts if p.hole]
        if not holes or not all(h.strip() for h in holes):
            yield _skip(spec, [event], "the text has no (non-empty) hole()")
            continue
        hidden_actor = any(mentions(h, names_of(gen.views.ref(a))) for h in holes for a in event.actors)
        found = rivals(gen, "actor", event) if hidden_actor else []
        if found or (hidden_actor and not gen.truth.actors_refutable(event)):
            yield _skip(spec, [event, *found], "another record fills the same hole" if found else
                        "the source leaves open who else did this")
            continue
        plain = "".join(p.text for p in parts)
        yield gen.question(spec, [event], prompt=plain, answer=tuple(holes), cloze=tuple(parts))


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def numeric(gen: Generator, spec: TemplateSpec, records: list) -> Result:
    if spec.template.answer == "value":
        for number in records:
            prompt = gen.text(spec, "prompt", gen.context(spec, number=gen.views.number(number)))
            answer = _format_number(number.value)
            if re.search(rf"(?<![\d.]){re.escape(answer)}(?![\d.])", prompt):
                yield _skip(spec, [number], "the prompt gives the answer away")
                continue
            yield gen.question(spec, [number], prompt=prompt, answer=answer, unit=number.unit,
                               unit_one=number.unit_one, accepted=tuple(number.accepted))
        return
    month = Precision.month.rank
    usable = [e for e in records if e.date.precision.rank >= month]

    def apart(pair: list) -> bool:
        a, b = sorted(pair, key=lambda e: e.date.sort_key)
        months = a.date.months_until(b.date)
        return months is not None and months >= 1 and a.date.before(b.date)

    for pair in _combinations(gen, spec, usable, 2, apart):
        first, second = sorted(pair, key=lambda e: e.date.sort_key)
        months = first.date.months_until(second.date)
        ctx = gen.context(spec, first=gen.views.event(first), second=gen.views.event(second))
        explanation = (f"{capfirst(first.date.label)}: {first.summary} "
                       f"{capfirst(second.date.label)}: {second.summary} "
                       f"From {first.date.label} to {second.date.label} is {months} "
                       f"month{'s' if months != 1 else ''} (counting calendar months).")
        yield gen.question(spec, [first, second], prompt=gen.text(spec, "prompt", ctx), answer=str(months),
                           unit="months", unit_one="month", explanation=explanation)


#: kinds whose builder makes each record's questions from that record alone (and the bank): a template of one
#: gives the same questions run over all its records at once or over slices of them in turn (parallel.py)
BY_RECORD = frozenset({Kind.multiple_choice, Kind.short_answer, Kind.quote, Kind.true_false, Kind.cloze})

BUILDERS: dict[Kind, Callable[[Generator, TemplateSpec, list], Result]] = {
    Kind.multiple_choice: multiple_choice,
    Kind.short_answer: short_answer,
    Kind.quote: quote_attribution,
    Kind.true_false: true_false,
    Kind.ordering: ordering,
    Kind.which_first: which_first,
    Kind.matching: matching,
    Kind.multiple_select: multiple_select,
    Kind.cloze: cloze,
    Kind.numeric: numeric,
}
