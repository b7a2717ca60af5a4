"""Writing the quiz, the answer key and the timeline handout: what `quizgen pdf` and `quizgen build` call."""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from ..classset.answer_key import AnswerKey
from ..classset.selection import ClassSet, QuizVersion
from ..output import (
    DEFAULT_FOLDER,
    check_writable,
    safe_filename,
    write_all,
)
from ..question import BankMeta, Question
from .background import in_background, worth_a_process
from .options import PdfOptions, choose
from .styles import MARGIN, page_size

if TYPE_CHECKING:
    from .versions import Rendered


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
    from .versions import Footer, class_set_pdf

    layout = QuizLayout(_frame_width(paper))
    parts = [(v.label, version_flowables(v, meta, title, layout)) for v in versions]
    return class_set_pdf(parts, page_size(paper), Footer(title, "Version"), title, meta.description)


def render_key(versions: Sequence[QuizVersion], meta: BankMeta, title: str, paper: str = "a4") -> Rendered:
    from .key import KeyLayout
    from .versions import Footer, class_set_pdf

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


def prepare(options: PdfOptions) -> None:
    """Import what rendering with these options needs and register the fonts: what a process can do before it
    has the versions (while another process chooses them)."""
    from importlib import import_module

    from .styles import styles

    needed = ["coverage", "quiz", "versions"] + ["key"] * options.key + ["sheet"] * options.answer_sheet
    for name in needed + ["timeline"] * options.timeline:
        import_module(f".{name}", __package__)
    styles()
    # the collector's first full pass over reportlab's modules and the fonts came in the first layout (~15 ms)
    from ..gcpause import settled

    settled()


def render_pdfs(meta: BankMeta, pool: Sequence[Question], quiz_path: Path, options: PdfOptions,
                warn: Callable[[str], None] = lambda _: None, create_folder: bool = False
                ) -> list[tuple[Path, str, Rendered]]:
    """Choose the questions, make the versions, and render the quiz (and key, and timeline) in memory;
    `warn` hears about text the font cannot draw, a timeline too crowded for its one-page drawing, and why a file
    asked for is not made (a bank with nothing to draw on a timeline)."""
    paths = check_destinations(quiz_path, options, create_folder)
    return render_class_set(meta, choose(pool, options), paths, options, warn)


def render_class_set(meta: BankMeta, class_set: ClassSet, paths: dict[str, Path], options: PdfOptions,
                     warn: Callable[[str], None] = lambda _: None) -> list[tuple[Path, str, Rendered]]:
    """render_pdfs once the versions are chosen (elsewhere, perhaps: `quizgen pdf` chooses them in the process
    that generated the pool) and the destinations checked."""
    from .coverage import missing_glyphs
    from .quiz import check_title
    from .versions import Rendered

    versions, count = class_set.versions, class_set.count
    title = options.title or meta.title or meta.id
    check_title(title, _frame_width(options.paper), "--title" if options.title else "the bank's title")
    what = f"{len(versions)} version{'s' * (len(versions) != 1)} of {count} questions"
    # the key is laid out in a second process, when big enough, while this one lays out the quiz
    key_pdf = (in_background(render_key, versions, meta, title, options.paper,
                             big=worth_a_process(len(versions) * count)) if options.key else None)
    with key_pdf or nullcontext():
        printed = [q for v in versions for q in v.questions]
        drawn = meta if options.timeline else replace(meta, timeline=(), restrictions=())
        problem = missing_glyphs(drawn, printed, title)
        if problem:
            warn(problem)
        rendered = [(paths["quiz"], f"quiz, {what}", render_quiz(versions, meta, title, options.paper))]
        key = AnswerKey.from_versions(versions, meta, title, options.seed, options.paper, options.student_digits)
        if options.answer_sheet:
            from .sheet import render_sheets

            rendered.append((paths["sheets"], "answer sheets, one per version", render_sheets(key)))
        if key_pdf is not None:
            rendered.append((paths["key"], "answer key", key_pdf.result()))
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


def write_rendered(rendered: list[tuple[Path, str, Rendered]]) -> list[Written]:
    """Every file or none (see quizgen.output.write_all)."""
    sizes = write_all([(path, r.data) for path, _, r in rendered])
    return [Written(path, what, r.pages, size) for (path, what, r), size in zip(rendered, sizes)]


def write_pdfs(meta: BankMeta, pool: Sequence[Question], quiz_path: Path, options: PdfOptions,
               warn: Callable[[str], None] = lambda _: None) -> list[Written]:
    """Render everything first, then write: a failure leaves no file half-made."""
    return write_rendered(render_pdfs(meta, pool, quiz_path, options, warn))
