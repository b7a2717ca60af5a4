"""Reading bubbles on a straightened sheet: each one is filled, empty or unclear, never a guess in between.

A bubble's fill is the fraction of dark pixels in a disc inside its printed outline. "Dark" is measured
against this scan's own paper and ink (the corner squares), so a grey scan or a dark photocopy reads alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..classset.sheet_layout import BUBBLE_R, MARK, Bubble, SheetLayout
from .register import SCALE

EMPTY_BELOW = 0.2       # fill under this: empty
FILLED_FROM = 0.6       # fill from this: filled; in between: unclear, for a person to look at
INNER = 0.62            # the measured disc, as a share of the bubble's radius (stays inside the outline)
DARK = 0.6              # a pixel is dark below this share of the way from ink (0) to paper (1)
SEARCH = 1.5            # points a row may sit off its printed place (paper stretch, warp error)


class State(str, Enum):
    empty = "empty"
    filled = "filled"
    unclear = "unclear"


def state_of(fill: float) -> State:
    if fill < EMPTY_BELOW:
        return State.empty
    return State.filled if fill >= FILLED_FROM else State.unclear


@dataclass(frozen=True)
class Reader:
    """A straightened sheet with its dark threshold; reads the fill of any bubble on it."""

    image: object
    dark: float

    @classmethod
    def of(cls, image, layout: SheetLayout) -> Reader:
        import numpy as np

        half = MARK * SCALE * 0.3
        ink = float(np.median(np.concatenate([
            image[round(y * SCALE - half):round(y * SCALE + half), round(x * SCALE - half):round(x * SCALE + half)]
            .ravel() for x, y in layout.marks])))
        paper = float(np.percentile(image, 90))
        return cls(image, ink + DARK * (paper - ink))

    def fills(self, bubbles: tuple[Bubble, ...]) -> list[float]:
        """The fill of each bubble of one row, after nudging the row onto its printed outlines."""
        import numpy as np

        dx, dy = self._nudge(bubbles)
        inner = _disc(BUBBLE_R * INNER * SCALE)
        r = inner.shape[0] // 2
        out = []
        for b in bubbles:
            x, y = round(b.x * SCALE + dx), round(b.y * SCALE + dy)
            patch = self.image[y - r:y + r + 1, x - r:x + r + 1]
            out.append(float(np.count_nonzero(patch[inner] < self.dark)) / int(inner.sum()))
        return out

    def _nudge(self, bubbles: tuple[Bubble, ...]) -> tuple[int, int]:
        """The pixel offset, within SEARCH points, where the row's outlines are darkest."""
        import numpy as np

        ring = _ring(BUBBLE_R * SCALE)
        r = ring.shape[0] // 2
        reach = round(SEARCH * SCALE)
        best, best_at = -1.0, (0, 0)
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                total = 0
                for b in bubbles:
                    x, y = round(b.x * SCALE + dx), round(b.y * SCALE + dy)
                    patch = self.image[y - r:y + r + 1, x - r:x + r + 1]
                    total += int(np.count_nonzero(patch[ring] < self.dark))
                if total > best or (total == best and abs(dx) + abs(dy) < abs(best_at[0]) + abs(best_at[1])):
                    best, best_at = total, (dx, dy)
        return best_at


def _disc(radius: float):
    import numpy as np

    r = int(radius)
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    return x * x + y * y <= radius * radius


def _ring(radius: float):
    """The printed outline: a thin circle of the bubble's radius (for squares it still runs along the sides)."""
    import numpy as np

    r = int(radius + 2)
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    d = np.sqrt(x * x + y * y)
    return abs(d - radius) <= 1.0
