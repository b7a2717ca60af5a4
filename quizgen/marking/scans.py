"""Scanned pages as grayscale images: PNG/JPEG (and whatever else OpenCV reads) or a PDF, page by page."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

PDF_DPI = 200           # a scanned PDF page is rendered at this resolution


def scan_pages(path: Path) -> Iterator[tuple[int, object | None, str]]:
    """(page number from 1, grayscale image or None, why it could not be read) for each page of a scan."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        yield from _pdf_pages(path)
        return
    import cv2
    import numpy as np

    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        yield 1, None, f"cannot read the file: {exc.strerror or exc}"
        return
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
    yield (1, image, "") if image is not None else (1, None, "not an image OpenCV can read")


def _pdf_pages(path: Path) -> Iterator[tuple[int, object | None, str]]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        yield 1, None, f"not a PDF that can be opened ({exc})"
        return
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=PDF_DPI / 72, grayscale=True)
            yield index + 1, bitmap.to_numpy().copy(), ""
    finally:
        document.close()
