"""Excel workbook (.xlsx): the CSV's columns with every cell typed as text, for spreadsheet users.

Opened from CSV, spreadsheets guess types: "True" becomes a boolean, "February 2022" a date, and
LibreOffice ignores the byte order mark. Here every cell is a string cell (never a number, boolean,
date or formula), so the text reads back exactly, and no formula guard is needed or added.
The header row is bold, frozen and has filters; long columns are wide and wrap.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Sequence

from ..question import BankMeta, Question
from .common import one_line, stable_zip
from .csv_export import COLUMNS, values

#: column width in characters, and whether long text wraps
LAYOUT = {
    "prompt": (60, True), "answer": (40, True), "kind": (16, False), "choices": (50, True),
    "accepted": (30, True), "explanation": (60, True), "source": (50, True), "id": (18, False),
    "template": (22, False), "group": (22, False), "tags": (40, True),
}
CELL_LIMIT = 32767      # Excel's longest cell text


def skip_reason(question: Question) -> str | None:
    if any(len(text) > CELL_LIMIT for text in values(question).values()):
        return f"a cell would be longer than Excel's {CELL_LIMIT:,} characters"
    return None


def render(questions: Sequence[Question], meta: BankMeta) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Questions"
    wrap, plain = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for column, name in enumerate(COLUMNS, start=1):
        _text_cell(sheet, 1, column, name).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = LAYOUT[name][0]
    for row, question in enumerate(questions, start=2):
        cells = values(question)
        for column, name in enumerate(COLUMNS, start=1):
            _text_cell(sheet, row, column, cells[name]).alignment = wrap if LAYOUT[name][1] else plain
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return _restamped(buffer.getvalue(), book, meta)


def _text_cell(sheet, row: int, column: int, text: str):
    """A string cell (empty text: a blank cell); openpyxl would make "=..." a formula, so the type is set after."""
    cell = sheet.cell(row=row, column=column)
    if text:
        cell.value = text
        cell.data_type = "s"
    return cell


def _core_properties(book, meta: BankMeta) -> bytes:
    """docProps/core.xml from the bank, dated by its as-of date (openpyxl dates it by the clock)."""
    from openpyxl.xml.functions import tostring

    parts = (meta.as_of.split("-") + ["1", "1"])[:3]
    try:
        when = datetime(*(int(part) for part in parts))
    except ValueError:
        when = datetime(2000, 1, 1)
    props = book.properties
    props.creator = props.lastModifiedBy = "quizgen"
    props.title = one_line(meta.title)
    props.created = props.modified = when
    return tostring(props.to_tree())


def _restamped(data: bytes, book, meta: BankMeta) -> bytes:
    """The workbook re-zipped with fixed entry dates and properties, so the same input gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["docProps/core.xml"] = _core_properties(book, meta)
    return stable_zip(files)
