"""The shipped DejaVu Sans fonts, registered with reportlab once per process.

DejaVu covers Latin with accents, Greek and Cyrillic, so names like EL PAÍS and Зеленський print as
written; reportlab's built-in Helvetica would print black boxes for them.
"""
from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


def font_path(file_name: str) -> Path:
    return Path(str(resources.files("quizgen.pdf"))) / "ttf" / file_name


@cache
def register_fonts() -> tuple[str, str]:
    """Register regular and bold (also as the family, so <b> in a Paragraph works); returns their names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file_name in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_path(file_name))))
    # No italic face is shipped: italic requests fall back to the upright faces.
    for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, face)
    return REGULAR, BOLD
