"""The student's paper: a header with Name / Class / Date, instructions, then each question laid out for its kind.

Every question is one Block (blocks.py; it behaves like KeepTogether), so a page break never splits it. Cloze questions print as
fill-in-the-blank sentences: each hidden word becomes a blank of the same length (no hint from its size).
"""
from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ..classset.selection import QuizVersion
from ..question import BankMeta, Kind, Question
from .blocks import Block, Cell, Label, Paragraphs, Row, WriteBox
from .styles import INK, NUMBER_WIDTH, RULE, styles, text

BLANK = "_" * 16
SINGLE_CHOICE = (Kind.multiple_choice, Kind.which_first, Kind.quote)

#: one instruction per kind present on the paper, in this order
INSTRUCTIONS = {
    Kind.multiple_choice: "Multiple choice: circle the letter of the one best answer.",
    Kind.which_first: "Which came first: circle the letter of the earlier event.",
    Kind.quote: "Quotes: circle the letter of the person who said it.",
    Kind.true_false: "True or false: circle True or False.",
    Kind.multiple_select: "Select all that apply: tick the box of every correct answer.",
    Kind.ordering: "Chronological order: number the boxes from 1 (earliest) upwards.",
    Kind.matching: "Matching: write the letter of the matching answer in each box.",
    Kind.cloze: "Fill in the blanks: write the missing words on the lines.",
    Kind.short_answer: "Short answer: write your answer on the line.",
    Kind.numeric: "Numbers: write the number on the line.",
}


def letter(index: int) -> str:
    return chr(ord("A") + index)


class WritingLine(Flowable):
    """'Answer:' followed by a line to write on, and the unit after it for numeric questions."""

    def __init__(self, unit: str = ""):
        super().__init__()
        self.unit = unit

    def wrap(self, available_width, available_height):
        return available_width, 26

    def draw(self):
        st = styles().body
        canvas = self.canv
        canvas.setFont(st.fontName, st.fontSize)
        canvas.setFillColor(INK)
        canvas.drawString(0, 6, "Answer:")
        start = canvas.stringWidth("Answer:", st.fontName, st.fontSize) + 6
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(start, 4, 290, 4)
        if self.unit:
            canvas.drawString(296, 6, self.unit)


def cloze_markup(question: Question) -> str:
    """The cloze sentence with each hidden run replaced by a blank (numbered when there are several)."""
    holes = sorted({part.hole for part in question.cloze if part.hole})
    pieces = []
    for part in question.cloze:
        if not part.hole:
            pieces.append(text(part.text))
        elif len(holes) > 1:
            pieces.append(f"<font size='7'>({holes.index(part.hole) + 1})</font>{BLANK}")
        else:
            pieces.append(BLANK)
    return "".join(pieces)


def prompt_markup(question: Question) -> str:
    if question.kind is Kind.cloze and question.cloze:
        return cloze_markup(question)
    markup = text(question.prompt)
    if question.kind is Kind.multiple_select:
        markup += f" <font color='{RULE}'>(select all that apply)</font>"
    return markup


class QuizLayout:
    """Lays out questions for one page width; shared by all versions, so shared text is laid out once."""

    def __init__(self, width: float, paragraphs: Paragraphs | None = None):
        self.width = width
        self.st = styles()
        self.para = paragraphs or Paragraphs()
        self.column = (width - NUMBER_WIDTH) / 2

    def label(self, value: str) -> Label:
        return Label(value, self.st.prompt.fontName, self.st.body.fontSize, self.st.body.leading)

    def question(self, number: int, question: Question) -> Block:
        style = self.st.cloze if question.kind is Kind.cloze else self.st.prompt
        prompt = Row((Cell(0, self.label(f"{number}.")), Cell(NUMBER_WIDTH, self.para(prompt_markup(question), style))),
                     space=3)
        rows = [prompt] + self.body(question)
        last = rows[-1]
        rows[-1] = Row(last.cells, last.space + 10)
        return Block(rows)

    def body(self, question: Question) -> list[Row]:
        kind = question.kind
        if kind in SINGLE_CHOICE:
            return self.options(question.choices, ticks=False)
        if kind is Kind.multiple_select:
            return self.options(question.choices, ticks=True)
        if kind is Kind.true_false:
            gap = "&nbsp;" * 12
            words = gap.join(f"○&nbsp;&nbsp;{text(c)}" for c in question.choices or ("True", "False"))
            return [Row((Cell(NUMBER_WIDTH, self.para(words, self.st.body)),))]
        if kind is Kind.ordering:
            return [self.boxed(item) for item in question.choices]
        if kind is Kind.matching:
            return self.matching(question)
        if kind in (Kind.short_answer, Kind.numeric):
            unit = question.unit if kind is Kind.numeric else ""
            return [Row((Cell(NUMBER_WIDTH, WritingLine(unit), dy=4),))]
        return []

    def _option(self, x: float, width: float, index: int, choice: str, ticks: bool) -> tuple[Cell, ...]:
        cells = [Cell(x, WriteBox(10), dy=2)] if ticks else []
        x += 14 if ticks else 0
        cells += [Cell(x, self.label(letter(index))), Cell(x + 16, self.para(text(choice), self.st.body), width - 22)]
        return tuple(cells)

    def options(self, choices: tuple[str, ...], ticks: bool) -> list[Row]:
        """Lettered options, in two columns when they are short enough to fit side by side."""
        body = self.st.body
        room = self.column - 16 - 14 * ticks - 12
        if len(choices) in (2, 4) and all(stringWidth(c, body.fontName, body.fontSize) < room for c in choices):
            return [Row(sum((self._option(NUMBER_WIDTH + j * self.column, self.column - 14 * ticks, i + j,
                                          choices[i + j], ticks) for j in range(2)), ()), space=3)
                    for i in range(0, len(choices), 2)]
        width = self.width - NUMBER_WIDTH - 14 * ticks
        return [Row(self._option(NUMBER_WIDTH, width, i, c, ticks), space=3) for i, c in enumerate(choices)]

    def boxed(self, item: str) -> Row:
        """A box to write in, then the item's text."""
        return Row((Cell(NUMBER_WIDTH, WriteBox()), Cell(NUMBER_WIDTH + 26, self.para(text(item), self.st.body), dy=2)),
                   space=5)

    def matching(self, question: Question) -> list[Row]:
        """Left: the items, each with a box for a letter; right: the lettered answers to choose from."""
        half = (self.width - NUMBER_WIDTH - 26) / 2
        right = NUMBER_WIDTH + 26 + half + 8
        rows = []
        for i in range(max(len(question.pairs), len(question.choices))):
            cells: tuple[Cell, ...] = ()
            if i < len(question.pairs):
                cells += (Cell(NUMBER_WIDTH, WriteBox()),
                          Cell(NUMBER_WIDTH + 26, self.para(text(question.pairs[i].left), self.st.body), half - 8, dy=2))
            if i < len(question.choices):
                cells += (Cell(right, self.label(letter(i)), dy=2),
                          Cell(right + 16, self.para(text(question.choices[i]), self.st.body), dy=2))
            rows.append(Row(cells, space=5))
        return rows


#: lines the title may take at the top of each version; a longer one is the user's to shorten
MAX_TITLE_LINES = 3
_TITLE_COLUMN = 110     # the version box beside the title


def check_title(title: str, width: float, source: str) -> None:
    """A title longer than MAX_TITLE_LINES gets its own message, before any layout fails over it."""
    from reportlab.lib.utils import simpleSplit

    from ..errors import QuizgenError

    st = styles()
    lines = simpleSplit(title[:2000], st.title.fontName, st.title.fontSize, width - _TITLE_COLUMN - 12)
    if len(lines) > MAX_TITLE_LINES:
        raise QuizgenError(f"{source} is too long for the quiz header: {len(title):,} characters take "
                           f"{len(lines) if len(title) <= 2000 else 'over ' + str(len(lines))} lines at the top "
                           f"of each version (the most is {MAX_TITLE_LINES}, about "
                           f"{MAX_TITLE_LINES * 40} characters); shorten it")


def header(meta: BankMeta, title: str, label: str, width: float, count: int) -> list:
    """Title and version letter, the Name / Class / Date lines, then a short subtitle."""
    st = styles()
    version = Paragraph(f"Version {text(label)}", st.heading)
    top = Table([[Paragraph(text(title), st.title), version]], colWidths=[width - _TITLE_COLUMN, _TITLE_COLUMN], hAlign="LEFT")
    top.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.body.fontName), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "CENTER"),
                             ("BOX", (1, 0), (1, 0), 1.2, INK), ("LEFTPADDING", (0, 0), (0, 0), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (1, 0), (1, 0), 2)]))
    fields = Table([["Name", "", "Class", "", "Date", ""]],
                   colWidths=[40, width * 0.46 - 40, 40, width * 0.27 - 48, 36, width * 0.27 - 28],
                   rowHeights=[30], hAlign="LEFT")
    fields.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.body.fontName, 10.5),
                                ("LINEBELOW", (1, 0), (1, 0), 0.6, INK), ("LINEBELOW", (3, 0), (3, 0), 0.6, INK),
                                ("LINEBELOW", (5, 0), (5, 0), 0.6, INK), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                ("LEFTPADDING", (0, 0), (0, 0), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    about = f"{count} questions · facts as of {meta.as_of_label}" if meta.as_of_label else f"{count} questions"
    return [top, Spacer(0, 2), Paragraph(text(about), st.subtitle), fields, Spacer(0, 10)]


def instructions(questions: tuple[Question, ...], width: float) -> list:
    """Answer every question, then one line per kind on the paper, in two columns."""
    st = styles()
    present = {q.kind for q in questions}
    lines = [Paragraph(f"<b>{text(head)}:</b> {text(rest)}", st.small, bulletText="•")
             for head, rest in (INSTRUCTIONS[k].split(": ", 1) for k in INSTRUCTIONS if k in present)]
    half = -(-len(lines) // 2)
    rows = [[lines[i], lines[i + half] if i + half < len(lines) else ""] for i in range(half)]
    box = Table([[Paragraph("<b>Instructions.</b> Answer every question.", st.small), ""]] + rows,
                colWidths=[width / 2, width / 2], hAlign="LEFT")
    box.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.body.fontName),
                             ("BOX", (0, 0), (-1, -1), 0.6, HexColor(RULE)), ("SPAN", (0, 0), (1, 0)),
                             ("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                             ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))
    return [box, Spacer(0, 14)]


def version_flowables(version: QuizVersion, meta: BankMeta, title: str, layout: QuizLayout) -> list:
    width = layout.width
    story = header(meta, title, version.label, width, len(version.questions))
    story += instructions(version.questions, width)
    story += [layout.question(n, q) for n, q in enumerate(version.questions, 1)]
    return story
