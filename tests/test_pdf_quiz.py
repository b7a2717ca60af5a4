"""The printed class set and its answer key, checked through the text of the PDFs they write."""
import io
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from samples import HOSTILE, sample_meta, sample_questions

from quizgen.classset.selection import make_versions
from quizgen.errors import QuizgenError
from quizgen.pdf import PdfOptions, output_paths, render_key, render_quiz, write_pdfs
from quizgen.pdf.key import answer_code, answer_detail
from quizgen.question import Kind

ROOT = Path(__file__).resolve().parent.parent
FOOTER = re.compile(r"Version ([A-Z]+) · page (\d+) of (\d+)")


def flat(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def pages_text(data: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def by_version(pages: list[str]) -> dict[str, list[str]]:
    """Pages grouped by the version letter in their footer."""
    grouped: dict[str, list[str]] = {}
    for text in pages:
        label = FOOTER.search(text).group(1)
        grouped.setdefault(label, []).append(text)
    return grouped


def printed_prompt(q) -> str:
    """The part of the prompt the paper prints verbatim (a cloze prints its visible text around blanks)."""
    if q.kind is Kind.cloze:
        return max((p.text for p in q.cloze if not p.hole), key=len).strip()
    return q.prompt


def printed_items(q) -> list[str]:
    if q.kind is Kind.matching:
        return [p.left for p in q.pairs] + list(q.choices)
    return list(q.choices)


@pytest.fixture(scope="module")
def class_set():
    versions = make_versions(sample_questions(), 11, 3, seed=5)
    quiz = render_quiz(versions, sample_meta(), "Quiz: red lines & more", "a4")
    key = render_key(versions, sample_meta(), "Quiz: red lines & more", "a4")
    return versions, quiz, key


def test_every_prompt_and_option_prints_in_each_version_in_its_order(class_set):
    versions, quiz, _ = class_set
    grouped = by_version(pages_text(quiz.data))
    assert list(grouped) == ["A", "B", "C"]
    for version in versions:
        text = " ".join(grouped[version.label])
        position = 0
        for number, q in enumerate(version.questions, 1):
            found = text.find(flat(printed_prompt(q)), position)
            assert found >= 0, (version.label, number, q.prompt)
            if q.kind is not Kind.cloze:      # a cloze's printed text starts after a blank
                assert text[max(0, found - 6):found].strip().endswith(f"{number}.")
            position = found
            for item in printed_items(q):
                assert flat(item) in text[position:], (version.label, number, item)


def test_no_question_is_split_across_a_page_break():
    many = [replace(q, id=f"{q.id}-{i}", facts=(f"{q.template}-{i}",)) for i in range(3) for q in sample_questions()]
    versions = make_versions(many, 30, 2, seed=1)
    pages = pages_text(render_quiz(versions, sample_meta(), "Long quiz", "letter").data)
    grouped = by_version(pages)
    assert all(len(p) >= 3 for p in grouped.values())
    for version in versions:
        for number, q in enumerate(version.questions, 1):
            holding = [p for p in grouped[version.label] if flat(printed_prompt(q)) in p]
            assert holding, (number, q.prompt)
            page = holding[0]
            assert all(flat(item) in page for item in printed_items(q)), (version.label, number)


def test_page_numbers_count_pages_per_version(class_set):
    _, quiz, _ = class_set
    pages = pages_text(quiz.data)
    assert quiz.pages == len(pages) == 6
    seen: dict[str, list[tuple[int, int]]] = {}
    for text in pages:
        label, page, total = FOOTER.search(text).groups()
        seen.setdefault(label, []).append((int(page), int(total)))
    for numbers in seen.values():
        assert numbers == [(i, len(numbers)) for i in range(1, len(numbers) + 1)]


def test_versions_hold_the_same_questions_in_other_orders(class_set):
    versions, quiz, _ = class_set
    grouped = by_version(pages_text(quiz.data))
    orders = []
    for version in versions:
        text = " ".join(grouped[version.label])
        prompts = [printed_prompt(q) for q in sample_questions()]
        assert all(flat(p) in text for p in prompts)
        orders.append(sorted(prompts, key=lambda p: text.find(flat(p))))
    assert len({tuple(o) for o in orders}) == 3


def test_key_has_every_answer_of_every_version(class_set):
    versions, _, key = class_set
    pages = pages_text(key.data)
    assert key.pages == len(pages)
    grouped = {}
    for text in pages:
        grouped.setdefault(re.search(r"Answer key · Version ([A-Z]+) · page", text).group(1), []).append(text)
    for version in versions:
        text = " ".join(grouped[version.label])
        assert f"Answer key · Version {version.label}" in text
        for number, q in enumerate(version.questions, 1):
            assert flat(answer_detail(q)) in text, (version.label, number)
            assert flat(q.explanation) in text
            assert flat(q.source.quote) in text
        grid = text[:text.index("Answers explained")]
        for number, q in enumerate(version.questions, 1):
            assert re.search(rf"\b{number} {re.escape(flat(answer_code(q)))}", grid), (version.label, number)


def test_answer_codes_follow_the_printed_letters():
    by_template = {q.template: q for q in sample_questions()}
    mc = by_template["mc"]
    assert answer_code(mc) == "B"
    assert answer_code(replace(mc, choices=("Joe Biden", "Olaf Scholz"))) == "A"
    assert answer_code(by_template["ms"]) == "A, C"
    assert answer_code(by_template["order"]) == "2 · 3 · 1"
    assert answer_code(by_template["match"]) == "B · A"
    assert answer_code(by_template["cloze"]) == "August 2023 / Joe Biden"
    assert answer_code(by_template["num"]) == "90 F-16s"
    assert "also accept: Danish government" in answer_detail(by_template["short"])


def test_hostile_text_prints_as_written_in_the_shipped_font(class_set):
    _, quiz, key = class_set
    assert HOSTILE in flat(" ".join(pages_text(quiz.data)))
    assert f"Explained: {HOSTILE}" in flat(" ".join(pages_text(key.data)))
    assert "EL PAÍS" in " ".join(pages_text(key.data))
    fonts = set()
    for data in (quiz.data, key.data):
        for page in PdfReader(io.BytesIO(data)).pages:
            fonts |= {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in f for f in fonts), fonts


def test_same_seed_gives_byte_identical_files(tmp_path):
    options = PdfOptions(questions=11, versions=3, seed=9, timeline=True)
    (tmp_path / "a").mkdir()
    first = write_pdfs(sample_meta(), sample_questions(), tmp_path / "a" / "x-quiz.pdf", options)
    second = write_pdfs(sample_meta(), sample_questions(), tmp_path / "x-quiz.pdf", options)
    for one, two in zip(first, second):
        assert one.path.read_bytes() == two.path.read_bytes()
    other = write_pdfs(sample_meta(), sample_questions(), tmp_path / "y-quiz.pdf", replace(options, seed=10))
    assert other[0].path.read_bytes() != second[0].path.read_bytes()


def test_a_fresh_process_writes_the_same_bytes(tmp_path):
    code = ("from pathlib import Path\n"
            "from samples import sample_meta, sample_questions\n"
            "from quizgen.pdf import PdfOptions, write_pdfs\n"
            f"write_pdfs(sample_meta(), sample_questions(), Path({str(tmp_path / 'f-quiz.pdf')!r}), "
            "PdfOptions(questions=11, versions=2, seed=3, timeline=True))\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT / "tests", check=True)
    here = write_pdfs(sample_meta(), sample_questions(), tmp_path / "h-quiz.pdf",
                      PdfOptions(questions=11, versions=2, seed=3, timeline=True))
    names = ("f-quiz.pdf", "f-answer-key.pdf", "f-answer-key.json", "f-timeline.pdf")
    assert [w.path.name.replace("h-", "f-") for w in here] == list(names)
    for written, name in zip(here, names):
        assert written.path.read_bytes() == (tmp_path / name).read_bytes(), name


def test_files_go_beside_the_quiz_and_the_key_is_optional(tmp_path):
    paths = output_paths(tmp_path / "red_lines-quiz.pdf")
    assert paths["key"].name == "red_lines-answer-key.pdf" and paths["timeline"].name == "red_lines-timeline.pdf"
    written = write_pdfs(sample_meta(), sample_questions(), tmp_path / "red_lines-quiz.pdf",
                         PdfOptions(questions=5, key=False))
    assert [w.path.name for w in written] == ["red_lines-quiz.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["red_lines-quiz.pdf"]
    assert written[0].pages == len(PdfReader(written[0].path).pages)


def test_bad_destination_or_options_write_nothing(tmp_path):
    with pytest.raises(QuizgenError, match="does not exist"):
        write_pdfs(sample_meta(), sample_questions(), tmp_path / "missing" / "q.pdf", PdfOptions())
    with pytest.raises(QuizgenError, match="only 11"):
        write_pdfs(sample_meta(), sample_questions(), tmp_path / "q.pdf", PdfOptions(questions=40))
    with pytest.raises(QuizgenError, match="paper"):
        write_pdfs(sample_meta(), sample_questions(), tmp_path / "q.pdf", PdfOptions(paper="a3"))
    assert list(tmp_path.iterdir()) == []


def test_first_page_renders_ink_but_is_not_black(class_set):
    pdfium = pytest.importorskip("pypdfium2")
    _, quiz, key = class_set
    for data in (quiz.data, key.data):
        image = pdfium.PdfDocument(data)[0].render(scale=0.5).to_pil().convert("L")
        dark = sum(image.histogram()[:128]) / (image.width * image.height)
        assert 0.01 < dark < 0.25, dark


def test_cli_writes_the_class_set(tmp_path):
    pytest.importorskip("quizgen.generate.generator")
    from click.testing import CliRunner

    from quizgen.cli import cli

    out = tmp_path / "q-quiz.pdf"
    result = CliRunner().invoke(cli, ["pdf", "-o", str(out), "--questions", "5", "--versions", "2", "--timeline"])
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "q-answer-key.pdf").exists() and (tmp_path / "q-timeline.pdf").exists()
    assert (tmp_path / "q-answer-key.json").exists()
    assert result.output.count("wrote ") == 4


def test_default_count_is_what_the_chosen_kinds_can_supply(tmp_path):
    written = write_pdfs(sample_meta(), sample_questions(), tmp_path / "k-quiz.pdf",
                         PdfOptions(kinds=("true_false,numeric",), key=False))
    assert "of 2 questions" in written[0].what
    text = " ".join(pages_text(written[0].path.read_bytes()))
    assert "How many F-16s" in text and "Germany supplied Taurus" in text and "Who approved" not in text
