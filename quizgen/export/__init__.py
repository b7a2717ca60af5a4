"""LMS exports: the same neutral questions as Moodle XML, GIFT, Canvas QTI, CSV/TSV, xlsx or JSON.

Each format is a small module with `render(questions, meta) -> bytes` and
`skip_reason(question) -> str | None`; this package picks the module, drops what the format cannot
express (and says so), and writes the file atomically.
"""
from __future__ import annotations

import importlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import QuizgenError
from ..output import (
    DEFAULT_FOLDER,
    check_writable,
    prepare_folder,
    safe_filename,
    write_bytes,
)
from ..question import BankMeta, Question


@dataclass(frozen=True)
class Format:
    name: str           # the --format value
    label: str          # what users call it
    extension: str      # default file name suffix
    module: str         # renderer module inside quizgen.export
    function: str = "render"    # its `function(questions, meta) -> bytes`
    binary: bool = False


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("moodle", "Moodle XML", ".moodle.xml", "moodle"),
    Format("gift", "GIFT", ".gift.txt", "gift"),
    Format("qti", "Canvas QTI", ".qti.zip", "qti", binary=True),
    Format("csv", "CSV", ".csv", "csv_export", "render_csv"),
    Format("tsv", "TSV", ".tsv", "csv_export", "render_tsv"),
    Format("xlsx", "Excel workbook", ".xlsx", "xlsx_export", binary=True),
    Format("json", "JSON", ".json", "json_export"),
)}



@dataclass
class ExportSummary:
    """What an export wrote and what it left out, with the reason for each left-out group."""

    format: str
    path: Path | None                     # None when written to stdout
    size: int
    written: int
    skipped: Counter = field(default_factory=Counter)   # (Kind, reason) -> count

    @property
    def to_stdout(self) -> bool:
        return self.path is None

    def lines(self) -> list[str]:
        out = []
        for (kind, reason), count in sorted(self.skipped.items(), key=lambda item: (item[0][0].value, item[0][1])):
            out.append(f"skipped {count} {kind.label} question{'' if count == 1 else 's'}: {reason}")
        where = "stdout" if self.path is None else str(self.path)
        out.append(f"wrote {self.written} question{'' if self.written == 1 else 's'} as "
                   f"{FORMATS[self.format].label} to {where} ({self.size:,} bytes)")
        return out


def get_format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise QuizgenError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


def _renderer(fmt: Format):
    return importlib.import_module(f"{__name__}.{fmt.module}")


def render(questions: Sequence[Question], meta: BankMeta, fmt: str) -> tuple[bytes, list[Question], Counter]:
    """The file's bytes, the questions in it, and a count of those left out by (kind, reason)."""
    spec = get_format(fmt)
    module = _renderer(spec)
    kept, skipped = [], Counter()
    for question in questions:
        reason = module.skip_reason(question)
        if reason:
            skipped[(question.kind, reason)] += 1
        else:
            kept.append(question)
    if not kept:
        why = "; ".join(sorted({reason for _, reason in skipped})) or "no questions were generated"
        raise QuizgenError(f"nothing to export as {spec.label}: {why}")
    data = getattr(module, spec.function)(kept, meta)
    return data, kept, skipped


def export_questions(questions: Sequence[Question], meta: BankMeta, fmt: str, path: Path | str) -> ExportSummary:
    """Render `questions` in format `fmt` and write them to `path` (atomically), or to stdout for "-"."""
    spec = get_format(fmt)
    to_stdout = check_destination(spec, path)
    data, kept, skipped = render(questions, meta, fmt)
    if to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return ExportSummary(spec.name, None, len(data), len(kept), skipped)
    write_bytes(path, data)
    return ExportSummary(spec.name, Path(path), len(data), len(kept), skipped)


def check_destination(spec: Format, path: Path | str) -> bool:
    """Fail before any work if `path` cannot take the file; True when it means stdout."""
    if str(path) != "-":
        check_writable(Path(path))
        return False
    if spec.binary:
        raise QuizgenError(f"{spec.label} is a zip file and cannot go to stdout; give a file name with -o")
    return True


def default_path(bank_id: str, fmt: str, folder: Path = DEFAULT_FOLDER) -> Path:
    return prepare_folder(folder) / (safe_filename(bank_id, "bank") + get_format(fmt).extension)
