"""`quizgen build`: the main job, its outputs, and that a failed or killed build leaves nothing half-written."""
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from quizgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["red_lines.apkg", "red_lines-quiz.pdf", "red_lines-answer-sheets.pdf", "red_lines-answer-key.pdf",
         "red_lines-answer-key.json", "red_lines-timeline.pdf", "red_lines-practice.html"]


def test_build_writes_deck_quiz_key_and_timeline(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "--timestamp", "1717200000"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(NAMES)
    with zipfile.ZipFile(out / "red_lines.apkg") as archive:
        assert archive.testzip() is None
    quiz = PdfReader(out / "red_lines-quiz.pdf")
    text = "".join(page.extract_text() for page in quiz.pages)
    for letter in "ABCD":
        assert f"Version {letter}" in text
    assert len(PdfReader(out / "red_lines-timeline.pdf").pages) == 1
    assert len(PdfReader(out / "red_lines-answer-sheets.pdf").pages) == 4, "one answer sheet per version"
    assert (out / "red_lines-practice.html").read_text(encoding="utf-8").count('<article class="q"') == 20
    for name in NAMES:
        line = next(line for line in result.output.splitlines() if name in line)
        assert "KiB" in line
    assert "notes" in result.output and "pages" in result.output


def test_failed_build_leaves_existing_files_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "red_lines.apkg").write_bytes(b"the deck from last week")
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "--questions", "100000"])
    assert result.exit_code == 1
    assert "error:" in result.output and "questions" in result.output
    assert (out / "red_lines.apkg").read_bytes() == b"the deck from last week"
    assert [p.name for p in out.iterdir()] == ["red_lines.apkg"]


def test_zero_versions_is_refused_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out" / "deeper"), "--versions", "0"])
    assert result.exit_code == 1 and "versions" in result.output
    assert list(tmp_path.iterdir()) == [], "a failed build creates no --out folder"


def _complete(path: Path) -> bool:
    if path.suffix == ".json":
        return "checksum" in json.loads(path.read_text())
    if path.suffix == ".html":
        return path.read_text(encoding="utf-8").endswith("</html>\n")
    if path.suffix == ".apkg":
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    return len(PdfReader(path).pages) > 0


def test_killed_build_leaves_only_complete_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for delay in (0.25, 0.45, 0.6, 0.75):
        process = subprocess.Popen([sys.executable, "-m", "quizgen.cli", "build", "--out", str(out), "-q"],
                                   env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for path in out.iterdir():
            if path.suffix in (".apkg", ".pdf", ".json", ".html"):
                assert _complete(path), path
            else:
                assert path.name.startswith(".") and path.name.endswith(".part"), path
    for path in out.glob(".*.part"):
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "-q"])
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(NAMES), "the next build clears what a kill left"
