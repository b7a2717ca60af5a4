"""Scanned pages as grayscale images: PNG/JPEG (and whatever else OpenCV reads) or a PDF, page by page.

Scans may come from students (an uploaded photo), so their size is checked before anything is decoded: a
small file can hold a huge image (a 1.6 MB PNG of 40000 x 40000 pixels) or a huge page (a 333-byte PDF).
"""
from __future__ import annotations

import os
import stat
import struct
from pathlib import Path
from typing import Iterator

PDF_DPI = 200           # a scanned PDF page is rendered at this resolution
MAX_PIXELS = 40_000_000  # an A4 or letter page scanned at 600 dpi is 35 million pixels
MAX_FILE_BYTES = 200 << 20
MAX_PAGE_POINTS = 1700   # the long side of a PDF page (A3 is 1191 points; an A4 sheet scanned is 842)
MAX_PDF_PAGES = 2000


def _png_size(head: bytes) -> tuple[int, int] | None:
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the first start-of-frame marker."""
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        at += 2 + length
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG or JPEG header, without decoding; None for other formats."""
    return _png_size(data[:24]) or _jpeg_size(data)


def _too_big(width: int, height: int) -> str:
    return (f"the image is {width:,} x {height:,} pixels; the most read is {MAX_PIXELS // 1_000_000} million "
            "(an A4 or letter sheet scanned at 600 dpi is 35 million)")


def read_limited(path: Path) -> bytes:
    """The whole file, if it is a regular file of at most MAX_FILE_BYTES (read with a hard cap)."""
    from ..files import NotRegularFile, TooLarge, read_capped

    try:
        return read_capped(path, MAX_FILE_BYTES)
    except NotRegularFile:
        raise ValueError("not a regular file") from None
    except TooLarge:
        raise ValueError(f"the file is over {MAX_FILE_BYTES >> 20} MiB") from None


def scan_pages(path: Path) -> Iterator[tuple[int, object | None, str]]:
    """(page number from 1, grayscale image or None, why it could not be read) for each page of a scan."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        yield from _pdf_pages(path)
        return
    import cv2
    import numpy as np

    try:
        data = read_limited(path)
    except OSError as exc:
        yield 1, None, f"cannot read the file: {exc.strerror or exc}"
        return
    except ValueError as exc:
        yield 1, None, f"cannot read the file: {exc}"
        return
    size = image_size(data)
    if size and size[0] * size[1] > MAX_PIXELS:
        yield 1, None, _too_big(*size)
        return
    try:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE) if data else None
    except cv2.error as exc:
        image = None
        why = (f"the image is over {MAX_PIXELS // 1_000_000} million pixels, the most read" if "MAX_IMAGE_PIXELS"
               in str(exc) else f"not an image OpenCV can read ({str(exc).strip().splitlines()[-1][:120]})")
    else:
        why = "not an image OpenCV can read"
    if image is not None and image.size > MAX_PIXELS:
        yield 1, None, _too_big(image.shape[1], image.shape[0])
        return
    yield (1, image, "") if image is not None else (1, None, why)


def _pdf_pages(path: Path) -> Iterator[tuple[int, object | None, str]]:
    import pypdfium2 as pdfium

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ValueError("not a regular file")
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        yield 1, None, f"not a PDF that can be opened ({exc})"
        return
    try:
        pages = len(document)
        if pages > MAX_PDF_PAGES:
            yield 1, None, f"the PDF has {pages:,} pages; the most read from one file is {MAX_PDF_PAGES:,}"
            return
        for index in range(pages):
            yield index + 1, *_render(document, index, pdfium)
    finally:
        document.close()


def _render(document, index: int, pdfium) -> tuple[object | None, str]:
    """One page at PDF_DPI, if its size is that of a sheet of paper."""
    try:
        page = document[index]
        width, height = page.get_size()
        if not 0 < max(width, height) <= MAX_PAGE_POINTS:
            return None, (f"the page is {width:,.0f} x {height:,.0f} points; an answer sheet scan is at most "
                          f"{MAX_PAGE_POINTS} points on its long side (A3 is 1,191)")
        bitmap = page.render(scale=PDF_DPI / 72, grayscale=True)
        return bitmap.to_numpy().copy(), ""
    except pdfium.PdfiumError as exc:
        return None, f"the page cannot be rendered ({exc})"
