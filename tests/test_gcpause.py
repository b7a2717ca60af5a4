"""The collector's settings: none during bulk work, rare ones and a freeze for a quizgen command, Python's defaults for
library callers."""
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


def test_bulk_collects_nothing_and_gives_the_collector_back_as_it_found_it():
    assert gc.isenabled()
    with gcpause.bulk():
        assert not gc.isenabled()
        with gcpause.bulk():        # nested (generation inside a build): the outer one still collects nothing
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gcpause.bulk():
            pass
        assert not gc.isenabled()   # a caller that had turned it off keeps it off
    finally:
        gc.enable()


def test_a_command_collects_rarely_and_freezes_what_it_loaded():
    code = ("import gc; from quizgen import gcpause; gcpause.for_a_command(); t = gc.get_threshold();"
            "gcpause.settled(); print(t[0], gc.get_freeze_count() > 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["100000", "True"]


def test_a_command_freezes_what_its_bulk_work_made_and_a_library_caller_does_not():
    code = ("import gc; from quizgen import gcpause; gcpause.for_a_command() if {command} else None\n"
            "with gcpause.bulk():\n    kept = [[i] for i in range(50_000)]\n"
            "print(gc.get_freeze_count() >= 50_000)")
    for command, frozen in ((True, "True"), (False, "False")):
        out = subprocess.run([sys.executable, "-c", code.format(command=command)], capture_output=True, text=True,
                             check=True).stdout.split()
        assert out == [frozen]


def _end(code: str) -> subprocess.CompletedProcess:
    prelude = "import atexit, sys; from quizgen import gcpause; atexit.register(lambda: print('exit handler'));"
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=60)


def test_a_command_ends_with_its_status_its_exit_handlers_and_its_output():
    done = _end("sys.stdout.write('buffered, no newline'); sys.stderr.write('err'); gcpause.end_command(3)")
    assert (done.returncode, done.stdout, done.stderr) == (3, "buffered, no newlineexit handler\n", "err")
    assert _end("gcpause.end_command(None)").returncode == 0


def test_a_command_ending_with_a_message_prints_it_and_fails():
    done = _end("gcpause.end_command('no such bank')")
    assert (done.returncode, done.stdout, done.stderr) == (1, "exit handler\n", "no such bank\n")


def test_a_command_with_a_thread_still_running_ends_the_ordinary_way():
    """Python waits for the thread; skipping the teardown would cut it off."""
    done = _end("import threading, time; threading.Thread(target=lambda: (time.sleep(0.3), print('thread done')))"
                ".start(); gcpause.end_command(4)")
    assert (done.returncode, done.stdout) == (4, "thread done\nexit handler\n")
