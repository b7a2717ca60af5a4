"""The student's paper: a header with Name / Class / Date, instructions, then each question laid out for its kind.

Every question is one KeepTogether, so a page break never splits it. Cloze questions print as
fill-in-the-blank sentences: each hidden word becomes a blank of the same length (no hint from its size).
"""
from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from ..question import BankMeta, Kind, Question
from ..selection import QuizVersion
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


class WriteBox(Flowable):
    """An empty square for the student to write a number or letter in."""

    def __init__(self, size: float = 17):
        super().__init__()
        self.size = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size)


class WritingLine(Flowable):
    """'Answer:' followed by a line to write on, and the unit after it for numeric questions."""

    def __init__(self, width: float, unit: str = ""):
        super().__init__()
        self.width, self.unit = width, unit

    def wrap(self, available_width, available_height):
        return min(self.width, available_width), 26

    def draw(self):
        st = styles()
        canvas = self.canv
        canvas.setFont(st.body.fontName, st.body.fontSize)
        canvas.setFillColor(INK)
        label_end = NUMBER_WIDTH + canvas.stringWidth("Answer:", st.body.fontName, st.body.fontSize) + 6
        canvas.drawString(NUMBER_WIDTH, 6, "Answer:")
        line_end = NUMBER_WIDTH + 290
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(label_end, 4, line_end, 4)
        if self.unit:
            canvas.drawString(line_end + 6, 6, self.unit)


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
    """Lays out questions for one page width; the styles it uses are built once and shared."""

    def __init__(self, width: float):
        self.width = width
        self.st = styles()

    def question(self, number: int, question: Question) -> KeepTogether:
        style = self.st.cloze if question.kind is Kind.cloze else self.st.prompt
        parts: list = [Paragraph(prompt_markup(question), style, bulletText=f"{number}.")]
        parts.extend(self.body(question))
        parts.append(Spacer(0, 10))
        return KeepTogether(parts)

    def body(self, question: Question) -> list:
        kind = question.kind
        if kind in SINGLE_CHOICE:
            return [self.options(question.choices, "{letter}")]
        if kind is Kind.multiple_select:
            return [self.options(question.choices, "☐ {letter}")]
        if kind is Kind.true_false:
            gap = "&nbsp;" * 12
            words = gap.join(f"○&nbsp;&nbsp;{text(c)}" for c in question.choices or ("True", "False"))
            return [Paragraph(words, self.st.answer)]
        if kind is Kind.ordering:
            return [self.boxed_rows([(WriteBox(), item) for item in question.choices])]
        if kind is Kind.matching:
            return [self.matching(question)]
        if kind in (Kind.short_answer, Kind.numeric):
            return [Spacer(0, 4), WritingLine(self.width, question.unit if kind is Kind.numeric else "")]
        return []

    def options(self, choices: tuple[str, ...], bullet: str, two_columns: bool | None = None) -> Flowable:
        """Lettered options, in two columns when they are short enough to fit side by side."""
        st = self.st.option if bullet == "{letter}" else self.st.option_wide
        cells = [Paragraph(text(choice), st, bulletText=bullet.format(letter=letter(i)))
                 for i, choice in enumerate(choices)]
        column = (self.width - NUMBER_WIDTH) / 2
        if two_columns is None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            two_columns = len(choices) in (2, 4) and all(
                stringWidth(c, st.fontName, st.fontSize) < column - st.leftIndent - 12 for c in choices)
        if two_columns:
            rows = [[""] + cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
            widths = [NUMBER_WIDTH, column, column]
        else:
            rows = [["", cell] for cell in cells]
            widths = [NUMBER_WIDTH, self.width - NUMBER_WIDTH]
        table = Table(rows, colWidths=widths, hAlign="LEFT")
        table.setStyle(_OPTION_STYLE)
        return table

    def boxed_rows(self, rows: list[tuple[Flowable, str]]) -> Table:
        """A box to write in, then the item's text; one row per item."""
        data = [["", box, Paragraph(text(item), self.st.body)] for box, item in rows]
        table = Table(data, colWidths=[NUMBER_WIDTH, 26, self.width - NUMBER_WIDTH - 26], hAlign="LEFT")
        table.setStyle(_BOXED_STYLE)
        return table

    def matching(self, question: Question) -> Table:
        """Left: the items, each with a box for a letter; right: the lettered answers to choose from."""
        half = (self.width - NUMBER_WIDTH - 26) / 2
        rows = []
        for i in range(max(len(question.pairs), len(question.choices))):
            row: list = ["", "", ""]
            if i < len(question.pairs):
                row[1:] = [WriteBox(), Paragraph(text(question.pairs[i].left), self.st.body)]
            if i < len(question.choices):
                row.append(Paragraph(text(question.choices[i]), self.st.option, bulletText=letter(i)))
            else:
                row.append("")
            rows.append(row)
        table = Table(rows, colWidths=[NUMBER_WIDTH, 26, half - 8, half + 8], hAlign="LEFT")
        table.setStyle(_BOXED_STYLE)
        return table


_OPTION_STYLE = TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                            ("VALIGN", (0, 0), (-1, -1), "TOP")])


_BOXED_STYLE = TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                           ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])


def header(meta: BankMeta, title: str, label: str, width: float, count: int) -> list:
    """Title and version letter, the Name / Class / Date lines, then a short subtitle."""
    st = styles()
    version = Paragraph(f"Version {text(label)}", st.heading)
    top = Table([[Paragraph(text(title), st.title), version]], colWidths=[width - 110, 110], hAlign="LEFT")
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "CENTER"),
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
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, HexColor(RULE)), ("SPAN", (0, 0), (1, 0)),
                             ("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                             ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))
    return [box, Spacer(0, 14)]


def version_flowables(version: QuizVersion, meta: BankMeta, title: str, width: float) -> list:
    layout = QuizLayout(width)
    story = header(meta, title, version.label, width, len(version.questions))
    story += instructions(version.questions, width)
    story += [layout.question(n, q) for n, q in enumerate(version.questions, 1)]
    return story
