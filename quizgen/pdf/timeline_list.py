"""The timeline handout as a table over as many pages as it needs: for banks with more entries than the
one-page drawing (timeline.py) can place. Same facts, in date order: date, restriction, who decided, summary;
then the restrictions not lifted. Every word about restrictions comes from the bank."""
from __future__ import annotations

import io
from typing import Sequence

from ..errors import QuizgenError
from ..question import BankMeta, RestrictionStatus, TimelineEntry
from .styles import GREY, MARGIN, RULE, page_size, styles, text
from .versions import Rendered, pdf_settings

EFFECT_WORDS = {"ends": "Ended", "eases": "Eased", "keeps": "Kept", "imposes": "Imposed"}


def _entry_row(entry: TimelineEntry, st) -> list:
    from reportlab.platypus import Paragraph

    verb = (entry.effect_label or EFFECT_WORDS.get(entry.effect, entry.effect)).capitalize()
    who = f"{verb} by {', '.join(entry.deciders)}" if entry.deciders else verb
    return [Paragraph(text(entry.date_label), st.cell_bold), Paragraph(text(entry.restriction), st.cell_bold),
            Paragraph(text(who), st.cell), Paragraph(text(entry.summary), st.cell)]


def _status_row(status: RestrictionStatus, st) -> list:
    from reportlab.platypus import Paragraph

    held = status.status_label or status.status.replace("_", " ")
    if status.imposed_by:
        held += f" · imposed by {', '.join(status.imposed_by)}"
    return [Paragraph(text(status.restriction), st.cell_bold), Paragraph(text(held), st.cell),
            Paragraph(text(status.note), st.cell)]


def _table(head: list[str], rows: list[list], widths: Sequence[float], st):
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import LongTable, Paragraph, TableStyle

    table = LongTable([[Paragraph(text(h), st.cell_bold) for h in head]] + rows, colWidths=list(widths),
                      repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4,
                                                                    HexColor(RULE)),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    return table


def timeline_list_pdf(meta: BankMeta, entries: Sequence[TimelineEntry], in_force: Sequence[RestrictionStatus],
                      paper: str = "a4") -> Rendered:
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus.doctemplate import LayoutError

    from .fonts import register_fonts

    st = styles()
    width, height = page_size(paper, landscape=True)
    inner = width - 2 * MARGIN
    story = [Paragraph(text(meta.title or meta.id), st.title),
             Paragraph(text(f"{meta.restrictions_word.capitalize()} imposed, eased or lifted, with date and who "
                            f"decided ({len(entries)} entries, in date order)"), st.subtitle), Spacer(0, 8),
             _table(["Date", meta.restriction_word.capitalize(), "Decision", "Summary"], [_entry_row(e, st) for e in entries],
                    [inner * 0.13, inner * 0.25, inner * 0.22, inner * 0.40], st)]
    if in_force:
        as_of = meta.as_of_label or meta.as_of
        story += [Spacer(0, 14), Paragraph(text(f"Not lifted as of {as_of}"), st.heading),
                  _table([meta.restriction_word.capitalize(), "Status", "Note"], [_status_row(r, st) for r in in_force],
                         [inner * 0.3, inner * 0.3, inner * 0.4], st)]
    credit = ", ".join(x for x in (meta.source.publisher, meta.source.title) if x)
    if credit:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.styles import ParagraphStyle

        story += [Spacer(0, 10), Paragraph(text(f"Source: {credit}"),
                                           ParagraphStyle("source", st.note, textColor=HexColor(GREY)))]
    buffer = io.BytesIO()
    with pdf_settings():
        doc = SimpleDocTemplate(buffer, pagesize=(width, height), leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=MARGIN, bottomMargin=MARGIN, title=f"{meta.title}: timeline",
                                author="quizgen", creator="quizgen", invariant=1,
                                initialFontName=register_fonts()[0])
        try:
            doc.build(story)
        except LayoutError as exc:
            raise QuizgenError("a timeline entry's text is too long to fit on one page of the timeline list; "
                               "shorten its summary") from exc
    return Rendered(buffer.getvalue(), doc.page)
