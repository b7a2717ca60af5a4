"""The one formula guard for every spreadsheet cell quizgen writes (CSV/TSV exports, `mark`'s results).

Banks are shared and QR codes on answer sheets are printed by students, so any text may reach a
spreadsheet. A cell that Excel, LibreOffice or Google Sheets could evaluate (OWASP "CSV injection")
gets a leading apostrophe, which those programs show as nothing and read as "this is text".
"""
from __future__ import annotations

import re

#: first characters that make a spreadsheet read a cell as a formula (tab and CR: Excel strips them first)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def formula_safe(cell: str) -> str:
    """`cell` as text a spreadsheet will not evaluate: only a plain number may start with - or +."""
    if cell[:1] not in FORMULA_STARTS or _PLAIN_NUMBER.fullmatch(cell):
        return cell
    return "'" + cell
