"""A big bank's data files read by two processes (quizgen/bank/readers.py) give what one process gives: the same
records in the same order, the same locations, the same problems in the same order; a failure in the second
reader is raised, not lost."""
from __future__ import annotations

import os
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from forks import forks_during
from generated_dump import bank_paths

import quizgen.bank.loader as loader_module
import quizgen.bank.readers as readers_module
from quizgen.bank.loader import read_bank
from quizgen.cores import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="a second reader forks only on Linux with two cores")

SECTIONS = ("entities", "restrictions", "events", "quotes", "numbers")


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    found = bank_paths(tmp_path_factory.mktemp("banks"))
    broken = tmp_path_factory.mktemp("broken") / "bank"
    shutil.copytree(found["synthetic-400"], broken)
    events = (broken / "events_000.yaml").read_text(encoding="utf-8")
    # a second events file: every id again (duplicates), a bad field, and a new event whose date_text has no note
    new_event = events[events.index("  - id: event_000000"):events.index("  - id: event_000001")]
    (broken / "events_001.yaml").write_text(
        events.replace("action: approved", "action: [approved]", 1) + "\n"
        + new_event.replace("event_000000", "event_new").replace(
            '    date_note: "Resolved from the report\'s own dating."\n', ""), encoding="utf-8")
    (broken / "zz_unknown.yaml").write_text("eventz:\n  - id: x\n", encoding="utf-8")
    (broken / "zz_syntax.yaml").write_text("events:\n  - id: [unclosed\n", encoding="utf-8")
    (broken / "zz_scalar.yaml").write_text("quotes: 3\n", encoding="utf-8")
    return {**found, "broken": broken}


def read(path: Path, beside: bool, monkeypatch) -> tuple:
    monkeypatch.setattr(readers_module, "READ_BESIDE_FROM", 0 if beside else 10**15)
    (bank, problems), forks = forks_during(lambda: read_bank(path))
    return bank, problems, forks


@pytest.mark.parametrize("name", ["red-lines", "lockdown", "synthetic-400", "broken"])
def test_two_readers_give_what_one_gives(paths, name, monkeypatch):
    one, one_problems, forks = read(paths[name], False, monkeypatch)
    assert forks == 0
    two, two_problems, forks = read(paths[name], True, monkeypatch)
    assert forks == 1
    assert [asdict(p) for p in two_problems] == [asdict(p) for p in one_problems]
    if name == "broken":
        assert len(one_problems) > 400 and one.events     # duplicates from the second half, and the rest
        messages = " ".join(p.message for p in one_problems)
        for words in ("duplicate id", "date_text needs a date_note", "unknown section", "must be a list",
                      "action"):
            assert words in messages, words
    else:
        assert not one_problems
    for section in SECTIONS:
        assert list(getattr(two, section).items()) == list(getattr(one, section).items()), section
    assert two.locations == one.locations
    assert two.info == one.info and two.vocabulary == one.vocabulary


def test_a_failure_in_the_second_reader_is_raised(paths, monkeypatch):
    parse = loader_module.parse_data_file
    last = sorted(p.name for p in paths["synthetic-400"].glob("*.yaml")
                  if p.name not in ("bank.yaml", "vocabulary.yaml"))[-1]

    def parse_or_fail(data_file):
        if data_file.name == last:
            if os.getpid() == main:
                pytest.fail("the last file was read in the main process")
            raise ValueError(f"cannot read {data_file.name}")
        return parse(data_file)

    main = os.getpid()
    monkeypatch.setattr(loader_module, "parse_data_file", parse_or_fail)
    with pytest.raises(ValueError, match=f"cannot read {last}"):
        read(paths["synthetic-400"], True, monkeypatch)


def test_a_second_reader_that_dies_is_an_error(paths, monkeypatch):
    parse = loader_module.parse_data_file
    main = os.getpid()

    def parse_or_die(data_file):
        if os.getpid() != main:
            os._exit(3)
        return parse(data_file)

    monkeypatch.setattr(loader_module, "parse_data_file", parse_or_die)
    with pytest.raises(RuntimeError, match="exit code 3"):
        read(paths["synthetic-400"], True, monkeypatch)
