"""Small flowables that make a class set fast: a question drawn as one unsplittable block, and paragraphs
laid out once and shared by every version that prints the same text.

Versions of a quiz hold the same prompts and options in other orders, so the number and letters are
drawn as plain labels and the text paragraphs are parsed and wrapped once, not once per version.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from .styles import INK

_INK = HexColor(INK)

class Label(Flowable):
    """One short line (a question number, an option letter) drawn without Paragraph parsing.

    Its baseline matches the first line of a Paragraph of the same font size placed at the same top.
    """

    def __init__(self, value: str, font: str, size: float, leading: float):
        super().__init__()
        self.value, self.font, self.size, self.leading = value, font, size, leading

    def wrap(self, available_width, available_height):
        return stringWidth(self.value, self.font, self.size), self.leading

    def drawOn(self, canvas, x, y, _sW=0):
        canvas.setFont(self.font, self.size)
        canvas.setFillColor(_INK)
        canvas.drawString(x, y + self.leading - self.size, self.value)


class WriteBox(Flowable):
    """An empty square for the student to write a number or letter in."""

    def __init__(self, size: float = 17):
        super().__init__()
        self.size = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        self.canv.setStrokeColor(_INK)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size)


class Once(Flowable):
    """A flowable wrapped once per width, and drawn once per document as a PDF form that every later use
    (in this version or another) only references: a class set draws each shared text once.
    """

    def __init__(self, inner: Flowable, form: str):
        super().__init__()
        self.inner, self.form = inner, form
        self._width: float | None = None
        self._size = (0.0, 0.0)

    def wrap(self, available_width, available_height):
        if self._width != available_width:
            self._size = self.inner.wrap(available_width, available_height)
            self._width = available_width
        return self._size

    def drawOn(self, canvas, x, y, _sW=0):
        if not canvas.hasForm(self.form):
            width, height = self._size
            canvas.beginForm(self.form, -4, -6, width + 4, height + 6)
            self.inner.drawOn(canvas, 0, 0)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm(self.form)
        canvas.restoreState()


class Paragraphs:
    """Paragraphs by (markup, style): the same text in the same style is built, wrapped and drawn once.

    Form names are numbered in creation order, so the same input gives the same bytes.
    """

    def __init__(self, prefix: str = "p"):
        self.prefix = prefix
        self._made: dict[tuple[str, str], Once] = {}

    def __call__(self, markup: str, style) -> Once:
        key = (markup, style.name)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = Once(Paragraph(markup, style), f"{self.prefix}{len(self._made)}")
        return made


@dataclass(frozen=True)
class Cell:
    x: float                    # from the block's left edge
    flowable: Flowable
    width: float = 0            # 0: up to the block's right edge
    dy: float = 0               # pushed down from the row's top


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    space: float = 0            # below the row


class Block(Flowable):
    """Rows of cells drawn as one piece, like KeepTogether: if it does not fit, it moves to the next page."""

    def __init__(self, rows: list[Row]):
        super().__init__()
        self.rows = rows
        self._layout: tuple[float, list[list[float]], list[float]] | None = None

    def wrap(self, available_width, available_height):
        if self._layout is None or self._layout[0] != available_width:
            cell_heights, row_heights = [], []
            for row in self.rows:
                heights = [cell.flowable.wrap(cell.width or available_width - cell.x, available_height)[1]
                           for cell in row.cells]
                cell_heights.append(heights)
                row_heights.append(max((h + c.dy for h, c in zip(heights, row.cells)), default=0) + row.space)
            self._layout = (available_width, cell_heights, row_heights)
        self.width = available_width
        self.height = sum(self._layout[2])
        return self.width, self.height

    def split(self, available_width, available_height):
        return []

    def draw(self):
        _, cell_heights, row_heights = self._layout
        top = self.height
        for row, heights, row_height in zip(self.rows, cell_heights, row_heights):
            for cell, height in zip(row.cells, heights):
                cell.flowable.drawOn(self.canv, cell.x, top - cell.dy - height)
            top -= row_height
