"""A big deck's collection written by a second process (quizgen.anki.writer): the same bytes, the same errors."""
import os
import resource
import signal
import subprocess
import sys

import pytest
from samples import sample_meta, sample_questions

import quizgen.anki.writer as writer
from quizgen.anki import write_apkg
from quizgen.bank.loader import load_bank
from quizgen.generate.generator import generate

T0 = 1717200000


@pytest.fixture
def beside(monkeypatch):
    """Every deck written by the writer process (the threshold is 50,000 notes), counting how often it ran."""
    started = []

    class Counted(writer.CollectionWriter):
        def __init__(self, *args):
            started.append(args)
            super().__init__(*args)

    monkeypatch.setattr(writer, "CollectionWriter", Counted)
    monkeypatch.setattr(writer, "second_core", lambda: True)
    return started


def _package(tmp_path, name, questions, meta, previous=None, timestamp=T0):
    path = tmp_path / f"{name}.apkg"
    if previous is not None:
        path.write_bytes(previous)
    write_apkg(questions, meta, path, timestamp=timestamp)
    return path.read_bytes()


@pytest.mark.parametrize("source", ["red lines", "samples"])
def test_the_writer_process_makes_the_same_package(tmp_path, monkeypatch, beside, source):
    if source == "red lines":
        generated = generate(load_bank())
        questions, meta = generated.questions, generated.meta
    else:
        questions, meta = sample_questions(), sample_meta()
    older = _package(tmp_path, "older", questions[::2], meta, timestamp=T0 + 50)   # a previous deck: later mods
    here = [_package(tmp_path, "here", questions, meta), _package(tmp_path, "here-over", questions, meta, older)]
    assert beside == []
    monkeypatch.setattr(writer, "WRITER_FROM", 0)
    there = [_package(tmp_path, "there", questions, meta), _package(tmp_path, "there-over", questions, meta, older)]
    assert len(beside) == 2
    assert there == here
    assert here[0] != here[1], "the previous deck's mod times count"


def test_a_full_scratch_folder_in_the_writer_is_a_clean_error(tmp_path):
    code = ("import quizgen.anki.writer as w; w.WRITER_FROM = 0; w.second_core = lambda: True\n"
            "from quizgen.cli import main; main()")
    scratch = tmp_path / "tmp"
    scratch.mkdir()

    def limits():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)     # a file past the limit fails with EFBIG, as a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    done = subprocess.run([sys.executable, "-c", code, "anki", "-q", "-o", str(tmp_path / "deck.apkg")],
                          capture_output=True, text=True, timeout=120, preexec_fn=limits,
                          env={**os.environ, "TMPDIR": str(scratch)})
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "scratch folder" in errors[0] and "TMPDIR" in errors[0], done.stderr
    assert not (tmp_path / "deck.apkg").exists() and not list(scratch.iterdir())
