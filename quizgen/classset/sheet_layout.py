"""Where everything sits on an answer sheet, in points from the page's top-left corner (y downwards).

The printer (quizgen/pdf/sheet.py) draws from this layout and the marker (quizgen/marking) reads from it,
so both agree by construction. It depends only on the paper, the number of student-number digits and,
per bubble row, the question number and its letters: all of it stored in the JSON answer key.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import QuizgenError
from .answer_key import KeyVersion

PAPER_POINTS = {"a4": (595.2756, 841.8898), "letter": (612.0, 792.0)}

MARK = 20.0             # side of a solid registration square
MARK_INSET = 28.0       # page edge to the square's outer edge
QR_SIZE = 80.0          # the QR symbol without its quiet zone
BUBBLE_R = 6.0          # bubble radius (a 4.2 mm circle)
PITCH_X = 19.0          # bubble centre to centre in a row
PITCH_Y = 18.0          # row to row
NUMBER_W = 26.0         # question number before the bubbles
DIGIT_PITCH_Y = 15.5    # student-number bubbles, 0 to 9 down each column
SIDE = 48.0             # left and right edge of the printed content
GRID_TOP = 400.0        # first row of the answer grid
BOTTOM = 70.0           # the grid stays this far above the page's bottom edge
MAX_COLUMNS = 4


@dataclass(frozen=True)
class Bubble:
    x: float            # centre
    y: float
    label: str


@dataclass(frozen=True)
class SheetRow:
    number: int
    multiple: bool      # multiple select: square boxes, any number may be filled
    bubbles: tuple[Bubble, ...]


@dataclass(frozen=True)
class SheetLayout:
    width: float
    height: float
    marks: tuple[tuple[float, float], ...]      # centres: top-left, top-right, bottom-right, bottom-left
    qr: tuple[float, float]                     # top-left corner of the QR symbol (QR_SIZE square)
    digit_boxes: tuple[tuple[float, float], ...]  # top-left corners of the write-in boxes (PITCH_X wide)
    digits: tuple[tuple[Bubble, ...], ...]      # per student-number column, bubbles 0..9
    rows: tuple[SheetRow, ...]
    notes: tuple[float, float, float, float]    # x, y, width, height free for instructions


def _columns(count: int, rows_fit: int, column_width: float, room: float) -> int:
    """How many grid columns: few rows stay in one column, more spread over two or more."""
    fit = max(1, min(MAX_COLUMNS, int((room + 24) // (column_width + 24))))
    wanted = max(-(-count // rows_fit), 1 if count <= 12 else 2)
    if wanted > fit:
        raise QuizgenError(f"an answer sheet holds at most {fit * rows_fit} bubble questions of this width; "
                           f"this version has {count} (use fewer --questions, or split the quiz)")
    return wanted


def sheet_layout(paper: str, student_digits: int, version: KeyVersion) -> SheetLayout:
    if paper not in PAPER_POINTS:
        raise QuizgenError(f"unknown paper size {paper!r}; choose from: {', '.join(PAPER_POINTS)}")
    if not 1 <= student_digits <= 12:
        raise QuizgenError(f"student numbers need 1 to 12 digits, not {student_digits}")
    width, height = PAPER_POINTS[paper]
    c = MARK_INSET + MARK / 2
    marks = ((c, c), (width - c, c), (width - c, height - c), (c, height - c))
    qr = (width - SIDE - QR_SIZE - 8, 60.0)

    boxes, digits = [], []
    for i in range(student_digits):
        x = SIDE + i * PITCH_X
        boxes.append((x, 178.0))
        digits.append(tuple(Bubble(x + PITCH_X / 2, 210.0 + d * DIGIT_PITCH_Y, str(d)) for d in range(10)))
    notes_x = SIDE + student_digits * PITCH_X + 24

    questions = version.on_sheet
    rows: list[SheetRow] = []
    if questions:
        most = max(len(q.letters) for q in questions)
        column_width = NUMBER_W + most * PITCH_X
        room = width - 2 * SIDE
        rows_fit = int((height - BOTTOM - GRID_TOP) // PITCH_Y) + 1
        columns = _columns(len(questions), rows_fit, column_width, room)
        per_column = -(-len(questions) // columns)
        stride = min(column_width + 48, (room - column_width) / max(columns - 1, 1))
        for i, q in enumerate(questions):
            col, line = divmod(i, per_column)
            x0, y = SIDE + col * stride + NUMBER_W, GRID_TOP + line * PITCH_Y
            rows.append(SheetRow(q.number, q.multiple,
                                 tuple(Bubble(x0 + PITCH_X * (j + 0.5), y, label)
                                       for j, label in enumerate(q.letters))))
    return SheetLayout(width, height, marks, qr, tuple(boxes), tuple(digits), tuple(rows),
                       (notes_x, 160.0, width - SIDE - notes_x, GRID_TOP - 30 - 160.0))
