"""What a template can see: read-only views of records, and the sandboxed Jinja environment.

Templates are untrusted. They render in Jinja's immutable sandbox with StrictUndefined, see only
these small view objects, and each render is bounded in time, memory and output size (limits.py),
every operation in it by the size of what it would build (sandbox.py).
"""
from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass, replace
from typing import Any, Callable

from ..bank.dates import PartialDate
from ..bank.loader import Bank
from ..bank.model import Entity, Event, Number, Quote, Restriction
from .limits import (  # noqa: F401 - render_session and build_budget are used through this module
    MAX_SECONDS,
    TemplateRenderError,
    build_budget,
    memory_limit,
    out_of_memory,
    render_session,
    time_limit,
    timed_out,
)

HOLE_OPEN, HOLE_CLOSE = "\ue000", "\ue001"   # private-use marks for cloze holes; stripped from facts
MAX_OUTPUT = 4000
BLANK = "_____"


@dataclass(frozen=True)
class DateView:
    label: str
    iso: str
    precision: str
    year: int
    text: str = ""

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class EntityView:
    id: str
    name: str
    kind: str
    role: str = ""
    country: str = ""
    category: str = ""
    aliases: tuple[str, ...] = ()
    origin: tuple[str, ...] = ()
    article: str = ""

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class RestrictionView:
    id: str
    name: str
    status: str                   # the bank's label for it ("still in force")
    status_note: str
    imposed_by: tuple[EntityView, ...]
    status_class: str = ""        # what it means: holds, partly, ended or other
    kind: str = "restriction"
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class EventView:
    id: str
    date: DateView
    actors: tuple[EntityView, ...]
    action: str
    subject: Any
    restriction: Any
    concerns: tuple[EntityView, ...]
    effect: str
    summary: str
    date_text: str = ""
    date_inferred: bool = False   # the source gives no date: templates should not show or ask it

    @property
    def actor(self) -> EntityView:
        return self.actors[0]

    def __str__(self) -> str:
        return self.summary


@dataclass(frozen=True)
class QuoteView:
    id: str
    text: str
    speaker: EntityView
    date: DateView
    context: str
    to: Any = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class NumberView:
    id: str
    value: int | float
    unit: str
    question: str
    summary: str
    about: Any = None

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit}"


def clean(text: str) -> str:
    """Facts may not carry the cloze marks the renderer relies on."""
    return text.replace(HOLE_OPEN, "").replace(HOLE_CLOSE, "")


def date_view(d: PartialDate) -> DateView:
    return DateView(d.label, d.iso, d.precision.value, d.start.year, d.text)


class Views:
    """Builds (and caches) views of a bank's records."""

    def __init__(self, bank: Bank):
        self.bank = bank
        self._cache: dict[str, Any] = {}      # entities and restrictions: every slice of a big bank asks for them
        self._events: dict[str, EventView] = {}

    def forget(self) -> None:
        """Drop the events' views (see Generator.forget)."""
        self._events.clear()

    def entity(self, entity_id: str) -> EntityView:
        if entity_id not in self._cache:
            e: Entity = self.bank.entities[entity_id]
            country = self.bank.entities[e.country].name if e.country else ""
            self._cache[entity_id] = EntityView(
                e.id, clean(e.name), e.kind, clean(e.role or ""), country, clean(e.category or ""),
                tuple(clean(a) for a in e.aliases), tuple(self.bank.entities[o].name for o in e.origin),
                e.article or "")
        return self._cache[entity_id]

    def ref(self, ref_id: str | None) -> Any:
        if ref_id is None:
            return None
        if ref_id in self.bank.restrictions:
            return self.restriction(ref_id)
        return self.entity(ref_id)

    def restriction(self, rid: str) -> RestrictionView:
        if rid not in self._cache:
            r: Restriction = self.bank.restrictions[rid]
            vocabulary = self.bank.vocabulary
            self._cache[rid] = RestrictionView(r.id, clean(r.name), vocabulary.status_label(r.status),
                                               clean(r.status_note), tuple(self.entity(i) for i in r.imposed_by),
                                               vocabulary.status_class(r.status))
        return self._cache[rid]

    def event(self, e: Event) -> EventView:
        if e.id not in self._events:
            self._events[e.id] = EventView(
                e.id, date_view(e.date), tuple(self.entity(a) for a in e.actors),
                self.bank.vocabulary.action_label(e.action), self.ref(e.subject), self.ref(e.restriction),
                tuple(self.entity(w) for w in e.concerns), e.effect, clean(e.summary), clean(e.date_text or ""),
                e.date_inferred)
        return self._events[e.id]

    def quote(self, q: Quote) -> QuoteView:
        return QuoteView(q.id, clean(q.text), self.entity(q.speaker), date_view(q.date), clean(q.context),
                         self.ref(q.to))

    def number(self, n: Number) -> NumberView:
        return NumberView(n.id, n.value, clean(n.unit), clean(n.question), clean(n.summary), self.ref(n.about))

    def record(self, source: str, record: Any) -> Any:
        return {"events": self.event, "entities": lambda r: self.entity(r.id), "quotes": self.quote,
                "restrictions": lambda r: self.restriction(r.id), "numbers": self.number}[source](record)


# ---- filters available to templates ----

@functools.lru_cache(maxsize=None)
def word_pattern(name: str, ignore_case: bool = False) -> re.Pattern:
    """`name` as a whole word, compiled once (re's own cache holds too few patterns for a big bank)."""
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE if ignore_case else 0)


def names_of(item: Any) -> list[str]:
    if isinstance(item, (EntityView, RestrictionView)):
        return [item.name, *item.aliases]
    return [str(item)]


def mention_pattern(item: Any) -> re.Pattern:
    """Every mention of an entity by name or alias, with its article ("the United States") when it takes one."""
    names = sorted((n for n in names_of(item) if n), key=len, reverse=True)
    article = r"(?:\b[Tt]he\s+)?" if getattr(item, "article", "") else ""
    return _mention_pattern(article, tuple(names))


@functools.lru_cache(maxsize=None)
def _mention_pattern(article: str, names: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"{article}(?<!\w)(?:{'|'.join(re.escape(n) for n in names)})(?!\w)")


def blank(text: str, item: Any) -> str:
    """Replace every mention of an entity (name or alias, with its article) with a blank: "the _____" would tell
    which answers fit."""
    names = [n for n in names_of(item) if n]
    return mention_pattern(item).sub(BLANK, str(text)) if names else str(text)


def hide(text: str, item: Any) -> str:
    """Turn the first mention of an entity (with its article) in the text into a cloze hole."""
    text = str(text)
    match = mention_pattern(item).search(text) if any(names_of(item)) else None
    if match:
        return f"{text[:match.start()]}{hole(match.group(0))}{text[match.end():]}"
    return text


def join_names(items: Any, word: str = "and") -> str:
    names = [str(i) for i in items]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def hole(value: Any) -> str:
    """Mark text as a cloze deletion (the renderer decides how to show it)."""
    return f"{HOLE_OPEN}{value}{HOLE_CLOSE}"


def capfirst(text: Any) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def mid_sentence(text: Any) -> str:
    """The text as it reads after "In 2023, ...": a leading "The", "A" or "An" in lower case (names stay)."""
    text = str(text)
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if first in ("The", "A", "An") and rest else text


def strip_period(text: Any) -> str:
    return str(text).rstrip().rstrip(".")


_env = None


def environment():
    """One shared sandbox (see sandbox.py); compiled templates are cached by the caller."""
    global _env
    if _env is None:
        from jinja2 import StrictUndefined

        from .sandbox import QuizSandbox

        env = QuizSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
        env.filters.update(blank=blank, hide=hide, join_names=join_names, capfirst=capfirst,
                           strip_period=strip_period, hole=hole, mid_sentence=mid_sentence)
        env.globals.clear()
        env.globals.update(hole=hole, join_names=join_names, range=_small_range)
        _env = env
    return _env


def _small_range(*args: int) -> range:
    r = range(*args)
    if len(r) > 100:
        raise TemplateRenderError("range() larger than 100 is not allowed in templates")
    return r


def compile_template(source: str, fast_path=None):
    """Compile template text within the time and memory limits; TemplateSyntaxError passes through.
    `fast_path(environment, tree)` may add a faster renderer for it (fastpath.py), which `render` tries first.
    A template the fast path takes is only parsed here: the sandbox compiles it when a render first needs it
    (most never do; compiling every template was a fifth of the work before `quizgen pdf`'s first question)."""
    def parse():
        tree = environment().parse(source)
        fast = fast_path(environment(), tree) if fast_path else None
        return Deferred(source, fast) if fast is not None else environment().from_string(tree)

    return _compiling(parse)


class Deferred:
    """A template the fast path renders, with the sandbox's compiled template made on first need."""

    def __init__(self, source: str, fast):
        self.source = source
        self.quizgen_fast = fast
        self._sandboxed = None

    def sandboxed(self):
        if self._sandboxed is None:
            self._sandboxed = _compiling(lambda: environment().from_string(self.source))
        return self._sandboxed


def _compiling(step: Callable[[], Any]) -> Any:
    """`step()` (parsing or compiling) inside the limits, its errors as TemplateRenderError."""
    from jinja2 import TemplateSyntaxError

    try:
        with render_session(), memory_limit(), time_limit():
            return step()
    except TemplateSyntaxError:
        raise
    except MemoryError as exc:
        raise out_of_memory() from exc
    except RecursionError as exc:
        raise TemplateRenderError("template is nested too deeply") from exc
    except TemplateRenderError:
        raise
    except Exception as exc:  # Python's own compiler can refuse what Jinja generated (e.g. too nested)
        raise TemplateRenderError(f"template cannot be compiled: {type(exc).__name__}: {exc}") from exc


def render(template, context: dict[str, Any]) -> str:
    """Render a compiled template with bounded output, time and memory; errors become TemplateRenderError.
    A plain template takes the fast path (fastpath.py) when it can."""
    fast = getattr(template, "quizgen_fast", None)
    if fast is not None:
        text = fast.render(context)
        if text is not None:
            return text
        if isinstance(template, Deferred):
            template = template.sandboxed()
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    from .sandbox import ValueTooBig

    parts: list[str] = []
    size = 0
    try:
        with memory_limit(), time_limit() as seconds:
            started = time.monotonic()
            for chunk in template.generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise TemplateRenderError(f"template output is longer than {MAX_OUTPUT} characters")
                if time.monotonic() - started > seconds:
                    raise timed_out()
                parts.append(chunk)
    except SecurityError as exc:
        raise TemplateRenderError(f"not allowed in a template: {exc}") from exc
    except ValueTooBig as exc:
        raise TemplateRenderError(str(exc)) from exc
    except MemoryError as exc:
        raise out_of_memory() from exc
    except RecursionError as exc:
        raise TemplateRenderError("template is nested too deeply") from exc
    except TemplateError as exc:
        raise TemplateRenderError(str(exc.message or exc)) from exc
    except TemplateRenderError:
        raise
    except Exception as exc:  # a template can raise arbitrary errors (e.g. 1/0); report, never crash
        raise TemplateRenderError(f"{type(exc).__name__}: {exc}") from exc
    return " ".join("".join(parts).split())


def with_replaced(view: Any, old: Any, new: Any) -> Any:
    """A copy of an event view with one entity, or the date, swapped (for false true/false statements)."""
    if isinstance(old, DateView):
        return replace(view, date=new)
    actors = tuple(new if a == old else a for a in view.actors)
    subject = new if view.subject == old else view.subject
    concerns = tuple(new if w == old else w for w in view.concerns)

    def name_of_new(match: re.Match) -> str:
        """The new name with its own article, capitalised where the old mention began a sentence."""
        phrase = f"the {new.name}" if getattr(new, "article", "") else new.name
        starts_sentence = match.start() == 0 or view.summary[:match.start()].rstrip().endswith((".", ":"))
        return phrase[:1].upper() + phrase[1:] if starts_sentence else phrase

    summary = mention_pattern(old).sub(name_of_new, view.summary)
    return replace(view, actors=actors, subject=subject, concerns=concerns, summary=summary)
