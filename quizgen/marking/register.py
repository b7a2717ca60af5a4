"""From a scanned page to a straight image of the sheet: read the QR code, find the corner squares, warp.

The warped image has SCALE pixels per point, so every position in sheet_layout is a pixel position in it.
The QR code tells which corner is the top-right one, so sheets scanned sideways or upside down read too.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..classset.sheet_layout import MARK, SheetLayout

SCALE = 2.0             # pixels per point in the warped image (144 dpi)
SHAPE_TOLERANCE = 0.08  # the four squares' rectangle may differ this much from the printed one


@dataclass(frozen=True)
class QrFound:
    text: str
    centre: tuple[float, float]


def read_qr(gray) -> list[QrFound]:
    """Every QR code on the page with its centre; zxing-cpp handles rotation, skew and low resolution."""
    import zxingcpp

    found = []
    for barcode in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode):
        p = barcode.position
        corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
        found.append(QrFound(barcode.text, (sum(c.x for c in corners) / 4, sum(c.y for c in corners) / 4)))
    return found


def _candidates(gray, layout: SheetLayout) -> list[tuple[float, float]]:
    """Centres of solid dark squares about the size of a registration mark."""
    import cv2
    import numpy as np

    side = MARK * max(gray.shape) / max(layout.width, layout.height)
    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    _, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(binary, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    found = []
    for contour in contours:
        area = cv2.contourArea(contour)
        if not 0.2 * side * side < area < 3.0 * side * side:
            continue
        (cx, cy), (w, h), _ = cv2.minAreaRect(contour)
        if min(w, h) < 0.75 * max(w, h) or area < 0.85 * w * h:
            continue
        x, y, bw, bh = cv2.boundingRect(contour)
        mask = np.zeros((bh, bw), np.uint8)
        cv2.drawContours(mask, [contour - (x, y)], -1, 255, -1)
        inside = cv2.countNonZero(mask)
        dark = cv2.countNonZero(cv2.bitwise_and(binary[y:y + bh, x:x + bw], mask))
        if inside and dark / inside > 0.9:
            found.append((cx, cy))
    return found


def find_marks(gray, layout: SheetLayout, qr_centre: tuple[float, float]) -> list[tuple[float, float]] | None:
    """The four mark centres in sheet order (top-left, top-right, bottom-right, bottom-left), or None."""
    candidates = _candidates(gray, layout)
    if len(candidates) < 4:
        return None
    h, w = gray.shape[:2]
    corners = []
    for corner in ((0, 0), (w, 0), (w, h), (0, h)):
        corners.append(min(candidates, key=lambda c: (c[0] - corner[0]) ** 2 + (c[1] - corner[1]) ** 2))
    if len(set(corners)) < 4:
        return None
    nearest = min(range(4), key=lambda i: (corners[i][0] - qr_centre[0]) ** 2 + (corners[i][1] - qr_centre[1]) ** 2)
    marks = [corners[(nearest - 1 + i) % 4] for i in range(4)]
    return marks if _shape_matches(marks, layout) else None


def _shape_matches(marks: list[tuple[float, float]], layout: SheetLayout) -> bool:
    """The found squares make the printed rectangle (give or take perspective), not some other four blobs."""
    def dist(a, b):
        return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5

    printed = dist(layout.marks[0], layout.marks[1]) / dist(layout.marks[0], layout.marks[3])
    top, bottom = dist(marks[0], marks[1]), dist(marks[3], marks[2])
    left, right = dist(marks[0], marks[3]), dist(marks[1], marks[2])
    if min(top, bottom, left, right) <= 0:
        return False
    ratio = (top + bottom) / (left + right)
    return (abs(ratio / printed - 1) < SHAPE_TOLERANCE and abs(top / bottom - 1) < SHAPE_TOLERANCE
            and abs(left / right - 1) < SHAPE_TOLERANCE)


def straighten(gray, marks: list[tuple[float, float]], layout: SheetLayout):
    """The page warped so that the marks land where they were printed, at SCALE pixels per point."""
    import cv2
    import numpy as np

    source = np.array(marks, np.float32)
    target = np.array(layout.marks, np.float32) * SCALE
    matrix = cv2.getPerspectiveTransform(source, target)
    size = (round(layout.width * SCALE), round(layout.height * SCALE))
    return cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_LINEAR, borderValue=255)
