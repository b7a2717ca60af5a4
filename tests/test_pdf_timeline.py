"""The one-page timeline handout: what it says, that it fits one page, and that labels never overlap."""
import io
import random
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from samples import sample_meta

from quizgen.pdf import timeline_pdf
from quizgen.pdf.timeline import place_boxes, spread
from quizgen.question import RestrictionStatus, TimelineEntry


def flat(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def crowded_meta(count: int, same_day: int = 3):
    """`count` entries over two years, `same_day` of them on one date, with long names and Cyrillic."""
    start = date(2022, 5, 1)
    entries = []
    for i in range(count):
        day = date(2023, 1, 25) if i < same_day else start + timedelta(days=i * 700 // count)
        entries.append(TimelineEntry(day.strftime("%d %B %Y"), day.isoformat(), day.isoformat(),
                                     f"Red line number {i} & <co>", ("Володимир Зеленський",) if i % 2 else ("Joe Biden",),
                                     ("ends", "eases", "keeps")[i % 3], "Short summary."))
    return replace(sample_meta(), timeline=tuple(entries),
                   restrictions=sample_meta().restrictions + (RestrictionStatus("Long-range strikes", "holds",
                                                                       "requested by Ukraine", ("USA",), ""),))


def test_handout_shows_every_lifted_red_line_with_date_and_decider():
    meta = sample_meta()
    rendered = timeline_pdf(meta, "a4")
    reader = PdfReader(io.BytesIO(rendered.data))
    assert rendered.pages == len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert width > height                                   # landscape
    text = flat(reader.pages[0].extract_text())
    for entry in meta.timeline:
        assert entry.date_label in text and entry.restriction in text
        assert all(d in text for d in entry.deciders)
    assert "Not lifted as of 31 May 2024" in text
    for status in meta.restrictions:
        assert status.restriction in text and status.note in text
    assert "EL PAÍS" in text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_crowded_timeline_still_fits_one_page_in_the_shipped_font(paper):
    meta = crowded_meta(18)
    rendered = timeline_pdf(meta, paper)
    page = PdfReader(io.BytesIO(rendered.data)).pages[0]
    text = flat(page.extract_text())
    for entry in meta.timeline:
        assert entry.restriction in text
    assert text.count("Володимир Зеленський") == 9
    assert "Long-range strikes" in text
    fonts = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert all("DejaVuSans" in f for f in fonts), fonts


def overlaps(boxes):
    return [(a, b) for a in boxes for b in boxes
            if a.index < b.index and a.above == b.above and a.lane == b.lane
            and a.left < b.right and b.left < a.right]


def test_boxes_never_overlap_and_each_covers_its_date():
    rng = random.Random(4)
    for trial in range(40):
        ticks = spread(sorted(rng.uniform(40, 560) for _ in range(rng.randint(2, 22))), 11, 36, 564)
        boxes = place_boxes(ticks, 110, 32, 568, lanes=12, strict=False)
        assert boxes is not None
        assert not overlaps(boxes), trial
        for box in boxes:
            assert box.left - 0.01 <= box.tick <= box.right + 0.01
            assert 32 <= box.left and box.right <= 568


def test_strict_placement_keeps_leaders_clear_of_other_boxes():
    ticks = [50, 60, 200, 210, 220, 400, 405]
    boxes = place_boxes(ticks, 90, 20, 600, lanes=6, strict=True)
    assert boxes is not None and not overlaps(boxes)
    for box in boxes:
        for inner in boxes:
            if inner.above == box.above and inner.lane < box.lane:
                assert not inner.left - 3 <= box.tick <= inner.right + 3


def test_close_dates_are_spread_apart_in_order():
    ticks = spread([100, 100, 100, 101, 300], 11, 0, 500)
    assert ticks == sorted(ticks)
    assert all(b - a >= 11 - 1e-9 for a, b in zip(ticks, ticks[1:]))
    assert spread([495, 499, 500], 11, 0, 500)[-1] <= 500


def test_same_meta_gives_the_same_bytes():
    assert timeline_pdf(crowded_meta(12), "a4").data == timeline_pdf(crowded_meta(12), "a4").data


def test_timeline_renders_ink():
    pdfium = pytest.importorskip("pypdfium2")
    image = pdfium.PdfDocument(timeline_pdf(sample_meta(), "letter").data)[0].render(scale=0.5).to_pil().convert("L")
    dark = sum(image.histogram()[:128]) / (image.width * image.height)
    assert 0.005 < dark < 0.25, dark
