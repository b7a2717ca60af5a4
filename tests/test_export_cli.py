"""export_questions (writing, skipping, stdout) and the `quizgen export` command."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import sample_meta, sample_questions

from quizgen.cli import cli
from quizgen.errors import QuizgenError
from quizgen.export import FORMATS, export_questions
from quizgen.question import Kind


def test_writes_the_file_and_reports_skips_by_kind(tmp_path):
    target = tmp_path / "sample.gift.txt"
    summary = export_questions(sample_questions(), sample_meta(), "gift", target)
    assert target.read_bytes().startswith(b"// Sample bank")
    assert summary.size == target.stat().st_size and summary.written == len(sample_questions()) - 2
    assert summary.lines() == [
        "skipped 1 cloze question: GIFT cannot express cloze",
        "skipped 1 chronological order question: GIFT cannot express chronological order",
        f"wrote 9 questions as GIFT to {target} ({summary.size:,} bytes)",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["sample.gift.txt"]     # no temp files left


def test_nothing_exportable_is_an_error_and_leaves_the_old_file_alone(tmp_path):
    target = tmp_path / "quiz.qti.zip"
    target.write_bytes(b"old")
    cloze_only = [q for q in sample_questions() if q.kind is Kind.cloze]
    with pytest.raises(QuizgenError, match="nothing to export as Canvas QTI: Canvas QTI cannot express cloze"):
        export_questions(cloze_only, sample_meta(), "qti", target)
    assert target.read_bytes() == b"old"


def test_missing_output_folder_fails_before_rendering(tmp_path):
    with pytest.raises(QuizgenError, match="output folder does not exist"):
        export_questions(sample_questions(), sample_meta(), "moodle", tmp_path / "nope" / "x.xml")


def test_dash_writes_text_formats_to_stdout_but_refuses_zip(capsysbinary):
    summary = export_questions(sample_questions(), sample_meta(), "csv", "-")
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbfprompt,answer") and len(out) == summary.size
    assert summary.to_stdout and summary.lines()[-1].endswith(f"to stdout ({summary.size:,} bytes)")
    with pytest.raises(QuizgenError, match="zip file"):
        export_questions(sample_questions(), sample_meta(), "qti", "-")


def test_cli_offers_exactly_the_library_formats():
    (fmt_option,) = [p for p in cli.commands["export"].params if p.name == "fmt"]
    assert list(fmt_option.type.choices) == list(FORMATS)


@pytest.mark.parametrize("args, message", [
    (["--format", "qti", "-o", "-"], "error: Canvas QTI is a zip file"),
    (["--format", "gift", "--kinds", "essay"], "error: unknown question kind 'essay'"),
])
def test_cli_mistakes_are_one_line_errors(args, message):
    result = CliRunner().invoke(cli, ["export", *args])
    lines = result.output.splitlines()
    assert result.exit_code == 1 and lines[0].startswith("bank: ") and lines[1].startswith(message) and len(lines) == 2


def test_renderers_need_no_lxml_and_help_imports_no_renderer():
    code = ("import sys\nsys.modules['lxml'] = None   # importing lxml now fails (openpyxl falls back)\n"
            "from samples import sample_questions, sample_meta\n"
            "from quizgen.cli import cli\n"
            "try:\n    cli(['export', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('AFTER_HELP', sorted(m for m in sys.modules if m.startswith('quizgen.export.')))\n"
            "from quizgen.export import FORMATS, render\n"
            "print('RENDERED', [fmt for fmt in FORMATS if render(sample_questions(), sample_meta(), fmt)[0]])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent).stdout
    assert "AFTER_HELP []" in out
    assert "RENDERED ['moodle', 'gift', 'qti', 'csv', 'tsv', 'xlsx', 'json']" in out


def test_cli_exports_the_default_bank(tmp_path, monkeypatch):
    pytest.importorskip("quizgen.generate.generator")
    from quizgen.bank.loader import default_bank_path
    if not default_bank_path().is_dir():
        pytest.skip("the shipped bank is not in this checkout")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "--format", "json"])
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "output").iterdir())
    assert len(written) == 1 and written[0].name.endswith(".json")
    assert result.output.splitlines()[-1].startswith("wrote ")
