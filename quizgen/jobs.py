"""The jobs the CLI runs: load a bank, generate its questions, render them, write the files.

Each job renders everything in memory first and writes last, so a failure anywhere leaves output/ as it was.
This is the one module that ties the stages together; the stages themselves never import a later one.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .output import (
    DEFAULT_FOLDER,
    check_writable,
    prepare_folder,
    safe_filename,
    write_all,
)

DEFAULT_VERSIONS = 4


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path = DEFAULT_FOLDER
    seed: int = 0
    versions: int = DEFAULT_VERSIONS
    questions: int | None = None
    paper: str = "a4"
    timestamp: int | None = None


def _size(n: int) -> str:
    return f"{n / 1024:,.1f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MiB"


def build(bank_path: Path | None, options: BuildOptions, progress: Callable[[str], None] = lambda _: None,
          warn: Callable[[str], None] = lambda _: None) -> list[str]:
    """Write the deck, the quiz (all versions), its answer sheets, the answer key (PDF, and JSON for
    `quizgen mark`), the timeline and the practice web page, all or none; return one line per file. `warn` gets
    one line per thing the user should know that does not stop the build.

    Where it can fork and a core is idle, a second process loads and generates the bank, renders the deck and
    the page and chooses the quiz versions, while this one imports reportlab, reads the fonts and then lays out
    the PDFs; progress lines, warnings and errors come in the order (and with the texts) they would in one
    process."""
    from .pdf.background import Ahead, core_free

    step = _stepper(progress)
    ahead = Ahead.start(_build_ahead, bank_path, options) if core_free() else None
    if ahead is None:
        built = _build_here(bank_path, options, step, warn)
    else:
        with ahead:
            built = _build_beside(ahead, options, step, warn)
    return _write_built(built, step)


@dataclass(frozen=True)
class _Places:
    """Where `build` writes, from the bank's id."""

    deck: Path
    quiz: Path
    page: Path

    @classmethod
    def of(cls, bank_id: str, options: BuildOptions) -> _Places:
        folder = Path(options.out_dir)    # made only when the files are written: a failed build leaves no folder
        stem = safe_filename(bank_id, "bank")
        return cls(folder / f"{stem}.apkg", folder / f"{stem}-quiz.pdf", folder / f"{stem}-practice.html")

    def check(self) -> None:
        from .pdf.build import output_paths

        check_writable(self.deck, create_folder=True)
        for path in output_paths(self.quiz).values():
            check_writable(path, create_folder=True)
        check_writable(self.page, create_folder=True)


@dataclass(frozen=True)
class _Built:
    places: _Places
    deck: object
    pdfs: list
    page: object


def _pdf_options(options: BuildOptions):
    from .pdf.options import PdfOptions

    return PdfOptions(questions=options.questions, versions=options.versions, seed=options.seed,
                      paper=options.paper, key=True, timeline=True, answer_sheet=True)


def _stepper(progress: Callable[[str], None]) -> Callable[..., None]:
    """A step's progress line, with the seconds since the command started (or since `at`, a time of the other
    process's: see _build_beside)."""
    started = time.monotonic()

    def step(message: str, at: float | None = None) -> None:
        progress(f"[{(time.monotonic() if at is None else at) - started:5.2f}s] {message}")

    return step


def _loaded_line(bank_id: str, events: int, entities: int) -> str:
    return f"loaded bank '{bank_id}': {events} events, {entities} entities"


def _generated_line(questions: int, skipped: int) -> str:
    return f"generated {questions} questions ({skipped} skipped)"


def _deck_line(deck) -> str:
    return f"rendered the Anki deck: {deck.notes} notes, {deck.cards} cards"


def _build_here(bank_path: Path | None, options: BuildOptions, step, warn) -> _Built:
    """Every step in this process, one after the other."""
    from .anki.package import render_apkg
    from .bank.loader import load_bank
    from .generate.generator import generate
    from .html import HtmlOptions, render_practice
    from .pdf.build import render_pdfs

    bank = load_bank(bank_path)
    step(_loaded_line(bank.id, len(bank.events), len(bank.entities)))
    places = _Places.of(bank.id, options)
    places.check()
    generated = generate(bank, seed=options.seed)
    step(_generated_line(len(generated.questions), len(generated.skipped)))
    deck = render_apkg(generated.questions, generated.meta, places.deck, timestamp=options.timestamp, warn=warn)
    step(_deck_line(deck))
    pdfs = render_pdfs(generated.meta, generated.questions, places.quiz, _pdf_options(options), warn,
                       create_folder=True)
    step(f"rendered {len(pdfs)} files")
    page = render_practice(generated.meta, generated.questions, HtmlOptions(options.questions, seed=options.seed))
    step("rendered the practice page")
    return _Built(places, deck, pdfs, page)


def _build_ahead(bank_path: Path | None, options: BuildOptions):
    """In the other process: _build_here's steps but the PDFs' layout, each result yielded with the time it was
    ready. The versions go first, right after generating, so the PDFs start while this process renders the deck;
    a QuizgenError choosing them is sent as a value, for _build_beside to raise where one process would."""
    from .bank.loader import load_bank
    from .errors import QuizgenError
    from .generate.generator import generate
    from .pdf.options import choose

    bank = load_bank(bank_path)
    yield bank.id, len(bank.events), len(bank.entities), time.monotonic()
    generated = generate(bank, seed=options.seed)
    yield len(generated.questions), len(generated.skipped), time.monotonic()
    try:
        yield generated.meta, choose(generated.questions, _pdf_options(options))
    except QuizgenError as exc:
        yield exc
    from .anki.package import render_apkg
    from .html import HtmlOptions, render_practice

    warnings: list[str] = []
    deck = render_apkg(generated.questions, generated.meta, _Places.of(bank.id, options).deck,
                       timestamp=options.timestamp, warn=warnings.append)
    yield deck, warnings, time.monotonic()
    yield render_practice(generated.meta, generated.questions, HtmlOptions(options.questions, seed=options.seed))


def _build_beside(ahead, options: BuildOptions, step, warn) -> _Built:
    """This process's side of a forked build: reportlab and the fonts while the other loads and generates, then
    the PDFs while the other renders the deck. Lines, warnings and the first error come as in _build_here: the
    deck's before the PDFs'."""
    from .errors import QuizgenError
    from .pdf.build import check_destinations, prepare, render_class_set

    pdf_options = _pdf_options(options)
    prepare(pdf_options)
    bank_id, events, entities, at = ahead.next()
    step(_loaded_line(bank_id, events, entities), at)
    places = _Places.of(bank_id, options)
    places.check()
    questions, skipped, at = ahead.next()
    step(_generated_line(questions, skipped), at)
    chosen = ahead.next()
    paths = check_destinations(places.quiz, pdf_options, create_folder=True)
    pdf_warnings: list[str] = []
    failed: QuizgenError | None = chosen if isinstance(chosen, QuizgenError) else None
    pdfs = []
    if failed is None:
        try:
            pdfs = render_class_set(*chosen, paths, pdf_options, pdf_warnings.append)
        except QuizgenError as exc:
            failed = exc
    deck, deck_warnings, at = ahead.next()
    for line in deck_warnings:
        warn(line)
    step(_deck_line(deck), at)
    if failed is not None:
        raise failed
    for line in pdf_warnings:
        warn(line)
    step(f"rendered {len(pdfs)} files")
    page = ahead.next()
    step("rendered the practice page")
    return _Built(places, deck, pdfs, page)


def _write_built(built: _Built, step) -> list[str]:
    from .anki.package import summary_of

    deck_path, page_path = built.places.deck, built.places.page
    sizes = write_all([(deck_path, built.deck.data)] + [(path, r.data) for path, _, r in built.pdfs]
                      + [(page_path, built.page.html.encode("utf-8"))], create_folders=True)
    summary = summary_of(built.deck, deck_path, sizes[0])
    lines = [f"{summary.path}  Anki deck: {summary.notes} notes, {summary.cards} cards, "
             f"{len(summary.decks)} decks, {_size(summary.size)}"]
    for (path, what, rendered), size in zip(built.pdfs, sizes[1:]):
        pages = f"{rendered.pages} page{'s' * (rendered.pages != 1)}, " if rendered.pages else ""
        lines.append(f"{path}  {what}: {pages}{_size(size)}")
    lines.append(f"{page_path}  {built.page.what}: {_size(sizes[-1])}")
    step("wrote everything")
    return lines


def _generate_asked(bank, seed: int, kinds, templates):
    """The questions of these kinds and templates that generating everything keeps, from only the templates they
    need; everything when a template is unknown or makes none, so that the selection reports it as it always has."""
    from .errors import QuizgenError
    from .generate.generator import generate

    if kinds or templates:
        try:
            asked = generate(bank, seed=seed, kinds=kinds, templates=templates)
        except QuizgenError:
            asked = None
        if asked is not None and all(r.made for r in asked.reports):
            return asked
    return generate(bank, seed=seed)


def build_anki(bank_path: Path | None, output: Path | None = None, *, seed: int = 0,
               kinds: Iterable[str] | None = None, templates: Iterable[str] | None = None,
               timestamp: int | None = None, warn: Callable[[str], None] = lambda _: None,
               progress: Callable[[str], None] = lambda _: None):
    """`quizgen anki`: load the bank, generate its questions and write them as an Anki package. `progress` gets a
    line after each step, with the seconds since the start (a 100,000-event bank takes about 40 s)."""
    from .anki.package import write_apkg
    from .bank.loader import load_bank
    from .generate.generator import generate
    from .question import parse_kinds

    step = _stepper(progress)
    kinds = parse_kinds(kinds)    # a mistyped kind is told before a big bank is loaded
    if output is not None:
        check_writable(output)
    bank = load_bank(bank_path)
    step(_loaded_line(bank.id, len(bank.events), len(bank.entities)))
    if output is None:
        output = check_writable(prepare_folder(DEFAULT_FOLDER) / f"{safe_filename(bank.id)}.apkg")
    result = generate(bank, seed=seed, kinds=kinds, templates=templates)
    step(_generated_line(len(result.questions), len(result.skipped)))
    del bank  # a big bank's records are not needed to write the deck: free them first
    return write_apkg(result.questions, result.meta, output, timestamp=timestamp, warn=warn)


def build_pdf(bank_path: Path | None, out: Path | None, options, warn: Callable[[str], None] = lambda _: None):
    """`quizgen pdf`: load and generate the bank, then write the quiz and what goes with it
    (to output/<bank id>-quiz.pdf by default).

    Where it can fork and a core is idle, a second process loads and generates the bank and chooses the versions
    while this one imports reportlab and reads the fonts; it sends back only the versions. Errors come in the
    order they would in one process: the bank's, then the destination's, then generation's and the choice's."""
    from .pdf.background import Ahead, core_free

    ahead = Ahead.start(_class_set_of, bank_path, options) if core_free() else None
    if ahead is None:
        return _build_pdf_here(bank_path, out, options, warn)
    from .pdf.build import check_destinations, default_quiz_path, prepare, render_class_set, write_rendered

    with ahead:
        prepare(options)
        bank_id = ahead.next()
        if out is None:
            out = default_quiz_path(bank_id, prepare_folder(DEFAULT_FOLDER))
        paths = check_destinations(out, options)
        meta, class_set = ahead.next()
    return write_rendered(render_class_set(meta, class_set, paths, options, warn))


def _class_set_of(bank_path: Path | None, options):
    """Yields the bank's id once it is loaded, then its metadata and the versions the options print."""
    from .bank.loader import load_bank
    from .pdf.options import choose

    bank = load_bank(bank_path)
    yield bank.id
    result = _generate_asked(bank, options.seed, options.kinds, options.templates)
    del bank
    yield result.meta, choose(result.questions, options)


def _build_pdf_here(bank_path: Path | None, out: Path | None, options, warn: Callable[[str], None]):
    from .bank.loader import load_bank
    from .pdf.build import check_destinations, default_quiz_path, write_pdfs

    bank = load_bank(bank_path)
    if out is None:
        out = default_quiz_path(bank.id, prepare_folder(DEFAULT_FOLDER))
    check_destinations(out, options)
    result = _generate_asked(bank, options.seed, options.kinds, options.templates)
    return write_pdfs(result.meta, result.questions, out, options, warn)


def build_export(bank_path: Path | None, fmt: str, out: Path | str | None = None, *, seed: int = 0,
                 kinds: Iterable[str] | None = None, templates: Iterable[str] | None = None,
                 progress: Callable[[str], None] = lambda _: None):
    """`quizgen export`: load a bank, generate its questions and export them in one format (`progress` as for
    build_anki)."""
    from .bank.loader import load_bank
    from .export import check_destination, default_path, export_questions, get_format
    from .generate.generator import generate
    from .question import parse_kinds

    step = _stepper(progress)
    spec = get_format(fmt)
    kinds = parse_kinds(kinds)    # a mistyped kind is told before a big bank is loaded
    if out is not None:
        check_destination(spec, out)
    bank = load_bank(bank_path)
    step(_loaded_line(bank.id, len(bank.events), len(bank.entities)))
    if out is None:
        out = check_writable(default_path(bank.id, fmt))
    result = generate(bank, seed=seed, kinds=kinds, templates=templates)
    step(_generated_line(len(result.questions), len(result.skipped)))
    return export_questions(result.questions, result.meta, fmt, out)


def build_html(bank_path: Path | None, out: Path | None, options):
    """`quizgen html`: load and generate the bank, then write the practice page (output/<bank id>-practice.html,
    or -bank.html with every question)."""
    from .bank.loader import load_bank
    from .html import default_path, render_practice, write_page

    if out is not None:
        check_writable(out)
    bank = load_bank(bank_path)
    if out is None:
        out = check_writable(default_path(bank.id, options.all_questions, prepare_folder(DEFAULT_FOLDER)))
    result = _generate_asked(bank, options.seed, options.kinds, options.templates)
    return write_page(out, render_practice(result.meta, result.questions, options))


def build_review(bank_path: Path | None, out: Path | None = None, *, seed: int = 0,
                 kinds: Iterable[str] | None = None, template: str | None = None):
    """`quizgen preview --html`: every question with its answer, facts and template on one page for proofreading,
    those the question review flags included and marked (the other commands skip them)."""
    from .bank.loader import load_bank
    from .generate.generator import generate
    from .html import default_review_path, write_review

    if out is not None:
        check_writable(out)
    bank = load_bank(bank_path)
    if out is None:
        out = check_writable(default_review_path(bank.id, prepare_folder(DEFAULT_FOLDER)))
    result = generate(bank, seed=seed, kinds=kinds or None, templates=[template] if template else None, strict=False)
    flags: dict[str, list[tuple[str, str]]] = {}
    for flag in result.flags:
        flags.setdefault(flag.question, []).append((flag.rule, flag.message))
    return write_review(out, result.meta, result.questions, flags)
