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
    one line per thing the user should know that does not stop the build."""
    from .anki.package import render_apkg, summary_of
    from .bank.loader import load_bank
    from .generate.generator import generate
    from .html import HtmlOptions, render_practice
    from .pdf.build import PdfOptions, output_paths, render_pdfs

    started = time.monotonic()

    def step(message: str) -> None:
        progress(f"[{time.monotonic() - started:5.2f}s] {message}")

    bank = load_bank(bank_path)
    step(f"loaded bank '{bank.id}': {len(bank.events)} events, {len(bank.entities)} entities")
    folder = Path(options.out_dir)    # made only when the files are written: a failed build leaves no folder
    stem = safe_filename(bank.id, "bank")
    deck_path = check_writable(folder / f"{stem}.apkg", create_folder=True)
    quiz_path = folder / f"{stem}-quiz.pdf"
    pdf_options = PdfOptions(questions=options.questions, versions=options.versions, seed=options.seed,
                             paper=options.paper, key=True, timeline=True, answer_sheet=True)
    for path in output_paths(quiz_path).values():
        check_writable(path, create_folder=True)
    page_path = check_writable(folder / f"{stem}-practice.html", create_folder=True)

    generated = generate(bank, seed=options.seed)
    step(f"generated {len(generated.questions)} questions ({len(generated.skipped)} skipped)")
    deck = render_apkg(generated.questions, generated.meta, deck_path, timestamp=options.timestamp, warn=warn)
    step(f"rendered the Anki deck: {deck.notes} notes, {deck.cards} cards")
    pdfs = render_pdfs(generated.meta, generated.questions, quiz_path, pdf_options, warn, create_folder=True)
    step(f"rendered {len(pdfs)} files")
    page = render_practice(generated.meta, generated.questions, HtmlOptions(options.questions, seed=options.seed))
    step("rendered the practice page")

    sizes = write_all([(deck_path, deck.data)] + [(path, r.data) for path, _, r in pdfs]
                      + [(page_path, page.html.encode("utf-8"))], create_folders=True)
    summary = summary_of(deck, deck_path, sizes[0])
    lines = [f"{summary.path}  Anki deck: {summary.notes} notes, {summary.cards} cards, "
             f"{len(summary.decks)} decks, {_size(summary.size)}"]
    for (path, what, rendered), size in zip(pdfs, sizes[1:]):
        pages = f"{rendered.pages} page{'s' * (rendered.pages != 1)}, " if rendered.pages else ""
        lines.append(f"{path}  {what}: {pages}{_size(size)}")
    lines.append(f"{page_path}  {page.what}: {_size(sizes[-1])}")
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
               timestamp: int | None = None, warn: Callable[[str], None] = lambda _: None):
    """`quizgen anki`: load the bank, generate its questions and write them as an Anki package."""
    from .anki.package import write_apkg
    from .bank.loader import load_bank
    from .generate.generator import generate

    if output is not None:
        check_writable(output)
    bank = load_bank(bank_path)
    if output is None:
        output = check_writable(prepare_folder(DEFAULT_FOLDER) / f"{safe_filename(bank.id)}.apkg")
    result = generate(bank, seed=seed, kinds=kinds, templates=templates)
    del bank  # a big bank's records are not needed to write the deck: free them first
    return write_apkg(result.questions, result.meta, output, timestamp=timestamp, warn=warn)


def build_pdf(bank_path: Path | None, out: Path | None, options, warn: Callable[[str], None] = lambda _: None):
    """`quizgen pdf`: load and generate the bank, then write the quiz and what goes with it
    (to output/<bank id>-quiz.pdf by default)."""
    from .bank.loader import load_bank
    from .pdf.build import check_destinations, default_quiz_path, write_pdfs

    bank = load_bank(bank_path)
    if out is None:
        out = default_quiz_path(bank.id, prepare_folder(DEFAULT_FOLDER))
    check_destinations(out, options)
    result = _generate_asked(bank, options.seed, options.kinds, options.templates)
    return write_pdfs(result.meta, result.questions, out, options, warn)


def build_export(bank_path: Path | None, fmt: str, out: Path | str | None = None, *, seed: int = 0,
                 kinds: Iterable[str] | None = None, templates: Iterable[str] | None = None):
    """`quizgen export`: load a bank, generate its questions and export them in one format."""
    from .bank.loader import load_bank
    from .export import check_destination, default_path, export_questions, get_format
    from .generate.generator import generate

    spec = get_format(fmt)
    if out is not None:
        check_destination(spec, out)
    bank = load_bank(bank_path)
    if out is None:
        out = check_writable(default_path(bank.id, fmt))
    result = generate(bank, seed=seed, kinds=kinds, templates=templates)
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
