"""`quizgen pdf` and `quizgen build` with the bank loaded and generated in a forked process: the same files,
lines, warnings and errors as in one process, and no process left behind whatever happens."""
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.cli import cli
from quizgen.errors import Problem, QuizgenError
from quizgen.pdf import background
from quizgen.pdf.background import Ahead

pytestmark = pytest.mark.skipif(not background.can_fork(), reason="forks only on Linux with two cores")


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _run(args: list[str], fork: bool, monkeypatch) -> tuple[int, str, str]:
    """The command in this process; with `fork`, the test fails unless it did fork."""
    started = []
    start = Ahead.start

    def counted(*arguments):
        ahead = start(*arguments)
        started.append(ahead is not None)
        return ahead

    with monkeypatch.context() as patch:
        patch.setattr(background, "core_free", lambda: fork)
        patch.setattr(Ahead, "start", counted)
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert _no_children_left()
    assert any(started) == fork
    return result.exit_code, result.stdout, re.sub(r"\[ *\d+\.\d\ds\]", "[time]", result.stderr)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_build_forked_is_build_in_one_process(tmp_path, monkeypatch):
    runs = {}
    for fork in (False, True):
        out = tmp_path / str(fork)
        code, stdout, stderr = _run(["build", "--out", str(out), "--timestamp", "1717200000"], fork, monkeypatch)
        assert code == 0, stderr
        runs[fork] = (stdout.replace(str(out), "OUT"), stderr, _files(out))
    assert runs[True] == runs[False]
    assert runs[True][1].count("[time]") == 6, "every progress line, in order"


@pytest.mark.parametrize("args", [["--versions", "3", "--answer-sheet", "--timeline"], ["--questions", "5", "--no-key"],
                                  ["--kinds", "true_false", "--versions", "2", "--different-questions"]])
def test_pdf_forked_is_pdf_in_one_process(tmp_path, monkeypatch, args):
    runs = {}
    for fork in (False, True):
        out = tmp_path / str(fork)
        out.mkdir()
        code, stdout, stderr = _run(["pdf", "-o", str(out / "x-quiz.pdf"), *args], fork, monkeypatch)
        assert code == 0, stderr
        runs[fork] = (stdout.replace(str(out), "OUT"), stderr, _files(out))
    assert runs[True] == runs[False]


@pytest.mark.parametrize("args", [
    ["--bank", "no-such-bank"],
    ["--questions", "900"],
    ["--templates", "no_such_template", "-o", "no/such/folder/x-quiz.pdf"],
    ["--templates", "no_such_template"],
    ["--versions", "0"],
    ["--title", "a long title " * 60],
])
def test_pdf_errors_are_the_same_forked(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    runs = {fork: _run(["pdf", *args], fork, monkeypatch) for fork in (False, True)}
    assert runs[True] == runs[False]
    assert runs[True][0] == 1 and "error: " in runs[True][2]


def test_build_errors_are_the_same_forked(tmp_path, monkeypatch, bank_copy):
    (bank_copy / "events.yaml").write_text("- id: broken\n  date: not a date\n- id: broken\n", encoding="utf-8")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the output folder would go")
    for args in (["--bank", str(bank_copy)], ["--out", str(blocked / "out")], ["--versions", "0"]):
        runs = {fork: _run(["build", "--out", str(tmp_path / "o"), *args], fork, monkeypatch) for fork in (False, True)}
        assert runs[True] == runs[False], args
        assert runs[True][0] == 1
    assert not (tmp_path / "o").exists()


@pytest.fixture(autouse=True)
def _a_core_is_free(monkeypatch):
    """These tests are about forking: as if the machine were idle."""
    monkeypatch.setattr(background, "core_free", lambda: True)


def _values(*values):
    yield from values


def _fails_after_one():
    yield 1
    raise QuizgenError(problems=[Problem("first", "a.yaml", 3, 4), Problem("second")])


def _dies():
    yield "ready"
    os._exit(3)


def _bug():
    yield "ready"
    raise KeyError("no such thing")


def test_ahead_sends_values_and_errors_in_order():
    with Ahead.start(_values, "a", {"b": [1, 2]}) as ahead:
        assert ahead.next() == "a" and ahead.next() == {"b": [1, 2]}
    with Ahead.start(_fails_after_one) as ahead:
        assert ahead.next() == 1
        with pytest.raises(QuizgenError) as caught:
            ahead.next()
    assert caught.value.problems == [Problem("first", "a.yaml", 3, 4), Problem("second")]
    with Ahead.start(_bug) as ahead:
        ahead.next()
        with pytest.raises(KeyError) as bug:
            ahead.next()
    assert "raised in the worker process" in "".join(bug.value.__notes__)
    assert _no_children_left()


def test_a_dead_child_is_an_error_not_a_hang():
    with Ahead.start(_dies) as ahead:
        assert ahead.next() == "ready"
        with pytest.raises(RuntimeError, match="ended before its work was done"):
            ahead.next()
    assert _no_children_left()


def test_an_unread_child_is_killed_and_reaped():
    ahead = Ahead.start(_values, *range(100_000))
    ahead.close()
    ahead.close()
    assert _no_children_left()


@pytest.mark.parametrize("runnable, free", [(1, True), (2, True), (3, False), (7, False)])
def test_a_second_process_only_when_a_core_is_idle(monkeypatch, runnable, free):
    import io

    monkeypatch.undo()
    monkeypatch.setattr(background, "open", lambda *_a, **_k: io.StringIO(f"2.00 1.50 1.00 {runnable}/321 4567\n"),
                        raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    assert background.core_free() is free


@pytest.mark.parametrize("title", ["Red lines 红线", "A title far too long for the quiz header " * 8])
def test_build_reports_the_deck_before_the_pdfs_forked(tmp_path, monkeypatch, bank_copy, title):
    """The deck's warning (an unreadable deck where the new one goes) comes before the PDFs' warning (a character
    the font lacks) or error (a title too long), as in one process, though the PDFs are laid out first."""
    bank_file = bank_copy / "bank.yaml"
    text = bank_file.read_text(encoding="utf-8")
    bank_file.write_text(text.replace('title: "Red lines: the limits on Western weapons for Ukraine"',
                                      f'title: "{title}"', 1), encoding="utf-8")
    runs = {}
    for fork in (False, True):
        out = tmp_path / str(fork)
        out.mkdir()
        (out / "red_lines.apkg").write_bytes(b"not a zip")
        code, stdout, stderr = _run(["build", "--bank", str(bank_copy), "--out", str(out), "--timestamp", "1"],
                                    fork, monkeypatch)
        runs[fork] = (code, stdout.replace(str(out), "OUT"), stderr.replace(str(out), "OUT"))
    assert runs[True] == runs[False]
    lines = runs[True][2].splitlines()
    deck = next(i for i, line in enumerate(lines) if line.startswith("warning:") and ".apkg" in line)
    pdfs = next(i for i, line in enumerate(lines) if ("error:" in line or "warning:" in line) and "title" in line)
    assert deck < pdfs
