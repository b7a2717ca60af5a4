"""Writing the quiz, the answer key and the timeline handout: what `quizgen pdf` and `quizgen build` call."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from ..classset.answer_key import AnswerKey
from ..classset.selection import QuizVersion, filter_pool, make_versions
from ..output import (
    DEFAULT_FOLDER,
    check_writable,
    safe_filename,
    write_all,
)
from ..question import BankMeta, Kind, Question, parse_kinds, split_names
from .styles import MARGIN, page_size
from .versions import Footer, Rendered, class_set_pdf

DEFAULT_QUESTIONS = 20


@dataclass(frozen=True)
class PdfOptions:
    """What to print. `questions=None` means DEFAULT_QUESTIONS, or the whole pool when it is smaller."""

    questions: int | None = None
    kinds: tuple[Kind | str, ...] | None = None
    templates: tuple[str, ...] | None = None
    versions: int = 1
    seed: int = 0
    paper: str = "a4"
    title: str | None = None
    key: bool = True
    timeline: bool = False
    different_questions: bool = False
    answer_sheet: bool = False
    student_digits: int = 6

    def __post_init__(self):
        # kinds and templates may come straight from the command line: "multiple_choice,true_false"
        object.__setattr__(self, "kinds", parse_kinds(self.kinds) or None)
        object.__setattr__(self, "templates", split_names(self.templates) or None)


@dataclass(frozen=True)
class Written:
    path: Path
    what: str
    pages: int
    size: int

    def __str__(self) -> str:
        pages = f"{self.pages} page{'s' * (self.pages != 1)}, " if self.pages else ""
        return f"wrote {self.path} ({self.what}, {pages}{self.size:,} bytes)"


def output_paths(quiz_path: Path) -> dict[str, Path]:
    """Everything sits beside the quiz: x-quiz.pdf -> x-answer-key.pdf, x-answer-key.json (for `quizgen
    mark`), x-answer-sheets.pdf and x-timeline.pdf."""
    quiz_path = Path(quiz_path)
    stem = quiz_path.stem.removesuffix("-quiz")
    return {"quiz": quiz_path, "sheets": quiz_path.with_name(f"{stem}-answer-sheets.pdf"),
            "key": quiz_path.with_name(f"{stem}-answer-key.pdf"),
            "key_json": quiz_path.with_name(f"{stem}-answer-key.json"),
            "timeline": quiz_path.with_name(f"{stem}-timeline.pdf")}


def wanted_outputs(options: PdfOptions) -> list[str]:
    """The files these options write; the JSON key goes with the key PDF and with the answer sheets."""
    return (["quiz"] + ["sheets"] * options.answer_sheet + ["key"] * options.key
            + ["key_json"] * (options.key or options.answer_sheet) + ["timeline"] * options.timeline)


def default_quiz_path(bank_id: str, folder: Path = DEFAULT_FOLDER) -> Path:
    return Path(folder) / f"{safe_filename(bank_id, 'bank')}-quiz.pdf"


def _frame_width(paper: str) -> float:
    return page_size(paper)[0] - 2 * MARGIN


def render_quiz(versions: Sequence[QuizVersion], meta: BankMeta, title: str, paper: str = "a4") -> Rendered:
    from .quiz import QuizLayout, version_flowables

    layout = QuizLayout(_frame_width(paper))
    parts = [(v.label, version_flowables(v, meta, title, layout)) for v in versions]
    return class_set_pdf(parts, page_size(paper), Footer(title, "Version"), title, meta.description)


def render_key(versions: Sequence[QuizVersion], meta: BankMeta, title: str, paper: str = "a4") -> Rendered:
    from .key import KeyLayout

    layout = KeyLayout(_frame_width(paper))
    parts = [(v.label, layout.version(v, meta, title)) for v in versions]
    return class_set_pdf(parts, page_size(paper), Footer(f"{title} · answer key", "Answer key · Version"),
                         f"{title}: answer key", meta.description)


def check_destinations(quiz_path: Path, options: PdfOptions, create_folder: bool = False) -> dict[str, Path]:
    """Fail before any heavy work if a file to write cannot be written, or the paper is unknown."""
    page_size(options.paper)
    paths = output_paths(quiz_path)
    for name in wanted_outputs(options):
        check_writable(paths[name], create_folder)
    return paths


def render_pdfs(meta: BankMeta, pool: Sequence[Question], quiz_path: Path, options: PdfOptions,
                warn: Callable[[str], None] = lambda _: None, create_folder: bool = False
                ) -> list[tuple[Path, str, Rendered]]:
    """Choose the questions, make the versions, and render the quiz (and key, and timeline) in memory;
    `warn` hears about text the font cannot draw, a timeline too crowded for its one-page drawing, and why a file
    asked for is not made (a bank with nothing to draw on a timeline)."""
    from .coverage import missing_glyphs
    from .quiz import check_title

    paths = check_destinations(quiz_path, options, create_folder)
    available = len(filter_pool(pool, options.kinds, options.templates))
    count = options.questions if options.questions is not None else min(DEFAULT_QUESTIONS, available)
    versions = make_versions(pool, count, options.versions, options.seed, options.kinds, options.templates,
                             options.different_questions)
    title = options.title or meta.title or meta.id
    check_title(title, _frame_width(options.paper), "--title" if options.title else "the bank's title")
    what = f"{len(versions)} version{'s' * (len(versions) != 1)} of {count} questions"
    key_pdf = None
    if options.key:  # laid out in a second process, when big enough, while this one lays out the quiz
        key_pdf = _in_background(render_key, versions, meta, title, options.paper,
                                 big=len(versions) * count >= PARALLEL_FROM)
    printed = [q for v in versions for q in v.questions]
    problem = missing_glyphs(meta if options.timeline else replace(meta, timeline=(), restrictions=()), printed, title)
    if problem:
        warn(problem)
    rendered = [(paths["quiz"], f"quiz, {what}", render_quiz(versions, meta, title, options.paper))]
    key = AnswerKey.from_versions(versions, meta, title, options.seed, options.paper, options.student_digits)
    if options.answer_sheet:
        from .sheet import render_sheets

        rendered.append((paths["sheets"], "answer sheets, one per version", render_sheets(key)))
    if key_pdf is not None:
        rendered.append((paths["key"], "answer key", key_pdf()))
    if options.key or options.answer_sheet:
        rendered.append((paths["key_json"], f"answer key for quizgen mark, checksum {key.checksum}",
                         Rendered(key.to_json(), 0)))
    if options.timeline:
        from .timeline import nothing_to_draw, timeline_pdf

        if nothing_to_draw(meta):
            warn(nothing_to_draw(meta))
            return rendered
        rendered.append((paths["timeline"], "timeline handout", timeline_pdf(meta, options.paper, warn)))
    return rendered


#: questions (versions x questions per version) from which the key is laid out in a second process
PARALLEL_FROM = 200


def _in_background(function, *args, big: bool) -> Callable[[], Rendered]:
    """Run `function(*args)` in a forked process while this one works on, when the job is big enough to
    pay for the fork and there is a second core; the result is the same bytes either way."""
    import multiprocessing
    import os

    if not big or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        result = function(*args)
        return lambda: result
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    future = pool.submit(function, *args)

    def collect() -> Rendered:
        try:
            return future.result()
        finally:
            pool.shutdown()

    return collect


def _die_with_parent(parent: int) -> None:
    """In the forked worker: end as soon as the process that forked it is gone, even by kill -9, instead of
    waiting forever on a pipe nobody will write to. Linux kills it (PR_SET_PDEATHSIG); elsewhere a thread
    watches the parent id."""
    import ctypes
    import os
    import signal
    import threading
    import time

    try:
        if ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL) != 0:    # 1: PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl failed")
    except (OSError, AttributeError):
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:      # it died before the signal was asked for
        os._exit(1)


def write_rendered(rendered: list[tuple[Path, str, Rendered]]) -> list[Written]:
    """Every file or none (see quizgen.output.write_all)."""
    sizes = write_all([(path, r.data) for path, _, r in rendered])
    return [Written(path, what, r.pages, size) for (path, what, r), size in zip(rendered, sizes)]


def write_pdfs(meta: BankMeta, pool: Sequence[Question], quiz_path: Path, options: PdfOptions,
               warn: Callable[[str], None] = lambda _: None) -> list[Written]:
    """Render everything first, then write: a failure leaves no file half-made."""
    return write_rendered(render_pdfs(meta, pool, quiz_path, options, warn))
