"""Answer sheets printed, filled in by program, "scanned" with noise, rotation, scaling and low resolution,
then marked: every answer and score must come back right, and unclear marks must be flagged, not guessed."""
import csv
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

cv2 = pytest.importorskip("cv2")
pytest.importorskip("zxingcpp")
pdfium = pytest.importorskip("pypdfium2")
import numpy as np
from samples import sample_meta, sample_questions

from quizgen.classset.answer_key import AnswerKey, load_key, parse_qr
from quizgen.classset.sheet_layout import BUBBLE_R, sheet_layout
from quizgen.errors import QuizgenError
from quizgen.marking import find_keys, mark_page, mark_scans
from quizgen.pdf import PdfOptions, write_pdfs
from quizgen.pdf.key import answer_code
from quizgen.question import Kind

ROOT = Path(__file__).resolve().parent.parent
DPI = 150


@pytest.fixture(scope="module")
def class_set(tmp_path_factory):
    """The red-lines bank, 3 versions of 40 questions (about 20 on the sheet, in two columns), printed."""
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate

    folder = tmp_path_factory.mktemp("print")
    result = generate(load_bank(None), seed=0)
    written = write_pdfs(result.meta, result.questions, folder / "rl-quiz.pdf",
                         PdfOptions(questions=40, versions=3, seed=4, answer_sheet=True, student_digits=7))
    key = load_key(folder / "rl-answer-key.json")
    document = pdfium.PdfDocument(str(folder / "rl-answer-sheets.pdf"))
    pages = [document[i].render(scale=DPI / 72, grayscale=True).to_numpy().copy() for i in range(len(document))]
    return folder, written, key, pages


def px(value: float, dpi: int = DPI) -> int:
    return round(value * dpi / 72)


def fill(image, bubble, rng, how="full"):
    """A pen mark over the bubble: full (slightly off-centre and uneven), half, or a light tick."""
    x, y = px(bubble.x + rng.uniform(-0.6, 0.6)), px(bubble.y + rng.uniform(-0.6, 0.6))
    ink = rng.randint(20, 70)
    if how == "full":
        cv2.circle(image, (x, y), px(BUBBLE_R * rng.uniform(0.85, 1.05)), ink, -1)
    elif how == "half":   # exactly half the bubble: an off-centre half could cover most of the measured disc
        centre = (px(bubble.x), px(bubble.y))
        cv2.ellipse(image, centre, (px(BUBBLE_R), px(BUBBLE_R)), 0, 0, 180, ink, -1)


def student_sheet(pages, key, index, rng):
    """A filled-in sheet of version `index`: a random student number and random answers (some blank)."""
    version = key.versions[index]
    layout = sheet_layout(key.paper, key.student_digits, version)
    image = pages[index].copy()
    number = "".join(rng.choice("0123456789") for _ in layout.digits)
    for column, digit in zip(layout.digits, number):
        fill(image, column[int(digit)], rng)
    answers = {}
    for row in layout.rows:
        labels = [b.label for b in row.bubbles]
        if rng.random() < 0.1:
            chosen = []
        elif row.multiple:
            chosen = sorted(rng.sample(labels, rng.randint(1, 3)))
        else:
            chosen = [rng.choice(labels)]
        for bubble in row.bubbles:
            if bubble.label in chosen:
                fill(image, bubble, rng)
        answers[row.number] = "".join(chosen)
    right = {q.number: "".join(q.right) for q in version.on_sheet}
    score = sum(answers[n] == right[n] for n in answers)
    return image, number, answers, score


def scanned(image, rng, angle=0.0, scale=1.0, dpi=DPI, noise=8.0, perspective=0.0, flip=False):
    """A scanner's copy: rotated, scaled, resampled to `dpi`, warped a little, with sensor noise."""
    h, w = image.shape
    factor = scale * dpi / DPI
    turn = np.radians(angle)
    cos, sin = abs(np.cos(turn)), abs(np.sin(turn))
    canvas_w = round((w * cos + h * sin) * factor * 1.04)
    canvas_h = round((w * sin + h * cos) * factor * 1.04)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, factor)
    matrix[0, 2] += canvas_w / 2 - w / 2
    matrix[1, 2] += canvas_h / 2 - h / 2
    out = cv2.warpAffine(image, matrix, (canvas_w, canvas_h), flags=cv2.INTER_AREA, borderValue=245)
    if perspective:
        d = perspective * canvas_w
        src = np.float32([[0, 0], [canvas_w, 0], [canvas_w, canvas_h], [0, canvas_h]])
        dst = np.float32([[d, 0], [canvas_w - d / 2, d / 3], [canvas_w, canvas_h], [0, canvas_h - d]])
        out = cv2.warpPerspective(out, cv2.getPerspectiveTransform(src, dst), (canvas_w, canvas_h),
                                  borderValue=245)
    out = out.astype(np.float32) * 0.92 + np.random.default_rng(rng.randint(0, 10**6)).normal(0, noise, out.shape)
    out = np.clip(out, 0, 255).astype(np.uint8)
    return cv2.rotate(out, cv2.ROTATE_180) if flip else out


DISTORTIONS = {
    "clean": {},
    "rotated 3 degrees, noisy": {"angle": 3.0, "noise": 14.0},
    "rotated -4.5 degrees, scaled 0.85": {"angle": -4.5, "scale": 0.85},
    "100 dpi JPEG, rotated 2 degrees": {"angle": 2.0, "dpi": 100, "jpeg": 60},
    "skewed (perspective), scaled 1.1": {"perspective": 0.02, "scale": 1.1},
    "upside down, 120 dpi JPEG": {"flip": True, "angle": 1.0, "dpi": 120, "jpeg": 75},
}


def save(folder, name, image, jpeg=None):
    path = folder / (f"{name}.jpg" if jpeg else f"{name}.png")
    params = [cv2.IMWRITE_JPEG_QUALITY, jpeg] if jpeg else []
    cv2.imwrite(str(path), image, params)
    return path


def test_every_answer_and_score_survives_scanning(class_set, tmp_path):
    folder, _, key, pages = class_set
    rng = random.Random(11)
    expected = {}
    scans = []
    for i, (name, how) in enumerate(DISTORTIONS.items()):
        how = dict(how)
        jpeg = how.pop("jpeg", None)
        image, number, answers, score = student_sheet(pages, key, i % len(key.versions), rng)
        path = save(tmp_path, f"scan{i}", scanned(image, rng, **how), jpeg)
        scans.append(path)
        expected[str(path)] = (name, number, key.versions[i % len(key.versions)].label, answers, score)
    summary = mark_scans(scans, [folder / "rl-answer-key.json"], tmp_path / "results.csv")
    assert summary.problem_lines() == []
    rows = list(csv.DictReader(io.StringIO((tmp_path / "results.csv").read_text())))
    assert len(rows) == len(DISTORTIONS)
    for row in rows:
        name, number, label, answers, score = expected[row["file"]]
        assert (row["student"], row["version"], row["status"]) == (number, label, "ok"), name
        assert {n: row[f"q{n}"] for n in answers} == {n: a for n, a in answers.items()}, name
        assert (int(row["score"]), int(row["max_score"])) == (score, len(answers)), name


def test_a_multi_page_pdf_scan_is_marked_page_by_page_with_the_key_found_beside_it(class_set, tmp_path,
                                                                                   monkeypatch):
    from PIL import Image

    monkeypatch.chdir(tmp_path)     # keys are also looked for in ./output: not in the checkout's

    folder, _, key, pages = class_set
    rng = random.Random(5)
    sheets = [student_sheet(pages, key, i, rng) for i in (2, 0, 1)]
    images = [Image.fromarray(scanned(s[0], rng, angle=-1.5, dpi=100)) for s in sheets]
    images[0].save(tmp_path / "class.pdf", save_all=True, append_images=images[1:], resolution=100)
    (tmp_path / "rl-answer-key.json").write_bytes((folder / "rl-answer-key.json").read_bytes())
    summary = mark_scans([tmp_path / "class.pdf"], [], tmp_path / "out.csv")
    assert [(r.page, r.version, r.status) for r in summary.results] == [(1, "C", "ok"), (2, "A", "ok"),
                                                                        (3, "B", "ok")]
    for result, (_, number, answers, score) in zip(summary.results, sheets):
        assert (result.student, result.answers, result.score) == (number, answers, score)


def test_half_filled_and_double_filled_bubbles_are_unclear_never_guessed(class_set):
    folder, _, key, pages = class_set
    rng = random.Random(3)
    version = key.versions[0]
    layout = sheet_layout(key.paper, key.student_digits, version)
    image, number, answers, _ = student_sheet(pages, key, 0, rng)
    single = [r for r in layout.rows if not r.multiple]
    half_row, double_row = single[0], single[1]
    multi = next(r for r in layout.rows if r.multiple)
    for row in (half_row, double_row, multi):
        for bubble in row.bubbles:        # start each from a clean row
            cv2.circle(image, (px(bubble.x), px(bubble.y)), px(BUBBLE_R) - 1, 255, -1)
            cv2.circle(image, (px(bubble.x), px(bubble.y)), px(BUBBLE_R), 0, 1)
    fill(image, half_row.bubbles[1], rng, "half")
    fill(image, double_row.bubbles[0], rng)
    fill(image, double_row.bubbles[1], rng)
    fill(image, multi.bubbles[0], rng)
    fill(image, multi.bubbles[2], rng)
    keys = find_keys([], [folder / "rl-answer-key.json"])
    result = mark_page(scanned(image, rng, angle=2.0, dpi=100), "s.png", 1, keys)
    assert result.status == "check" and result.student == number
    assert result.answers[half_row.number] == "?" and result.answers[double_row.number] == "?"
    assert result.answers[multi.number] == multi.bubbles[0].label + multi.bubbles[2].label
    assert any(f"question {half_row.number}: unclear mark on {half_row.bubbles[1].label}" in p
               for p in result.problems)
    assert any(f"question {double_row.number}:" in p and "one answer expected" in p for p in result.problems)
    assert len(result.problems) == 2
    others = [n for n in answers if n not in (half_row.number, double_row.number, multi.number)]
    assert all(result.answers[n] == answers[n] for n in others)


def test_unreadable_pages_are_listed_with_a_reason(class_set, tmp_path):
    folder, _, key, pages = class_set
    rng = random.Random(8)
    blank = np.full((1200, 850), 250, np.uint8)
    image = student_sheet(pages, key, 1, rng)[0]
    cropped = image[: image.shape[0] * 9 // 10]                  # bottom corner squares cut off
    other = pages[2].copy()
    cv2.rectangle(other, (px(44), px(268)), (px(190), px(300)), 0, -1)   # ink across the student number
    paths = [save(tmp_path, "blank", blank), save(tmp_path, "cropped", cropped), save(tmp_path, "inked", other)]
    (tmp_path / "notes.png").write_text("not an image")
    paths.append(tmp_path / "notes.png")
    summary = mark_scans(paths, [folder / "rl-answer-key.json"], tmp_path / "r.csv")
    status = {Path(r.file).name: (r.status, " ".join(r.problems)) for r in summary.results}
    assert status["blank.png"][0] == "unreadable" and "QR code" in status["blank.png"][1]
    assert status["cropped.png"][0] == "unreadable" and "corner squares" in status["cropped.png"][1]
    assert status["notes.png"][0] == "unreadable" and "image" in status["notes.png"][1]
    assert status["inked.png"][0] == "check" and "student number" in status["inked.png"][1]
    assert len(summary.problem_lines()) >= 4


def test_the_json_key_matches_the_printed_key_and_refuses_edits(class_set, tmp_path):
    folder, written, key, _ = class_set
    assert [w.path.name for w in written] == ["rl-quiz.pdf", "rl-answer-sheets.pdf", "rl-answer-key.pdf",
                                              "rl-answer-key.json"]
    assert written[1].pages == 3 and written[3].pages == 0
    data = json.loads((folder / "rl-answer-key.json").read_text())
    assert data["checksum"] == key.checksum and data["seed"] == 4 and data["bank"] == "red_lines"
    for version in key.versions:
        numbers = [q.number for q in version.questions]
        assert numbers == list(range(1, 41))
        for q in version.questions:
            assert q.on_sheet == (Kind(q.kind) in (Kind.multiple_choice, Kind.multiple_select, Kind.true_false,
                                                    Kind.which_first, Kind.quote))
            assert set(q.right) <= set(q.letters)
            assert (len(q.right) >= 1) if q.on_sheet else q.right == ()
    data["versions"][0]["questions"][0]["right"] = ["Z"]
    (tmp_path / "edited-answer-key.json").write_text(json.dumps(data))
    with pytest.raises(QuizgenError, match="changed"):
        load_key(tmp_path / "edited-answer-key.json")
    (tmp_path / "x-answer-key.json").write_text("{}")
    with pytest.raises(QuizgenError, match="not a quizgen answer key"):
        load_key(tmp_path / "x-answer-key.json")


def test_right_letters_agree_with_the_answer_key_pdf_and_qr_carries_the_checksum():
    from quizgen.classset.selection import make_versions

    versions = make_versions(sample_questions(), 11, 2, seed=9)
    key = AnswerKey.from_versions(versions, sample_meta(), "T", 9, "a4", 6)
    for version, printed in zip(key.versions, versions):
        for q, question in zip(version.questions, printed.questions):
            if question.kind is Kind.true_false:
                assert q.right == (answer_code(question)[0],) and q.letters == ("T", "F")
            elif q.on_sheet:
                assert ", ".join(q.right) == answer_code(question)
            else:
                assert q.letters == ()
        data = parse_qr(key.qr_text(version.label))
        assert (data.checksum, data.version, data.seed, data.bank) == (key.checksum, version.label, "9", "sample")
    assert parse_qr("https://example.com") is None


def test_sheet_layout_keeps_bubbles_apart_and_on_the_page(class_set):
    _, _, key, _ = class_set
    for version in key.versions:
        layout = sheet_layout(key.paper, key.student_digits, version)
        assert [r.number for r in layout.rows] == [q.number for q in version.on_sheet]
        centres = [(b.x, b.y) for r in layout.rows for b in r.bubbles] + [(b.x, b.y) for c in layout.digits
                                                                           for b in c]
        for i, (x, y) in enumerate(centres):
            assert 48 <= x - BUBBLE_R and x + BUBBLE_R <= layout.width - 48
            assert 150 < y and y + BUBBLE_R < layout.height - 60
            assert all((x - u) ** 2 + (y - v) ** 2 >= (2 * BUBBLE_R + 2) ** 2 for u, v in centres[i + 1:])
        assert len({column[0].x for column in layout.digits}) == key.student_digits


def test_sheets_are_byte_identical_for_the_same_seed(tmp_path):
    options = PdfOptions(questions=11, versions=2, seed=3, answer_sheet=True, key=False)
    one = write_pdfs(sample_meta(), sample_questions(), tmp_path / "a-quiz.pdf", options)
    two = write_pdfs(sample_meta(), sample_questions(), tmp_path / "b-quiz.pdf", options)
    assert [w.path.name for w in one] == ["a-quiz.pdf", "a-answer-sheets.pdf", "a-answer-key.json"]
    for a, b in zip(one, two):
        assert a.path.read_bytes() == b.path.read_bytes()


def test_too_many_or_no_bubble_questions_is_a_clear_error(tmp_path):
    from dataclasses import replace

    pool = [replace(q, id=f"{q.id}{i}", facts=(f"{q.id}{i}",)) for q in sample_questions()
            if q.kind is Kind.true_false for i in range(120)]
    with pytest.raises(QuizgenError, match="answer sheet holds at most"):
        write_pdfs(sample_meta(), pool, tmp_path / "q-quiz.pdf", PdfOptions(questions=120, answer_sheet=True))
    with pytest.raises(QuizgenError, match="no question in this quiz has bubbles"):
        write_pdfs(sample_meta(), sample_questions(), tmp_path / "q-quiz.pdf",
                   PdfOptions(kinds=("cloze,numeric",), answer_sheet=True))
    assert list(tmp_path.iterdir()) == []


def test_cli_marks_scans_and_lists_problems_on_stderr(class_set, tmp_path):
    from click.testing import CliRunner

    from quizgen.cli import cli

    folder, _, key, pages = class_set
    rng = random.Random(2)
    image = student_sheet(pages, key, 0, rng)[0]
    good = save(folder, "cli-good", scanned(image, rng, angle=1.0))
    blank = save(folder, "cli-blank", np.full((900, 640), 255, np.uint8))
    out = tmp_path / "results.csv"
    result = CliRunner().invoke(cli, ["mark", str(good), str(blank), "-o", str(out),
                                      "--key", str(folder / "rl-answer-key.json")])
    assert result.exit_code == 0, result.output + result.stderr
    assert "marked 2 sheets: 1 ok, 0 to check, 1 unreadable" in result.output
    assert "unreadable: " in result.stderr and "cli-blank.png" in result.stderr
    rows = list(csv.reader(out.open()))
    assert rows[0][:8] == ["file", "page", "student", "version", "score", "max_score", "status", "problems"]
    assert [r[6] for r in rows[1:]] == ["ok", "unreadable"]


def test_mark_without_the_optional_libraries_says_how_to_install(tmp_path):
    scan = tmp_path / "s.png"
    scan.write_bytes(b"x")
    code = ("import sys\nsys.modules['cv2'] = None\nfrom quizgen.cli import cli\n"
            f"cli(['mark', {str(scan)!r}])\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip() == "error: quizgen mark needs: pip install 'quizgen[mark]'"


def test_help_does_not_import_the_marking_libraries():
    code = ("import sys\nfrom quizgen.cli import cli\n"
            "try:\n    cli(['mark', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', [m for m in ('cv2', 'zxingcpp', 'segno', 'numpy', 'pypdfium2') if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_a_forged_qr_code_and_file_name_reach_results_csv_only_as_text(class_set, tmp_path, monkeypatch):
    """A student can print their own QR code: what it says must not run as a formula in results.csv."""
    import segno

    folder, _, key, _ = class_set
    forged = "-1+cmd|' /C calc'!A0"                       # no ":" (the QR fields are ":"-separated)
    monkeypatch.chdir(tmp_path)
    segno.make(f"quizgen:1:{key.checksum}:{forged}:0:@SUM(1)", error="m").save("=HYPERLINK(x).png", scale=6,
                                                                               border=6)
    summary = mark_scans([Path("=HYPERLINK(x).png")], [folder / "rl-answer-key.json"], tmp_path / "results.csv")
    assert [r.version for r in summary.results] == [forged]
    rows = list(csv.reader((tmp_path / "results.csv").open(encoding="utf-8")))
    assert rows[1][:4] == ["'=HYPERLINK(x).png", "1", "", "'" + forged]
    for cell in (c for row in rows for c in row):
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r") or cell == "-" or cell.lstrip("-").isdigit()
