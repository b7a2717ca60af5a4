"""The collector's settings: bulk thresholds and a freeze for a quizgen command, Python's defaults for library callers."""
import gc
import subprocess
import sys

from quizgen import gcpause


def test_a_library_caller_keeps_its_garbage_collectable():
    before = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    gcpause.settled()
    assert gc.get_freeze_count() == before
    assert gc.get_threshold() == thresholds


def test_bulk_gives_back_the_thresholds_it_found():
    thresholds = gc.get_threshold()
    with gcpause.bulk():
        assert gc.get_threshold()[0] >= 100_000
    assert gc.get_threshold() == thresholds


def test_a_command_collects_rarely_and_freezes_what_it_loaded():
    code = ("import gc; from quizgen import gcpause; gcpause.for_a_command(); t = gc.get_threshold();"
            "gcpause.settled(); print(t[0], gc.get_freeze_count() > 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["100000", "True"]
