"""The one-page timeline handout: each dated change to a restriction (date, decider) on a drawn axis, and the
restrictions still in force. Its words for "restriction" and for each change are the bank's own.

Vector graphics (reportlab.graphics) on a landscape page. Each entry's label is a box joined to its date
on the axis by a leader line; boxes are placed in lanes above and below the axis so that no two boxes
overlap and no leader line crosses another box. When the entries are too many for that, the labels get
smaller and shorter until they fit; when even the smallest do not (about 18 entries, depending on their
dates), the handout is a table over as many pages as it needs instead (timeline_list.py), and the build
says so in one line.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Line,
    Polygon,
    Rect,
    String,
    Wedge,
)
from reportlab.lib.colors import HexColor, white
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..errors import QuizgenError
from ..question import BankMeta, RestrictionStatus, TimelineEntry
from .fonts import register_fonts
from .styles import GREY, INK, page_size
from .versions import Rendered, pdf_settings

MARGIN = 32.0
PANEL_WIDTH = 196.0
LANE_GAP = 8.0
HANG = 5.0          # a box hanging left or right of its tick reaches this far past it
TICK_GAP = 11.0     # entries on (nearly) the same date are drawn this far apart on the axis
MAX_LANES = 12
#: past this many entries no look can fit (18 was the most seen to fit): the table, without trying
MAX_DRAWN = 30
#: status classes listed beside the axis: everything not plainly lifted (still in force, partly lifted, gone some
#: other way), each with the bank's own word for where it stands
NOT_LIFTED = ("holds", "partly", "other")
#: the mark of each of those in the list: the effect whose shape it shares
STATUS_MARK = {"holds": "holds", "partly": "eases", "other": "other"}
#: what a change did to a restriction -> (word when the bank gives none, colour)
EFFECTS = {"ends": ("Ended", "#1B5E20"), "eases": ("Eased", "#BF360C"),
           "keeps": ("Kept", "#B71C1C"), "imposes": ("Imposed", "#4A148C")}
IN_FORCE_COLOR = "#B71C1C"


@dataclass(frozen=True)
class Look:
    """One density of labels: the first look whose boxes fit the page is used."""

    box_width: float
    size: float
    summary_lines: int      # the summary is the only text cut short; names, dates and deciders never are


LOOKS = (Look(176, 10.5, 4), Look(152, 9.5, 3), Look(132, 8.5, 3), Look(118, 8.0, 2), Look(104, 7.5, 1),
         Look(92, 7.0, 0), Look(80, 6.5, 0))


@dataclass(frozen=True)
class Box:
    """A placed label: `tick` is the entry's x on the axis; lane 0 is next to the axis."""

    index: int
    tick: float
    left: float
    width: float
    above: bool
    lane: int

    @property
    def right(self) -> float:
        return self.left + self.width


def _day(iso: str) -> date:
    """The first day of an ISO date or prefix ("2024-06" is 1 June 2024)."""
    try:
        return date.fromisoformat((iso + "-01-01"[len(iso) - 4:])[:10] if len(iso) in (4, 7) else iso[:10])
    except ValueError:
        raise QuizgenError(f"timeline entry has a date that is not ISO: {iso!r}") from None


def _mid(entry: TimelineEntry) -> date:
    start, end = _day(entry.start), _day(entry.end or entry.start)
    return date.fromordinal((start.toordinal() + end.toordinal()) // 2)


def _clash(box: Box, placed: list[Box], strict: bool) -> bool:
    for other in placed:
        if other.above != box.above:
            continue
        if other.lane == box.lane and other.left < box.right + 6 and box.left < other.right + 6:
            return True
        if strict and other.lane < box.lane and other.left - 3 <= box.tick <= other.right + 3:
            return True         # this box's leader would cross a box nearer the axis
        if strict and other.lane > box.lane and box.left - 3 <= other.tick <= box.right + 3:
            return True         # that box's leader would cross this one
    return False


def place_boxes(ticks: list[float], width: float, low: float, high: float, lanes: int,
                strict: bool = True) -> list[Box] | None:
    """Lanes for boxes of `width` at `ticks` (sorted), within [low, high]; None if `lanes` per side are too few.

    Boxes go in the lane nearest the axis that is free. A box is centred on its tick when the next tick is
    far; otherwise it hangs as far left as it can, leaving room for its neighbours. With `strict` False,
    a leader may pass behind a box nearer the axis, but only for entries that cannot be placed otherwise.
    """
    placed: list[Box] = []
    for index, tick in enumerate(ticks):
        crowded = index + 1 < len(ticks) and ticks[index + 1] - tick < width / 2 + 6
        spot = None
        for rule in (True, False) if not strict else (True,):
            for lane in range(lanes):
                for above in (True, False):
                    lefts = [tick - width / 2, tick - width + HANG, tick - HANG]
                    lefts += [b.right + 6 for b in placed if b.above == above and b.lane == lane]
                    lefts = sorted(min(max(x, low), high - width) for x in lefts if tick - width + HANG <= x <= tick - HANG)
                    if not crowded:
                        lefts.sort(key=lambda x: abs(x + width / 2 - tick))
                    spot = next((box for box in (Box(index, tick, x, width, above, lane) for x in lefts)
                                 if not _clash(box, placed, rule)), None)
                    if spot:
                        break
                if spot:
                    break
            if spot:
                break
        if spot is None:
            return None
        placed.append(spot)
    return placed


def spread(ticks: list[float], gap: float, low: float, high: float) -> list[float]:
    """Sorted ticks moved apart to at least `gap` (when [low, high] has room), so close dates get their own leaders."""
    if len(ticks) * gap > high - low:
        gap = (high - low) / max(len(ticks), 1)
    out = list(ticks)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + gap)
    out[-1:] = [min(out[-1], high)] if out else []
    for i in range(len(out) - 2, -1, -1):
        out[i] = min(out[i], out[i + 1] - gap)
    return [max(t, low) for t in out]


def _lane_heights(boxes: list[Box], heights: list[float]) -> dict[bool, list[float]]:
    """Each lane is as tall as its tallest box, per side (True: above the axis)."""
    rows: dict[bool, list[float]] = {True: [], False: []}
    for box in boxes:
        side = rows[box.above]
        side.extend([0.0] * (box.lane + 1 - len(side)))
        side[box.lane] = max(side[box.lane], heights[box.index])
    return rows


def label_lines(entry: TimelineEntry, look: Look) -> list[tuple[str, str, float, str]]:
    """(text, font, size, colour) lines of an entry's box."""
    regular, bold = register_fonts()
    inner = look.box_width - 10
    verb, color = EFFECTS.get(entry.effect, (entry.effect.replace("_", " ").capitalize(), INK))
    verb = entry.effect_label.capitalize() if entry.effect_label else verb
    lines = [(entry.date_label, bold, look.size, color)]
    for line in simpleSplit(entry.restriction, bold, look.size + 0.5, inner):
        lines.append((line, bold, look.size + 0.5, INK))
    deciders = f"{verb} by {', '.join(entry.deciders)}" if entry.deciders else verb
    for line in simpleSplit(deciders, regular, look.size, inner):
        lines.append((line, regular, look.size, INK))
    small = look.size - 0.5
    summary = simpleSplit(entry.summary, regular, small, inner)
    if len(summary) <= look.summary_lines:      # a summary cut short reads badly: all of it, or none
        lines += [(line, regular, small, GREY) for line in summary]
    return lines


def _height(lines) -> float:
    return 8 + sum(size * 1.22 for _, _, size, _ in lines)


class TooCrowded(Exception):
    """No look places every entry's box on the one page."""


class TimelinePage:
    """Draws the handout for one bank on one landscape page."""

    def __init__(self, meta: BankMeta, paper: str):
        self.meta = meta
        self.width, self.height = page_size(paper, landscape=True)
        self.regular, self.bold = register_fonts()
        self.entries = sorted(meta.timeline, key=lambda e: (_mid(e), e.restriction))
        self.in_force = [r for r in meta.restrictions if r.status in NOT_LIFTED]
        self.d = Drawing(self.width, self.height)

    def _string(self, x, y, value, font=None, size=9.0, color=INK, anchor="start") -> None:
        self.d.add(String(x, y, value, fontName=font or self.regular, fontSize=size,
                          fillColor=HexColor(color), textAnchor=anchor))

    def draw(self) -> Drawing:
        top = self.height - MARGIN
        self._string(MARGIN, top - 16, self.meta.title or self.meta.id, self.bold, 17)
        plural = self.meta.restrictions_word
        what = f"{plural.capitalize()}: each change with its date and who decided"
        if self.in_force:
            what += f"; {plural} not lifted as of {self.meta.as_of_label or self.meta.as_of}"
        self._string(MARGIN, top - 32, what, size=10, color=GREY)
        self._legend(top - 50)
        source = self.meta.source
        credit = ", ".join(x for x in (source.publisher, source.title) if x)
        if credit:
            self._string(MARGIN, MARGIN - 8, f"Source: {credit}", size=8, color=GREY)
        plot_top, plot_bottom = top - 64, MARGIN + 6
        axis_right = self.width - MARGIN - (PANEL_WIDTH + 18 if self.in_force else 0)
        self._panel(axis_right + 18, plot_top)
        self._timeline(MARGIN, axis_right, plot_bottom, plot_top)
        return self.d

    def _legend(self, y: float) -> None:
        items = []
        for effect in EFFECTS:
            words = sorted({x.effect_label or EFFECTS[effect][0].lower() for x in self.entries if x.effect == effect})
            if words:
                items.append((" / ".join(words), effect))
        if self.in_force:
            items.append(("still in force", "holds"))
        if self.meta.as_of:
            items.append((f"facts as of {self.meta.as_of_label or self.meta.as_of}", "as_of"))
        x = MARGIN
        for label, effect in items:
            if effect == "as_of":
                self.d.add(Line(x + 4, y - 3, x + 4, y + 9, strokeColor=HexColor(IN_FORCE_COLOR), strokeWidth=1.6))
            else:
                self._marker(x + 4, y + 3, effect, 4)
            self._string(x + 12, y, label, size=8.5)
            x += stringWidth(label, self.regular, 8.5) + 30

    def _marker(self, x: float, y: float, effect: str, r: float = 5) -> None:
        """Shapes as well as colours, so a black-and-white photocopy still tells them apart."""
        if effect == "holds":
            c = HexColor(IN_FORCE_COLOR)
            self.d.add(Rect(x - r, y - r, 2 * r, 2 * r, fillColor=c, strokeColor=c))
            return
        if effect == "other":      # gone some other way: an open square
            self.d.add(Rect(x - r, y - r, 2 * r, 2 * r, fillColor=white, strokeColor=HexColor(GREY), strokeWidth=1.2))
            return
        c = HexColor(EFFECTS.get(effect, ("", INK))[1])
        if effect == "eases":
            self.d.add(Circle(x, y, r, fillColor=white, strokeColor=c, strokeWidth=1.2))
            self.d.add(Wedge(x, y, r, 90, 270, fillColor=c, strokeColor=c, strokeWidth=0.01))
        elif effect in ("keeps", "imposes"):
            self.d.add(Polygon([x, y + r * 1.2, x + r, y - r * 0.8, x - r, y - r * 0.8], fillColor=c, strokeColor=c))
        else:
            self.d.add(Circle(x, y, r, fillColor=c, strokeColor=c))

    def _span(self, left: float, right: float) -> tuple[date, date, callable]:
        days = [_day(e.start) for e in self.entries] + [_day(e.end or e.start) for e in self.entries]
        if self.meta.as_of:
            days.append(_day(self.meta.as_of))
        first, last = min(days), max(days)
        first = date(first.year, first.month, 1)
        last = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
        total = max((last - first).days, 1)
        return first, last, lambda d: left + (right - left) * (d - first).days / total

    def _timeline(self, left: float, right: float, bottom: float, top: float) -> None:
        first, last, x_of = self._span(left + 8, right - 8)
        ticks = spread([x_of(_mid(e)) for e in self.entries], TICK_GAP, left + 4, right - 4)
        above_gap, below_gap = 14.0, 26.0
        # every look with leaders crossing no box first; only then let leaders pass behind boxes
        for chosen, strict in [(look, True) for look in LOOKS] + [(look, False) for look in LOOKS]:
            lines = [label_lines(e, chosen) for e in self.entries]
            boxes = place_boxes(ticks, chosen.box_width, left, right, MAX_LANES, strict)
            if boxes:
                rows = _lane_heights(boxes, [_height(ls) for ls in lines])
                up, down = sum(rows[True]) + LANE_GAP * len(rows[True]), sum(rows[False]) + LANE_GAP * len(rows[False])
                if up + down + above_gap + below_gap <= top - bottom:
                    break
        else:
            raise TooCrowded(len(self.entries))
        free = (top - bottom) - (up + down + above_gap + below_gap)
        axis_y = bottom + down + below_gap + free / 2
        self._axis(left, right, axis_y, first, last, x_of)
        placed = []
        for box in boxes:
            height = _height(lines[box.index])
            inner = sum(rows[box.above][:box.lane]) + LANE_GAP * box.lane
            base = axis_y + above_gap + inner if box.above else axis_y - below_gap - inner - height
            edge = base if box.above else base + height
            color = HexColor(EFFECTS.get(self.entries[box.index].effect, ("", GREY))[1])
            self.d.add(Line(box.tick, axis_y, box.tick, edge, strokeColor=color, strokeWidth=0.7))
            placed.append((box, base, height))
        for box, base, height in placed:
            self._box(box, base, height, lines[box.index], self.entries[box.index])
        for entry, tick in zip(self.entries, ticks):
            start, end = x_of(_day(entry.start)), x_of(_day(entry.end or entry.start))
            color = HexColor(EFFECTS.get(entry.effect, ("", INK))[1])
            if end - start > 3:
                self.d.add(Rect(start, axis_y - 2, end - start, 4, fillColor=color, strokeColor=None))
            self._marker(tick, axis_y, entry.effect, 4.5)

    def _axis(self, left, right, y, first: date, last: date, x_of) -> None:
        ink = HexColor(INK)
        self.d.add(Line(left, y, right, y, strokeColor=ink, strokeWidth=1.4))
        month = first
        while month <= last:
            x = x_of(month)
            if month.month == 1:
                self.d.add(Line(x, y - 7, x, y + 7, strokeColor=ink, strokeWidth=1.2))
                self._string(x, y - 19, str(month.year), self.bold, 9, anchor="middle")
            else:
                self.d.add(Line(x, y - 3, x, y + 3, strokeColor=ink, strokeWidth=0.5))
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        if self.meta.as_of:
            x = x_of(_day(self.meta.as_of))
            self.d.add(Line(x, y - 10, x, y + 10, strokeColor=HexColor(IN_FORCE_COLOR), strokeWidth=1.6))

    def _box(self, box: Box, base: float, height: float, lines, entry: TimelineEntry) -> None:
        color = HexColor(EFFECTS.get(entry.effect, ("", INK))[1])
        self.d.add(Rect(box.left, base, box.width, height, fillColor=white, strokeColor=color, strokeWidth=0.9))
        y = base + height - 4
        for value, font, size, shade in lines:
            y -= size * 1.22
            self._string(box.left + 5, y + size * 0.22, value, font, size, shade)

    def _panel(self, left: float, top: float) -> None:
        """The restrictions still in force, listed beside the end of the axis."""
        if not self.in_force:
            return
        width = PANEL_WIDTH
        title = f"Not lifted as of {self.meta.as_of_label or self.meta.as_of}"
        for note_lines, size in ((4, 10.0), (3, 9.0), (2, 8.5), (1, 8.0), (0, 7.5), (0, 6.5)):
            blocks = [_Block(r.status, self._status_lines(r, width - 18, size, note_lines)) for r in self.in_force]
            needed = 22 + sum(_height(b.lines) + 4 for b in blocks)
            if needed <= top - MARGIN:
                break
        self.d.add(Line(left - 9, MARGIN, left - 9, top, strokeColor=HexColor(GREY), strokeWidth=0.5))
        y = top - 12
        self._string(left, y, title, self.bold, 10, IN_FORCE_COLOR)
        y -= 10
        for block in blocks:
            self._marker(left + 4, y - 7, STATUS_MARK[block.status], 3.5)
            for value, font, fsize, shade in block.lines:
                y -= fsize * 1.22
                self._string(left + 14, y + fsize * 0.22, value, font, fsize, shade)
            y -= 12

    def _status_lines(self, status: RestrictionStatus, width: float, size: float, note_lines: int):
        lines = [(line, self.bold, size + 0.5, INK)
                 for line in simpleSplit(status.restriction, self.bold, size + 0.5, width)]
        held = status.status_label or status.status.replace("_", " ")
        if status.imposed_by:
            held += f" · imposed by {', '.join(status.imposed_by)}"
        lines += [(line, self.regular, size, IN_FORCE_COLOR) for line in simpleSplit(held, self.regular, size, width)]
        note = simpleSplit(status.note, self.regular, size - 0.5, width)
        if len(note) <= note_lines:
            lines += [(line, self.regular, size - 0.5, GREY) for line in note]
        return lines


@dataclass(frozen=True)
class _Block:
    status: str
    lines: list


def nothing_to_draw(meta: BankMeta) -> str | None:
    """Why there is no handout for this bank, or None when there is something to draw."""
    if meta.timeline:
        return None
    return (f"no timeline handout: no event in this bank changes a {meta.restriction_word} on a date the source "
            f"gives (an event needs an effect, a {meta.restriction_word}, and no date_inferred)")


def timeline_pdf(meta: BankMeta, paper: str = "a4", warn=lambda _: None) -> Rendered:
    """The one-page drawing, or the table when the entries are too many to draw (`warn` hears which); callers ask
    `nothing_to_draw` first (an empty axis is no handout)."""
    if nothing_to_draw(meta):
        raise QuizgenError(nothing_to_draw(meta))
    page = TimelinePage(meta, paper)
    try:
        if len(page.entries) > MAX_DRAWN:
            raise TooCrowded(len(page.entries))
        drawing = page.draw()
    except TooCrowded:
        from .timeline_list import timeline_list_pdf

        rendered = timeline_list_pdf(meta, page.entries, page.in_force, paper)
        warn(f"the timeline has {len(page.entries)} entries, too many to draw on one page: "
             f"the handout lists them in a table instead ({rendered.pages} page{'s' * (rendered.pages != 1)})")
        return rendered
    buffer = io.BytesIO()
    with pdf_settings():
        canvas = Canvas(buffer, pagesize=(page.width, page.height), invariant=1, initialFontName=page.regular)
        canvas.setTitle(f"{meta.title}: timeline")
        canvas.setAuthor("quizgen")
        canvas.setCreator("quizgen")
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.showPage()
        canvas.save()
    return Rendered(buffer.getvalue(), 1)
