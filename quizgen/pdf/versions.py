"""A class set in one PDF: every version starts on a fresh page and numbers its own pages.

The footer says "Version B · page 2 of 3": the totals are only known at the end, so the canvas keeps
each page until `save` and draws the footers then (one pass, no second layout).
"""
from __future__ import annotations

import io
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate
from reportlab.platypus.doctemplate import LayoutError

from ..errors import QuizgenError
from .fonts import register_fonts
from .styles import GREY, MARGIN, RULE


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int


@dataclass(frozen=True)
class Footer:
    left: str           # the quiz title, on every page
    label: str          # "Version" or "Answer key · Version"


class VersionMark(Flowable):
    """Draws nothing; tells the canvas that this page and the next ones belong to version `label`."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.version_label = self.label


class _ClassSetCanvas(Canvas):
    def __init__(self, *args, footer: Footer, **kwargs):
        super().__init__(*args, **kwargs)
        self.version_label = ""
        self._footer = footer
        self._held: list[dict] = []

    def showPage(self):
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        totals = Counter(state["version_label"] for state in self._held)
        seen: Counter = Counter()
        for state in self._held:
            self.__dict__.update(state)
            seen[self.version_label] += 1
            self._draw_footer(seen[self.version_label], totals[self.version_label])
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_footer(self, page: int, pages: int) -> None:
        regular, bold = register_fonts()
        width, _ = self._pagesize
        y = MARGIN * 0.55
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, y + 11, width - MARGIN, y + 11)
        self.setFillColor(GREY)
        self.setFont(regular, 8.5)
        right = f"{self._footer.label} {self.version_label} · page {page} of {pages}"
        room = width - 2 * MARGIN - self.stringWidth(right, bold, 8.5) - 24
        self.drawString(MARGIN, y, fit_text(self._footer.left, regular, 8.5, room))
        self.setFont(bold, 8.5)
        self.drawRightString(width - MARGIN, y, right)
        self.restoreState()


def fit_text(value: str, font: str, size: float, room: float) -> str:
    """`value`, cut short with an ellipsis if it is wider than `room` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(value, font, size) <= room:
        return value
    while value and stringWidth(value + "…", font, size) > room:
        value = value[:-1]
    return value.rstrip() + "…"


@contextmanager
def pdf_settings():
    """reportlab's global switches for our builds, put back after.

    Streams are compressed without the ASCII85 layer (smaller files, a fifth faster to write), and the
    base font is DejaVu Sans, so no page refers to Helvetica (which has no Cyrillic).
    """
    from reportlab import rl_config

    names = ("useA85", "canvas_basefontname", "defaultGraphicsFontName")
    before = [getattr(rl_config, name) for name in names]
    regular = register_fonts()[0]
    for name, value in zip(names, (0, regular, regular)):
        setattr(rl_config, name, value)
    try:
        yield
    finally:
        for name, value in zip(names, before):
            setattr(rl_config, name, value)


def class_set_pdf(parts: list[tuple[str, list]], pagesize: tuple[float, float], footer: Footer,
                  title: str, subject: str) -> Rendered:
    """One PDF from (version label, flowables) parts; byte-identical for identical input (invariant mode)."""
    story: list = []
    for index, (label, flowables) in enumerate(parts):
        if index:
            story.append(PageBreak())
        story.append(VersionMark(label))
        story.extend(flowables)
    buffer = io.BytesIO()
    with pdf_settings():
        doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=MARGIN, bottomMargin=MARGIN + 8, title=title, subject=subject,
                                author="quizgen", creator="quizgen", invariant=1,
                                initialFontName=register_fonts()[0])
        try:
            doc.build(story, canvasmaker=partial(_ClassSetCanvas, footer=footer))
        except LayoutError as exc:
            raise QuizgenError(f"{title}: a question is too long to fit on one page; shorten its text "
                               "(a question is never split across pages)") from exc
    return Rendered(buffer.getvalue(), doc.page)
