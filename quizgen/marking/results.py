"""The results CSV: one row per scanned page.

Columns: file, page, student, version, score, max_score, status (ok, check or unreadable), problems (what
a person must look at, separated by " | "), then q<N> for every question number on any sheet: the letters
read ("B", "AC" for several boxes), empty for a blank, "?" for unclear, "-" when that number is not on the
sheet's version (answered on the quiz paper). Every cell goes through the export's formula guard: the
student and version come from a QR code a student could print, and file names from whoever scanned.
"""
from __future__ import annotations

import csv
import io
from typing import Sequence

from ..export.cells import formula_safe
from .score import SheetResult

HEAD = ["file", "page", "student", "version", "score", "max_score", "status", "problems"]


def results_csv(results: Sequence[SheetResult]) -> bytes:
    numbers = sorted({n for r in results for n in r.answers})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEAD + [f"q{n}" for n in numbers])
    for r in results:
        score = "" if r.score is None else r.score
        max_score = "" if r.max_score is None else r.max_score
        cells = [r.file, r.page, r.student, r.version, score, max_score, r.status, " | ".join(r.problems)]
        cells += [r.answers.get(n, "-" if r.readable else "") for n in numbers]
        writer.writerow([_guarded(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8")


def _guarded(cell) -> str:
    """The cell as text; "-" (a number not on this version) stays as it is: it starts no formula."""
    text = str(cell)
    return text if text == "-" else formula_safe(text)
