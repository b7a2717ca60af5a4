"""`quizgen mark`: score scanned answer sheets against the JSON answer key written by `quizgen pdf`.

Needs the `mark` extra (OpenCV, zxing-cpp, pypdfium2), imported only when marking runs.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..classset.answer_key import AnswerKey, load_key, parse_qr
from ..errors import QuizgenError
from ..output import DEFAULT_FOLDER, check_writable, write_bytes
from .score import SheetResult

MISSING = "quizgen mark needs: pip install 'quizgen[mark]'"
KEY_PATTERN = "*-answer-key.json"


def require_libraries(pdf: bool) -> None:
    """One clear line, not a traceback, when the optional libraries are not installed."""
    import os

    from .scans import MAX_PIXELS

    os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PIXELS))   # OpenCV's own cap, for other formats
    os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")    # a broken scan gets one line from quizgen, not OpenCV's
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
        import zxingcpp  # noqa: F401
        if pdf:
            import pypdfium2  # noqa: F401
    except ImportError:
        raise QuizgenError(MISSING) from None


def find_keys(scans: Sequence[Path], keys: Sequence[Path]) -> dict[str, AnswerKey]:
    """The keys by checksum: those given, else every *-answer-key.json beside the scans and in output/."""
    from ..classset.sheet_layout import sheet_layout

    paths = list(keys)
    if not paths:
        folders = dict.fromkeys([Path(s).parent for s in scans] + [DEFAULT_FOLDER])
        paths = sorted({p for folder in folders if folder.is_dir() for p in folder.glob(KEY_PATTERN)})
        if not paths:
            raise QuizgenError("no answer key found beside the scans or in output/; "
                               "pass --key <stem>-answer-key.json (written by `quizgen pdf`)")
    loaded = {}
    for path in paths:
        key = load_key(path)
        for version in key.versions:     # a forged key (the checksum is no signature) must fit a real sheet
            try:
                layout = sheet_layout(key.paper, key.student_digits, version)
                if any(not (0 < b.x < layout.width and 0 < b.y < layout.height) for row in layout.rows
                       for b in row.bubbles):
                    raise QuizgenError("its bubbles do not fit on the page")
            except QuizgenError as exc:
                raise QuizgenError(f"answer key describes no sheet quizgen prints: version {version.label}: {exc}",
                                   path) from None
        loaded[key.checksum] = key
    return loaded


def mark_page(image, file: str, page: int, keys: dict[str, AnswerKey]) -> SheetResult:
    """Read one scanned page; an unreadable page says why instead of guessing."""
    import cv2

    result = SheetResult(file, page)
    try:
        return _read_sheet(image, result, keys)
    except cv2.error as exc:    # a degenerate image (one pixel high, say) that OpenCV refuses
        result.readable = False
        result.problems.append(f"the page could not be processed ({str(exc).strip().splitlines()[-1][:160]})")
        return result


def _read_sheet(image, result: SheetResult, keys: dict[str, AnswerKey]) -> SheetResult:
    from ..classset.sheet_layout import sheet_layout
    from .bubbles import Reader
    from .register import find_marks, read_qr, straighten
    from .score import score_sheet

    def unreadable(why: str) -> SheetResult:
        result.readable = False
        result.problems.append(why)
        return result

    found = [(qr, parse_qr(qr.text)) for qr in read_qr(image)]
    found = [(qr, data) for qr, data in found if data]
    if not found:
        return unreadable("no quizgen QR code found (is this an answer sheet, and is all of it on the scan?)")
    qr, data = found[0]
    result.version = data.version
    key = keys.get(data.checksum)
    if key is None:
        return unreadable(f"no answer key given for this sheet (bank {data.bank}, key {data.checksum})")
    if data.version not in {v.label for v in key.versions}:
        return unreadable(f"the answer key {data.checksum} has no version {data.version}")
    version = key.version(data.version)
    layout = sheet_layout(key.paper, key.student_digits, version)
    marks = find_marks(image, layout, qr.centre)
    if marks is None:
        return unreadable("the four black corner squares were not found (is all of the page on the scan?)")
    reader = Reader.of(straighten(image, marks, layout), layout)
    score_sheet(result, reader, layout, version)
    return result


def _flag_duplicates(results: list[SheetResult]) -> None:
    seen: dict[str, list[SheetResult]] = defaultdict(list)
    for result in results:
        if result.readable and result.student and "?" not in result.student:
            seen[result.student].append(result)
    for number, same in seen.items():
        if len(same) > 1:
            for result in same:
                others = "; ".join(f"{o.file} page {o.page}" for o in same if o is not result)
                result.problems.append(f"student number {number} is also on {others}")


@dataclass(frozen=True)
class MarkSummary:
    results: list[SheetResult]
    out: Path
    size: int

    def problem_lines(self) -> list[str]:
        """One line per thing a person must check, for stderr."""
        lines = []
        for r in self.results:
            where = f"{r.file} page {r.page}"
            if r.readable:
                where += f" (student {r.student or 'unknown'}, version {r.version})"
            lines += [f"{r.status}: {where}: {problem}" for problem in r.problems]
        return lines

    def lines(self) -> list[str]:
        counts = {s: sum(r.status == s for r in self.results) for s in ("ok", "check", "unreadable")}
        return [f"marked {len(self.results)} sheet{'s' * (len(self.results) != 1)}: {counts['ok']} ok, "
                f"{counts['check']} to check, {counts['unreadable']} unreadable",
                f"wrote {self.out} ({self.size:,} bytes)"]


def mark_scans(scans: Sequence[Path], keys: Sequence[Path], out: Path) -> MarkSummary:
    """Mark every page of every scan and write one CSV row per page (see results.py for the columns)."""
    from .results import results_csv
    from .scans import scan_pages

    require_libraries(any(Path(s).suffix.lower() == ".pdf" for s in scans))
    if not scans:
        raise QuizgenError("no scans given: quizgen mark SCAN.png [SCAN.pdf ...]")
    check_writable(out)
    by_checksum = find_keys(scans, keys)
    results = []
    for scan in scans:
        for page, image, why in scan_pages(Path(scan)):
            if image is None:
                results.append(SheetResult(str(scan), page, problems=[why], readable=False))
            else:
                results.append(mark_page(image, str(scan), page, by_checksum))
    _flag_duplicates(results)
    size = write_bytes(out, results_csv(results))
    return MarkSummary(results, Path(out), size)
