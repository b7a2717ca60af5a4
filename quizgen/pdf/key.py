"""The answer key, a file of its own: per version, a grid for fast marking, then every answer explained.

Letters and box numbers refer to the version's printed order, so each version has its own key.
"""
from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ..classset.selection import QuizVersion
from ..question import BankMeta, Kind, Question
from .blocks import Block, Cell, Label, Paragraphs, Row
from .quiz import SINGLE_CHOICE, letter, prompt_markup
from .styles import NUMBER_WIDTH, RULE, styles, text

GRID_COLUMNS = 3


def _letter_of(question: Question, choice: str) -> str:
    return letter(question.choices.index(choice))


def _cloze_answers(question: Question) -> list[tuple[int, str]]:
    """(blank number, hidden text) in the order the blanks are numbered on the paper."""
    holes = sorted({part.hole for part in question.cloze if part.hole})
    hidden: dict[int, str] = {}
    for part in question.cloze:
        if part.hole and part.hole not in hidden:
            hidden[part.hole] = part.text
    return [(holes.index(h) + 1, hidden[h]) for h in holes]


def answer_code(question: Question) -> str:
    """The short form for the marking grid: what the student should have circled, ticked or written."""
    kind = question.kind
    if kind in SINGLE_CHOICE:
        return _letter_of(question, question.answer)
    if kind is Kind.true_false:
        return question.answer
    if kind is Kind.multiple_select:
        return ", ".join(sorted(_letter_of(question, a) for a in question.answers))
    if kind is Kind.ordering:
        return " · ".join(str(question.answers.index(item) + 1) for item in question.choices)
    if kind is Kind.matching:
        return " · ".join(_letter_of(question, pair.right) for pair in question.pairs)
    if kind is Kind.cloze and question.cloze:
        return " / ".join(hidden for _, hidden in _cloze_answers(question))
    if kind is Kind.numeric and question.unit:
        return f"{question.answer} {question.unit_for(question.answer)}"
    return " / ".join(question.answers)


def answer_detail(question: Question) -> str:
    """The answer in words, for the explained list (plain text; the caller escapes it)."""
    kind = question.kind
    if kind in SINGLE_CHOICE:
        return f"{_letter_of(question, question.answer)} — {question.answer}"
    if kind is Kind.multiple_select:
        picked = sorted((_letter_of(question, a), a) for a in question.answers)
        return "; ".join(f"{code} — {a}" for code, a in picked)
    if kind is Kind.ordering:
        return (f"boxes top to bottom: {', '.join(answer_code(question).split(' · '))}. "
                f"Earliest first: {'; '.join(a.rstrip('.') for a in question.answers)}.")
    if kind is Kind.matching:
        return "; ".join(f"{p.left} → {_letter_of(question, p.right)} {p.right}" for p in question.pairs)
    if kind is Kind.cloze and question.cloze:
        answers = _cloze_answers(question)
        if len(answers) == 1:
            return answers[0][1]
        return "; ".join(f"({n}) {hidden}" for n, hidden in answers)
    detail = answer_code(question)
    if question.accepted:
        detail += f" (also accept: {'; '.join(question.accepted)})"
    return detail


def _source_line(question: Question) -> str:
    source = question.source
    where = ", ".join(text(x) for x in (source.publisher, source.title) if x)
    if source.quote:
        return f"Source: “{text(source.quote)}”" + (f" — {where}" if where else "")
    return f"Source: {where}" if where else ""


def grid(version: QuizVersion, width: float) -> Table:
    """Question number to answer, numbered down each column, for marking at a glance."""
    st = styles()
    codes = [(str(n), answer_code(q)) for n, q in enumerate(version.questions, 1)]
    rows_n = -(-len(codes) // GRID_COLUMNS)
    pair = width / GRID_COLUMNS
    rows = []
    for r in range(rows_n):
        row: list = []
        for c in range(GRID_COLUMNS):
            i = c * rows_n + r
            row += ([codes[i][0], Paragraph(text(codes[i][1]), st.cell)]
                    if i < len(codes) else ["", ""])
        rows.append(row)
    table = Table(rows, colWidths=[26, pair - 26] * GRID_COLUMNS, hAlign="LEFT")
    commands = [("FONT", (0, 0), (-1, -1), st.cell_bold.fontName, 9), ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.4, HexColor(RULE)), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5)]
    commands += [("BACKGROUND", (2 * c, 0), (2 * c, -1), HexColor("#EEEEEE")) for c in range(GRID_COLUMNS)]
    table.setStyle(TableStyle(commands))
    return table


class KeyLayout:
    """Lays out the explained answers; shared by all versions, so shared text is laid out once."""

    def __init__(self, width: float):
        self.width = width
        self.st = styles()
        self.para = Paragraphs()

    def explained(self, number: int, question: Question) -> Block:
        st, para = self.st, self.para
        number_label = Label(f"{number}.", st.prompt.fontName, st.body.fontSize, st.body.leading)
        rows = [Row((Cell(0, number_label), Cell(NUMBER_WIDTH, para(prompt_markup(question), st.prompt))), space=2),
                Row((Cell(NUMBER_WIDTH, para(f"<b>Answer:</b> {text(answer_detail(question))}", st.body)),),
                    space=1)]
        if question.explanation:
            rows.append(Row((Cell(NUMBER_WIDTH, para(f"<b>Why:</b> {text(question.explanation)}", st.note)),)))
        source = _source_line(question)
        if source:
            rows.append(Row((Cell(NUMBER_WIDTH, para(source, st.note)),)))
        rows[-1] = Row(rows[-1].cells, 9)
        return Block(rows)

    def version(self, version: QuizVersion, meta: BankMeta, title: str) -> list:
        st = self.st
        about = f"{len(version.questions)} questions"
        if meta.as_of_label:
            about += f" · facts as of {meta.as_of_label}"
        story = [Paragraph(f"Answer key · Version {text(version.label)}", st.title), Spacer(0, 2),
                 Paragraph(f"{text(title)} · {text(about)} · for the teacher: do not hand out", st.subtitle),
                 Spacer(0, 10), grid(version, self.width), Spacer(0, 14),
                 Paragraph("Answers explained", st.heading)]
        story += [self.explained(n, q) for n, q in enumerate(version.questions, 1)]
        return story
