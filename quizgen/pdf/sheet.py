"""Answer sheets for `quizgen mark`: one page per version, drawn straight on the canvas from sheet_layout.

Everything the marker measures is solid black on white: four corner squares, the QR code (vector squares,
no raster) and the bubble outlines. The letters inside the bubbles are light grey, so the marker does not
count them as ink.
"""
from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from ..classset.answer_key import AnswerKey, KeyVersion
from ..classset.sheet_layout import (
    BUBBLE_R,
    MARK,
    PITCH_X,
    QR_SIZE,
    SheetLayout,
    sheet_layout,
)
from ..errors import QuizgenError
from .fonts import register_fonts
from .styles import GREY, styles
from .versions import Rendered, fit_text, pdf_settings

LETTER_GREY = HexColor("#BBBBBB")
BLACK = HexColor("#000000")


def _qr(canvas: Canvas, layout: SheetLayout, value: str) -> None:
    """The QR symbol as filled squares, one rectangle per horizontal run of dark modules."""
    import segno

    matrix = segno.make(value, error="m", micro=False).matrix
    module = QR_SIZE / len(matrix)
    x0, top = layout.qr
    canvas.setFillColor(BLACK)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                y = layout.height - top - (r + 1) * module
                canvas.rect(x0 + start * module, y, (c - start) * module, module, stroke=0, fill=1)
            else:
                c += 1


def _bubble(canvas: Canvas, height: float, x: float, y: float, label: str, square: bool, font: str) -> None:
    canvas.setStrokeColor(BLACK)
    canvas.setLineWidth(0.8)
    if square:
        canvas.rect(x - BUBBLE_R, height - y - BUBBLE_R, 2 * BUBBLE_R, 2 * BUBBLE_R)
    else:
        canvas.circle(x, height - y, BUBBLE_R)
    canvas.setFillColor(LETTER_GREY)
    canvas.setFont(font, 6.5)
    canvas.drawCentredString(x, height - y - 2.3, label)


def _notes(version: KeyVersion) -> list[str]:
    """How to fill the sheet, and which questions are answered on the quiz paper instead."""
    lines = ["<b>Fill bubbles completely</b> with a dark pen or a soft pencil. To change an answer, "
             "ask for a new sheet: crossed-out bubbles cannot be read.",
             "<b>○</b> one answer per question &nbsp;&nbsp; <b>□</b> every answer that applies",
             "Write your student number in the boxes, one digit per box, and fill the matching bubble "
             "below each digit. Do not write near the black corner squares or the QR code."]
    paper = [str(q.number) for q in version.on_paper]
    if paper:
        which = ", ".join(paper)
        lines.append(f"<b>Question{'s' * (len(paper) > 1)} {which}</b> {'are' if len(paper) > 1 else 'is'} "
                     "not on this sheet: answer on the quiz paper.")
    return lines


def _page(canvas: Canvas, key: AnswerKey, version: KeyVersion, title: str) -> None:
    regular, bold = register_fonts()
    layout = sheet_layout(key.paper, key.student_digits, version)
    w, h = layout.width, layout.height
    canvas.setFillColor(BLACK)
    for x, y in layout.marks:
        canvas.rect(x - MARK / 2, h - y - MARK / 2, MARK, MARK, stroke=0, fill=1)
    _qr(canvas, layout, key.qr_text(version.label))

    qr_left = layout.qr[0]
    canvas.setFont(bold, 17)
    canvas.drawString(48, h - 76, "Answer sheet")
    canvas.setFont(regular, 9.5)
    canvas.setFillColor(HexColor(GREY))
    canvas.drawString(48, h - 92, fit_text(title, regular, 9.5, qr_left - 96 - 12 - 48))
    canvas.setFillColor(BLACK)
    canvas.setLineWidth(1.2)
    canvas.rect(qr_left - 96, h - 100, 80, 40)
    canvas.setFont(regular, 8)
    canvas.drawCentredString(qr_left - 56, h - 72, "Version")
    canvas.setFont(bold, 17)
    canvas.drawCentredString(qr_left - 56, h - 93, version.label)

    canvas.setFont(regular, 10.5)
    canvas.setLineWidth(0.6)
    for label, x, y, end in (("Name", 48, 128, qr_left - 16), ("Class", 48, 152, 230), ("Date", 246, 152,
                                                                                          qr_left - 16)):
        canvas.drawString(x, h - y, label)
        canvas.line(x + canvas.stringWidth(label, regular, 10.5) + 6, h - y - 2, end, h - y - 2)

    canvas.setFont(bold, 10.5)
    canvas.drawString(48, h - 172, "Student number")
    canvas.setLineWidth(0.8)
    for (bx, by), column in zip(layout.digit_boxes, layout.digits):
        canvas.rect(bx + 1, h - by - 17, PITCH_X - 2, 17)
        for bubble in column:
            _bubble(canvas, h, bubble.x, bubble.y, bubble.label, False, regular)

    nx, ny, nw, nh = layout.notes
    top = ny
    for line in _notes(version):
        note = Paragraph(line, styles().small, bulletText="•")
        _, used = note.wrap(nw, nh)
        note.drawOn(canvas, nx, h - top - used)
        top += used + 4

    if layout.rows:
        canvas.setFillColor(BLACK)
        canvas.setFont(bold, 10.5)
        y = h - layout.rows[0].bubbles[0].y + 20
        canvas.drawString(48, y, "Answers")
        canvas.setFillColor(HexColor(GREY))
        canvas.setFont(regular, 9)
        canvas.drawString(48 + canvas.stringWidth("Answers ", bold, 10.5), y,
                          f"all {len(layout.rows)} questions" if len(layout.rows) == len(version.questions)
                          else f"{len(layout.rows)} of the {len(version.questions)} questions")
    for row in layout.rows:
        first = row.bubbles[0]
        canvas.setFillColor(BLACK)
        canvas.setFont(bold, 9.5)
        canvas.drawRightString(first.x - BUBBLE_R - 6, h - first.y - 3.3, f"{row.number}.")
        for bubble in row.bubbles:
            _bubble(canvas, h, bubble.x, bubble.y, bubble.label, row.multiple, regular)

    canvas.setFillColor(HexColor(GREY))
    canvas.setFont(regular, 8.5)
    canvas.drawCentredString(w / 2, h - layout.marks[2][1] - 3,
                             f"Answer sheet · Version {version.label} · marked by quizgen mark · key {key.checksum}")


def render_sheets(key: AnswerKey) -> Rendered:
    """One answer-sheet page per version; byte-identical for the same key (invariant mode)."""
    if not any(version.on_sheet for version in key.versions):
        raise QuizgenError("no question in this quiz has bubbles for an answer sheet (multiple choice, "
                           "multiple select, true/false, which came first, quote); drop --answer-sheet")
    buffer = io.BytesIO()
    with pdf_settings():
        layout = sheet_layout(key.paper, key.student_digits, key.versions[0])
        canvas = Canvas(buffer, pagesize=(layout.width, layout.height), invariant=1,
                        initialFontName=register_fonts()[0])
        canvas.setTitle(f"{key.title}: answer sheets")
        canvas.setAuthor("quizgen")
        canvas.setCreator("quizgen")
        for version in key.versions:
            _page(canvas, key, version, key.title)
            canvas.showPage()
        canvas.save()
    return Rendered(buffer.getvalue(), len(key.versions))
