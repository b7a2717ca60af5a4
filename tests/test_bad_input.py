"""Broken files get one clear line with file:line:col, exit 1, and no output written."""
import time
from pathlib import Path

import pytest
from bankcopy import edit
from click.testing import CliRunner

from quizgen.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args))


def assert_one_error(result, file_name: str, line: int | None = None):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [ln for ln in result.output.splitlines() if ln.startswith("error: ")]
    assert errors, result.output
    where = f"{file_name}:{line}:" if line else f"{file_name}"
    assert any(where in e for e in errors), (where, result.output)
    return errors


@pytest.mark.parametrize("content,line,words", [
    (b"events:\n  - id: x\n    date: [2024\n", 4, "YAML syntax error"),
    (b"events:\n  - id: caf\xe9\n", 2, "not UTF-8"),
    (b"", 1, "file is empty"),
    (b"   \n\n", 1, "file is empty"),
    (b"- id: x\n- id: y\n", 1, "expected a mapping"),
    (b"events:\n  id: x\n", 1, "must be a list"),
    (b"evnts:\n  - id: x\n", 1, "did you mean 'events'"),
    (b"a: &a [1, 2]\nb: *a\n", 2, "aliases"),
    (b"x: !!python/object/apply:os.system ['echo hacked']\n", 1, "not allowed"),
    (b"events:\n  - id: x\n    id: y\n", 3, "duplicate key"),
])
def test_broken_data_file(bank_copy, content, line, words):
    bank = bank_copy
    (bank / "zz_broken.yaml").write_bytes(content)
    errors = assert_one_error(run("check", "--bank", str(bank)), "zz_broken.yaml", line)
    assert any(words in e for e in errors), errors


def test_wrong_type_and_missing_field(bank_copy):
    bank = bank_copy
    edit(bank / "numbers.yaml", "value: 90", "value: ninety")
    errors = assert_one_error(run("check", "--bank", str(bank)), "numbers.yaml")
    assert any("value" in e for e in errors)


def test_duplicate_ids_across_files(bank_copy):
    bank = bank_copy
    (bank / "more.yaml").write_text("entities:\n  - id: joe_biden\n    name: Another\n    kind: person\n")
    errors = assert_one_error(run("check", "--bank", str(bank)), "more.yaml", 2)
    assert any("duplicate id 'joe_biden' (first defined at" in e and "entities.yaml:" in e for e in errors)


def test_alias_bomb_is_refused_quickly(bank_copy):
    bomb = "a: &a ['x','x','x','x','x','x','x','x','x']\n"
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    bank = bank_copy
    (bank / "bomb.yaml").write_text(bomb)
    started = time.monotonic()
    result = run("check", "--bank", str(bank))
    assert time.monotonic() - started < 5
    assert_one_error(result, "bomb.yaml", 2)


def test_missing_bank_and_not_a_bank(tmp_path):
    assert_one_error(run("check", "--bank", str(tmp_path / "missing")), "")
    (tmp_path / "empty").mkdir()
    errors = assert_one_error(run("check", "--bank", str(tmp_path / "empty")), "empty")
    assert "bank.yaml" in errors[0]


def test_debug_shows_the_traceback(tmp_path):
    result = run("--debug", "check", "--bank", str(tmp_path / "missing"))
    assert result.exit_code == 1
    assert result.exception is not None and type(result.exception).__name__ == "QuizgenError"


@pytest.mark.parametrize("output_name", ["missing/deck.apkg", "afile/deck.apkg"])
def test_unwritable_output_paths(tmp_path, output_name):
    (tmp_path / "afile").write_text("a file, not a folder")
    target = tmp_path / output_name
    result = run("anki", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1].startswith("error: output")
    assert not (tmp_path / "missing").exists()


def test_read_only_output_folder(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    result = run("anki", "-o", str(folder / "deck.apkg"))
    assert result.exit_code == 1 and "not writable" in result.output


@pytest.mark.parametrize("file_name,content", [
    ("events.yaml", "events:\n  - id: [broken\n"),
    ("templates/who_decided.yaml", "id: who_decided\nkind: multiple_choice\nprompt: '{{ event.summary '\n"),
    ("entities.yaml", "entities:\n  - id: x\n    name: X\n    kind: person\n    acter: y\n"),
])
def test_a_broken_bank_builds_nothing(bank_copy, tmp_path, file_name, content):
    bank = bank_copy
    (bank / file_name).write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", "--bank", str(bank), "--out", str(out))
    assert_one_error(result, Path(file_name).name)
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("versions", ["0", "-3"])
def test_zero_or_negative_versions(tmp_path, versions):
    result = run("pdf", "--versions", versions, "-o", str(tmp_path / "q.pdf"))
    assert result.exit_code == 1 and "versions" in result.output
    assert not list(tmp_path.iterdir())


def test_file_names_from_names_are_sanitised():
    from quizgen.output import safe_filename

    for hostile in ["../../etc/passwd", "/abs/path", "a\x00b\nc", "..", "", "con:txt", "Зеленський deck"]:
        name = safe_filename(hostile)
        assert name and "/" not in name and "\\" not in name and not name.startswith(".")
        assert all(ch.isprintable() for ch in name)
