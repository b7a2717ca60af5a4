"""Hostile bank files (issue 18): each attack ends in clean `error:` lines, exit 1, bounded time and memory,
and nothing written."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hostile import NUMBER, TINY_BANK, assert_clean_failure, run_measured



@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    shutil.copytree(TINY_BANK, bank)
    return bank


def check(bank: Path):
    return run_measured("check", "--bank", str(bank))


def test_the_tiny_bank_is_clean(tiny):
    run = check(tiny)
    assert run.exit_code == 0, run.output


def test_a_bank_file_that_is_dev_zero_is_refused_at_once(tiny):
    (tiny / "zz_zero.yaml").symlink_to("/dev/zero")
    assert_clean_failure(check(tiny), "zz_zero.yaml", "not a regular file", seconds=2)


def test_a_bank_file_that_is_a_fifo_does_not_hang(tiny):
    os.mkfifo(tiny / "zz_fifo.yaml")
    assert_clean_failure(check(tiny), "zz_fifo.yaml", "not a regular file", seconds=2)


def test_bank_yaml_that_is_a_fifo_or_a_folder(tiny):
    (tiny / "bank.yaml").unlink()
    os.mkfifo(tiny / "bank.yaml")
    assert_clean_failure(check(tiny), "bank.yaml", "not a regular file", seconds=2)
    (tiny / "bank.yaml").unlink()
    (tiny / "bank.yaml").mkdir()
    assert_clean_failure(check(tiny), "bank.yaml", "not a regular file", seconds=2)


def test_a_file_over_the_cap_is_refused_without_reading_it_all(tiny):
    from quizgen.bank.yamlio import MAX_FILE_BYTES

    with open(tiny / "zz_big.yaml", "wb") as f:
        f.write(b"# " + b"x" * (MAX_FILE_BYTES + 10) + b"\n")
    assert_clean_failure(check(tiny), "zz_big.yaml", "larger than", peak_mib=32)


@pytest.mark.parametrize("text", [
    "x: " + "[" * 100_000 + "]" * 100_000 + "\n",           # libyaml's reader
    "x: " + "[" * 100_000 + "]" * 100_000 + " #\ttab\n",   # the pure-Python reader (a tab sends it there)
    "x: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n",
    "".join(" " * i + "- \n" for i in range(0, 400, 2)),
])
def test_yaml_nested_deep_is_one_error(tiny, text):
    (tiny / "zz_deep.yaml").write_text(text)
    assert_clean_failure(check(tiny), "zz_deep.yaml:", "nested more than 50 deep")


@pytest.mark.parametrize("value,words", [
    ("9" * 5000, "integer has more than 30 characters"),
    ("9" * 4000, "integer has more than 30 characters"),
    ("-" + "1" * 40, "integer has more than 30 characters"),
    ("1" + "0" * 20, "must be between"),
    (".nan", "finite"),
    (".inf", "finite"),
    ("-.inf", "finite"),
    ("1e999", "finite"),
])
def test_numbers_must_be_short_finite_and_in_range(tiny, value, words):
    (tiny / "zz_numbers.yaml").write_text(NUMBER.format(value=value, unit="units"))
    assert_clean_failure(check(tiny), "zz_numbers.yaml:3:", words)


def test_a_huge_integer_anywhere_is_refused(tiny):
    text = (tiny / "templates" / "probe.yaml").read_text().replace("title: Who did it?",
                                                                  "title: Who did it?\nlimit: " + "7" * 5000)
    (tiny / "templates" / "probe.yaml").write_text(text)
    assert_clean_failure(check(tiny), "probe.yaml:4:8:", "integer has more than")


@pytest.mark.parametrize("text,line,col", [
    ("# a bell \x07 in a comment\nnumbers: []\n", 1, 10),
    ("numbers: []\n# escape \x1b[2J\n", 2, 10),
    ("numbers: [] # nul \x00\n", 1, 19),
    ("numbers: []\n\x7f\n", 2, 1),
])
def test_a_raw_control_character_anywhere_points_at_itself(tiny, text, line, col):
    (tiny / "zz_ctl.yaml").write_text(text)
    assert_clean_failure(check(tiny), f"zz_ctl.yaml:{line}:{col}:", "control character")


@pytest.mark.parametrize("unit", ['"\\e[2J\\e[31mred"', '"a\\0b"', '"\\x07"'])
def test_a_number_unit_is_validated_like_other_text(tiny, unit):
    (tiny / "zz_numbers.yaml").write_text(NUMBER.format(value="3", unit=unit))
    assert_clean_failure(check(tiny), "zz_numbers.yaml:4:", "control character")


@pytest.mark.parametrize("condition,words", [
    ("{date.year: {at_least: soon}}", "needs a whole number"),
    ("{date.precision: {at_least: 3}}", "needs one of"),
    ("{date.precision: {at_most: [day]}}", "needs one of"),
    ("{actors.count: {at_most: true}}", "needs a whole number"),
    ("{action: {at_least: refused}}", "works on precisions, counts"),
])
def test_at_least_and_at_most_need_a_value_they_can_compare(tiny, condition, words):
    path = tiny / "templates" / "probe.yaml"
    path.write_text(path.read_text().replace("    date.precision: {at_least: month}", f"    {condition[1:-1]}"))
    assert_clean_failure(check(tiny), "probe.yaml:8:", words)


def test_no_templates_folder(tiny):
    shutil.rmtree(tiny / "templates")
    assert_clean_failure(check(tiny), "templates", "no templates/ folder")


def test_an_empty_templates_folder(tiny):
    for path in (tiny / "templates").iterdir():
        path.unlink()
    assert_clean_failure(check(tiny), "templates", "holds no templates")


def test_templates_is_a_symlink_loop_or_dangling(tiny):
    shutil.rmtree(tiny / "templates")
    (tiny / "templates").symlink_to("templates")
    assert_clean_failure(check(tiny), "templates", "symbolic link loop")
    (tiny / "templates").unlink()
    (tiny / "templates").symlink_to("nowhere")
    assert_clean_failure(check(tiny), "templates", "symbolic link to nothing")


def test_a_template_file_that_loops_or_is_a_device(tiny):
    (tiny / "templates" / "loop.yaml").symlink_to("loop.yaml")
    (tiny / "templates" / "zero.yaml").symlink_to("/dev/zero")
    run = check(tiny)
    assert_clean_failure(run, "loop.yaml", "cannot read file")
    assert any("zero.yaml" in e and "not a regular file" in e for e in run.errors)


def test_a_hostile_bank_builds_nothing(tiny, tmp_path):
    (tiny / "zz_numbers.yaml").write_text(NUMBER.format(value=".nan", unit="units"))
    out = tmp_path / "out"
    assert_clean_failure(run_measured("build", "--bank", str(tiny), "--out", str(out)), "zz_numbers.yaml", "finite")
    assert not out.exists()
