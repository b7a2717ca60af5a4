"""Page sizes, margins and paragraph styles, built once per process and shared by every document."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..errors import QuizgenError

PAPERS = ("a4", "letter")
MARGIN = 48.0           # points; 17 mm, inside every printer's unprintable border
NUMBER_WIDTH = 26.0     # the column holding the question number
INK = "#000000"
GREY = "#555555"
RULE = "#888888"


def page_size(paper: str, landscape: bool = False) -> tuple[float, float]:
    from reportlab.lib import pagesizes

    sizes = {"a4": pagesizes.A4, "letter": pagesizes.LETTER}
    if paper not in sizes:
        raise QuizgenError(f"unknown paper size {paper!r}; choose from: {', '.join(PAPERS)}")
    return pagesizes.landscape(sizes[paper]) if landscape else sizes[paper]


def text(value: str) -> str:
    """Plain text from the model, made safe for a reportlab Paragraph (&, < and > print as themselves); what
    xml.sax.saxutils.escape does, without the urllib and email modules that importing it loads."""
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


@dataclass(frozen=True)
class Styles:
    title: object
    subtitle: object
    body: object
    small: object
    prompt: object
    cloze: object
    note: object
    heading: object
    cell: object
    cell_bold: object


@cache
def styles() -> Styles:
    """The paragraph styles (DejaVu Sans, so any language prints); made once, they are read-only after."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    from .fonts import register_fonts

    regular, bold = register_fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=10.5, leading=14, bulletFontName=bold,
                          bulletFontSize=10.5, textColor=HexColor(INK), splitLongWords=1)
    grey = HexColor(GREY)
    return Styles(
        title=ParagraphStyle("title", base, fontName=bold, fontSize=17, leading=21),
        subtitle=ParagraphStyle("subtitle", base, fontSize=9.5, leading=12, textColor=grey),
        body=base,
        small=ParagraphStyle("small", base, fontSize=9, leading=11.5, bulletFontName=regular, bulletFontSize=9,
                             leftIndent=9),
        prompt=ParagraphStyle("prompt", base, fontName=bold),
        cloze=ParagraphStyle("cloze", base, fontName=bold, leading=24),
        note=ParagraphStyle("note", base, fontSize=9, leading=11.5, textColor=grey),
        heading=ParagraphStyle("heading", base, fontName=bold, fontSize=13, leading=17, spaceBefore=4,
                               spaceAfter=6),
        cell=ParagraphStyle("cell", base, fontSize=9, leading=11),
        cell_bold=ParagraphStyle("cell_bold", base, fontName=bold, fontSize=9, leading=11),
    )
