"""The generator: templates + dataset -> neutral Question objects, deterministic for a seed."""
from __future__ import annotations

import random
from typing import Any, Callable, Iterable

from ..bank.loader import Bank
from ..bank.vocabulary import NO_EFFECT
from ..errors import Problem, QuizgenError
from ..gcpause import bulk
from ..question import (
    BankMeta,
    Kind,
    Question,
    RestrictionStatus,
    SourceRef,
    TimelineEntry,
    parse_kinds,
    split_names,
    stable_id,
)
from .builders import BUILDERS
from .distractors import DatePools, EntityPools, Truth
from .parallel import WORKERS_FROM, template_runs
from .results import GeneratedSet, Skip, TemplateReport
from .review import Reviewer
from .rules import date_in
from .selectors import select
from .templates import TemplateSpec, load_templates, read_templates
from .views import (
    TemplateRenderError,
    Views,
    build_budget,
    capfirst,
    render,
    render_session,
)


#: questions a worker process holds before it writes them out (about 12 MiB of them)
SPILL_EVERY = 10_000

#: kinds whose prompt alone says what is asked: two of them with one prompt would be ambiguous or repeated
PROMPT_DECIDES = frozenset({Kind.multiple_choice, Kind.short_answer, Kind.quote, Kind.numeric, Kind.cloze,
                            Kind.true_false})


def bank_meta(bank: Bank) -> BankMeta:
    """What renderers know of the bank: on the timeline, every event the source dates that changed a restriction."""
    source = bank.info.sources[0]
    vocabulary = bank.vocabulary
    timeline = []
    # only the events the timeline shows are sorted: about a tenth of a big bank's
    shown = [e for e in bank.events.values() if not e.date_inferred and vocabulary.effect_class(e.effect) != NO_EFFECT
             and (e.restriction or e.subject in bank.restrictions)]
    for event in bank.events_in_order(shown):
        restriction = event.restriction or event.subject
        timeline.append(TimelineEntry(event.date.label, event.date.start.isoformat(), event.date.end.isoformat(),
                                      bank.name(restriction), tuple(bank.name(a) for a in event.actors),
                                      vocabulary.effect_class(event.effect), event.summary,
                                      vocabulary.effect_label(event.effect)))
    restrictions = tuple(RestrictionStatus(r.name, vocabulary.status_class(r.status),
                                           vocabulary.status_label(r.status),
                                           tuple(bank.name(i) for i in r.imposed_by), r.status_note)
                         for r in bank.restrictions.values())
    return BankMeta(bank.id, bank.info.title, bank.info.display_name, bank.info.description,
                    bank.info.language, bank.info.as_of.iso, bank.info.as_of.label,
                    SourceRef(source.title, "", source.publisher), tuple(timeline), restrictions,
                    vocabulary.words.restriction, vocabulary.words.restrictions)


class Generator:
    """Holds the indexes one bank needs (truth, distractor pools, views) across all templates."""

    def __init__(self, bank: Bank, seed: int = 0, strict: bool = True):
        self.bank = bank
        self.seed = seed
        self.strict = strict      # skip what the review flags (False: keep it and report the flags)
        self.views = Views(bank)
        self.truth = Truth(bank)
        self.entities = EntityPools(bank, self.truth)
        self.dates = DatePools(bank)
        self.latest = bank.info.as_of.start   # no wrong date from the bank's own time on
        self._shared: dict[Any, Any] = {}
        self._last_facts: tuple[Any, Any] = (None, None)     # the previous question's template and facts
        self._by_facts: dict[tuple[str, ...], tuple[Any, ...]] = {}
        self._tags_of_template: dict[str, frozenset[str]] = {}
        self._tags_of_record: dict[str, tuple[str, ...]] = {}
        self.memo: dict[str, Any] = {}     # indexes the builders and the review build once per bank
        self.reviewer = Reviewer(self)
        self._ids_by_name = {e.name: e.id for e in bank.entities.values()}

    def forget(self) -> None:
        """Drop what was remembered about particular records (views, answers, verdicts, shared values): a big
        bank's slices of records run one after another, and each slice's memos would otherwise add up to hundreds
        of MiB (parallel.py). Only memory: everything dropped is made again, the same, when next asked."""
        self._shared.clear()
        self._by_facts.clear()
        self._tags_of_record.clear()
        self.views.forget()
        self.truth.forget()
        self.reviewer.forget()

    def entity_id(self, name: str) -> str:
        """The id of the entity an option names (options are names)."""
        return self._ids_by_name.get(name, name)

    def share(self, value: Any) -> Any:
        """One object for equal values: tags, sources, dates and explanations recur across a big bank's questions."""
        return self._shared.setdefault(value, value)

    # ---- shared helpers for the kind builders ----

    def rng(self, *parts: Any) -> random.Random:
        """A random stream per question and seed (string seeds hash with SHA-512, not hash())."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def stable_rng(self, *parts: Any) -> random.Random:
        """Seed-independent randomness, for choosing which facts go together (keeps question ids stable)."""
        return random.Random(":".join(str(p) for p in ("stable", *parts)))

    def context(self, spec: TemplateSpec, **values: Any) -> dict[str, Any]:
        words = self.bank.vocabulary.words
        return {"bank": self.bank.info.title, "as_of": self.bank.info.as_of.label,
                "source": self.bank.info.sources[0].title,
                "words": {"restriction": words.restriction, "restrictions": words.restrictions}, **values}

    def text(self, spec: TemplateSpec, name: str, ctx: dict[str, Any]) -> str:
        compiled = spec.compiled.get(name)
        if compiled is None:
            return ""
        try:
            return render(compiled, ctx)
        except TemplateRenderError as exc:
            line, col = spec.line_of(name)
            raise QuizgenError(f"template '{spec.id}': {name}: {exc}", spec.file, line, col) from exc

    def source_ref(self, records: Iterable[Any]) -> SourceRef:
        records = list(records)
        source = self.bank.source(getattr(records[0], "source", None))
        quotes = [getattr(r, "quote", None) or getattr(r, "text", "") for r in records]
        return self.share(SourceRef(source.title, " … ".join(q for q in quotes if q), source.publisher))

    def tags(self, spec: TemplateSpec, records: Iterable[Any]) -> tuple[str, ...]:
        tags = set(self._template_tags(spec))
        for record in records:
            tags.update(self._record_tags(record))
        return self.share(tuple(sorted(tags)))

    def _template_tags(self, spec: TemplateSpec) -> frozenset[str]:
        known = self._tags_of_template.get(spec.id)
        if known is None:
            tags = {f"quizgen::{self.bank.id}", f"kind::{spec.template.kind.value}", f"template::{spec.id}"}
            tags.update(f"topic::{t}" for t in spec.template.tags)
            known = self._tags_of_template[spec.id] = frozenset(self.share(t) for t in tags)
        return known

    def _record_tags(self, record: Any) -> tuple[str, ...]:
        """A record's own tags (actors, speaker, year), the same strings for every template that asks about it."""
        known = self._tags_of_record.get(record.id)
        if known is None:
            tags = [f"actor::{actor}" for actor in getattr(record, "actors", ()) or ()]
            if getattr(record, "speaker", None):
                tags.append(f"actor::{record.speaker}")
            if getattr(record, "date", None) is not None:
                tags.append(f"year::{record.date.start.year}")
            known = self._tags_of_record[record.id] = tuple(self.share(t) for t in tags)
        return known

    def _about(self, records: list[Any], facts: tuple[str, ...]) -> tuple[Any, ...]:
        """What depends on the facts alone, whatever the template asks: the facts (one tuple for all their
        questions), the sort key, the source and, once made, the explanation built from the records alone."""
        known = self._by_facts.get(facts)
        if known is None:
            dated = [r.date for r in records if getattr(r, "date", None) is not None]
            sort_key = self.share(min(d.start for d in dated).isoformat()) if dated else "9999-12-31"
            known = self._by_facts[facts] = (facts, sort_key, self.source_ref(records), [])
        return known

    def _known(self, spec: TemplateSpec, records: list[Any]) -> tuple[Any, ...]:
        """What depends only on the template and the facts: once for a question's variants."""
        facts = tuple(r.id for r in records)
        key = (spec.id, facts)
        last_key, known = self._last_facts
        if last_key != key:
            facts, sort_key, source, plain = self._about(records, facts)
            own = spec.compiled.get("explanation") is not None and len(records) == 1   # see default_explanation
            known = (facts, sort_key, source, self.tags(spec, records), [] if own else plain)
            self._last_facts = (key, known)
        return known

    def explanation(self, spec: TemplateSpec, records: list[Any]) -> str:
        """`default_explanation`, made once for the questions (and templates) that share it."""
        default = self._known(spec, records)[4]
        if not default:
            default.append(self.share(self.default_explanation(spec, records)))
        return default[0]

    def question(self, spec: TemplateSpec, records: list[Any], *, prompt: str, answer: Any,
                 variant: str = "", explanation: str | None = None, **fields: Any) -> Question:
        facts, sort_key, source, tags, _ = self._known(spec, records)
        qid = stable_id(self.bank.id, spec.id + (f"#{variant}" if variant else ""), facts)
        if explanation is None:
            explanation = self.explanation(spec, records)
        return Question(id=qid, bank=self.bank.id, template=spec.id, group=spec.template.group,
                        kind=spec.template.kind, prompt=prompt, answer=answer, explanation=explanation,
                        facts=facts, source=source, tags=tags, sort_key=sort_key, **fields)

    def default_explanation(self, spec: TemplateSpec, records: list[Any]) -> str:
        if spec.compiled.get("explanation") is not None and len(records) == 1:
            view = self.views.record(spec.template.select.from_, records[0])
            return self.text(spec, "explanation", self.context(spec, **{_singular(spec): view}))
        parts = []
        if any(hasattr(r, "status_note") for r in records):
            parts.append(f"As of {self.bank.info.as_of.label}:")   # once, however many restrictions follow
        for r in records:
            if hasattr(r, "summary") and (getattr(r, "date_inferred", False) or date_in(r.summary)):
                parts.append(r.summary)     # no date to show, or the summary shows it already
            elif hasattr(r, "summary") and hasattr(r, "date"):
                parts.append(f"{capfirst(r.date.label)}: {r.summary}")
            elif hasattr(r, "summary"):
                parts.append(r.summary)
            elif hasattr(r, "speaker"):
                when = "" if r.date_inferred else f" ({r.date.label})"
                parts.append(f"{self.bank.name(r.speaker)}{when}: {r.context}")
            elif hasattr(r, "status_note"):
                parts.append(f"{r.name}: {self.bank.vocabulary.status_label(r.status)}. {r.status_note}")
        return " ".join(parts)

    # ---- running templates ----

    def run(self, spec: TemplateSpec, spill: Callable[[list[Question]], None] | None = None,
            among: Iterable[Any] | None = None) -> tuple[list[Question], TemplateReport]:
        """A template's questions and report. With `spill`, every `SPILL_EVERY` questions are handed to it as they
        are made and only the last ones returned (a worker process writes them out: it need not hold all of a
        big template's questions). With `among`, the template runs over those of its records only (a slice of
        a big bank: see parallel.py)."""
        t = spec.template
        report = TemplateReport(t.id, t.kind, t.title, spec.file)
        records = select(self.bank, t.select.from_, t.select.where, among)
        report.selected = len(records)
        questions = []
        made = 0
        with render_session():
            for attempt in BUILDERS[t.kind](self, spec, records):
                if isinstance(attempt, Skip):
                    report.skipped.append(attempt)
                    continue
                flags = self.reviewer.check(attempt, spec)
                if flags and self.strict:
                    report.skipped.append(Skip(spec.id, attempt.facts, f"review: {flags[0].rule}: {flags[0].message}"))
                    continue
                report.flags += flags
                questions.append(attempt)
                made += 1
                if t.limit and made >= t.limit:
                    break
                if spill is not None and len(questions) >= SPILL_EVERY:
                    spill(questions)
                    questions = []
        report.made = made
        return questions, report

    def dry_run(self, spec: TemplateSpec) -> list[Problem]:
        """Problems `check` reports for a template that loads: render errors, and a selector of the bank's own
        matching nothing (a shared template that fits no record here is skipped, with its reason in `templates`)."""
        try:
            questions, report = self.run(spec)
        except QuizgenError as exc:
            return exc.problems
        if report.selected == 0 and spec.own:
            return [spec.problem("select matches no records in this bank", "select")]
        return []


def _singular(spec: TemplateSpec) -> str:
    return {"events": "event", "entities": "entity", "restrictions": "restriction", "quotes": "quote",
            "numbers": "number"}[spec.template.select.from_]


def _pick(specs: list[TemplateSpec], kinds: Iterable[str] | None, templates: Iterable[str] | None
          ) -> list[TemplateSpec]:
    import difflib

    wanted_templates, wanted_kinds = split_names(templates), parse_kinds(kinds)
    if wanted_templates:
        known = {s.id for s in specs}
        for wanted in wanted_templates:
            if wanted not in known:
                close = difflib.get_close_matches(wanted, sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise QuizgenError(f"unknown template '{wanted}'{hint}; `quizgen templates` lists them")
        specs = [s for s in specs if s.id in set(wanted_templates)]
    if wanted_kinds:
        specs = [s for s in specs if s.template.kind in wanted_kinds]
    return specs


def _needed(every: list[TemplateSpec], wanted: list[TemplateSpec]) -> list[TemplateSpec]:
    """The templates to run for the wanted ones, in file order: the wanted templates, and before them those of a
    kind whose prompt decides the question, whose earlier questions can make a wanted one a repeat. (Question ids
    include the template id, so only prompts can repeat across templates.) The wanted questions are then exactly
    those generating everything would keep."""
    if len(wanted) == len(every):
        return every
    chosen = {id(s) for s in wanted}
    kinds = {s.template.kind for s in wanted} & PROMPT_DECIDES
    last = max((i for i, s in enumerate(every) if id(s) in chosen), default=-1)
    return [s for i, s in enumerate(every) if id(s) in chosen or (i < last and s.template.kind in kinds)]


def generate(bank: Bank, seed: int = 0, kinds: Iterable[str] | None = None,
             templates: Iterable[str] | None = None, strict: bool = True, *,
             workers_from: int = WORKERS_FROM, loaded: list[TemplateSpec] | None = None) -> GeneratedSet:
    """Every question the bank's templates make, in template-file order, then fact order. A question the review
    flags is skipped with the reason; with `strict=False` it is kept and its flags reported (`quizgen review`).
    A bank of at least `workers_from` records runs its templates on every core (parallel.py), with the same
    result. `loaded`: the bank's templates as `load_templates` read them, for a caller that generates one bank
    many times (`quizgen review`'s ten seeds read them once)."""
    with bulk(), build_budget():
        return _generate(bank, seed, kinds, templates, strict, workers_from, loaded)


def _generate(bank: Bank, seed: int, kinds: Iterable[str] | None, templates: Iterable[str] | None,
              strict: bool, workers_from: int, loaded: list[TemplateSpec] | None) -> GeneratedSet:
    every = load_templates(bank) if loaded is None else loaded
    specs = _pick(every, kinds, templates)
    wanted = {id(s) for s in specs}
    questions: list[Question] = []
    reports: list[TemplateReport] = []
    seen: set[str] = set()
    answers_by_prompt: dict[Kind, dict[str, Any]] = {kind: {} for kind in PROMPT_DECIDES}   # no (kind, prompt)
    # tuple per question: about 17 MB at 100,000 events, made when every process is at its largest
    needed = _needed(every, specs)
    for spec, (made, report) in template_runs(bank, lambda: Generator(bank, seed, strict), needed, workers_from):
        for q in made:
            reason = None
            if q.id in seen:
                reason = "same facts as another question"
            elif q.kind in PROMPT_DECIDES and q.prompt in answers_by_prompt[q.kind]:
                # compared by key, not by answer identity: equal answers are often one shared object
                earlier = answers_by_prompt[q.kind][q.prompt]
                reason = ("the same prompt as another question" if earlier == q.answer else
                          "the same prompt as another question with a different answer (ambiguous)")
            elif q.kind in PROMPT_DECIDES:
                answers_by_prompt[q.kind][q.prompt] = q.answer
            if reason:
                report.made -= 1
                report.skipped.append(Skip(spec.id, q.facts, reason))
                continue
            seen.add(q.id)
            if id(spec) in wanted:      # the others ran only for their prompts (see _needed)
                questions.append(q)
        if id(spec) in wanted:
            reports.append(report)
    skipped = [s for r in reports for s in r.skipped]
    flags = [f for r in reports for f in r.flags if f.question in seen]
    return GeneratedSet(bank_meta(bank), questions, skipped, reports, flags)


def template_problems(bank: Bank) -> list[Problem]:
    """Everything `quizgen check` reports about templates, including render errors and empty selectors."""
    with build_budget():
        specs, problems = read_templates(bank)
        generator = Generator(bank, seed=0)
        for spec in specs:
            problems.extend(generator.dry_run(spec))
    return problems
