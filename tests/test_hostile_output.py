"""Issue 18, output side: odd files at the output path, full disks, hostile previous packages, keys and scans.

Each attack runs `quizgen` in a child process with a private TMPDIR and a 3 GiB address-space cap (so a
regression fails instead of taking the machine), and checks: the exit code, one clean `error:` or `warning:`
line and no traceback, the time, the peak memory (VmHWM of the child), and that nothing was written, changed
or leaked.
"""
from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import hostile_files as hostile
import pytest
from bankcopy import edit

ROOT = Path(__file__).resolve().parent.parent
LINUX = sys.platform.startswith("linux")
_CHILD = """import atexit, sys
def _peak():
    try:
        kb = next(line for line in open('/proc/self/status') if line.startswith('VmHWM')).split()[1]
        sys.stderr.write(f'\\n@peak-kb {kb}\\n')
    except OSError:
        pass
atexit.register(_peak)
from quizgen.cli import main
main()
"""
ADDRESS_SPACE = 3 << 30
PEAK_MB = 400
SECONDS = 30


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float

    @property
    def errors(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.startswith("error: ")]

    @property
    def warnings(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.startswith("warning: ")]


def quizgen(tmp_path: Path, *args: str, env: dict | None = None, limits=None, cwd: Path | None = None) -> Run:
    """Run the CLI in a child process under limits; the child's TMPDIR is tmp_path/tmp (checked for leaks)."""
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        if limits:
            limits()

    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True, text=True,
                          timeout=SECONDS * 3, cwd=cwd or tmp_path, preexec_fn=limit,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch), **(env or {})})
    seconds = time.monotonic() - started
    peak = [ln for ln in done.stderr.splitlines() if ln.startswith("@peak-kb ")]
    run = Run(done.returncode, done.stdout, done.stderr, seconds, int(peak[-1].split()[1]) / 1024 if peak else 0)
    assert "Traceback" not in done.stderr, done.stderr
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    assert run.peak_mb < PEAK_MB, f"peak {run.peak_mb:.0f} MB"
    assert not list(scratch.iterdir()), f"left in TMPDIR: {list(scratch.iterdir())}"
    return run


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.lstat().st_mode, p.read_bytes() if p.is_file() else b"") for p in sorted(folder.iterdir())
            if p.name != "tmp"}


def refused(run: Run, *words: str) -> str:
    assert run.code == 1, run.err
    assert len(run.errors) == 1, run.err
    assert all(word in run.errors[0] for word in words), run.errors
    return run.errors[0]


# --- writes -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["anki", "--templates", "name_the_decider", "-o"], ["export", "--format", "csv", "-o"],
                                     ["pdf", "-o"]])
def test_a_fifo_at_the_output_path_is_refused_not_replaced(tmp_path, command):
    fifo = tmp_path / "out.file"
    os.mkfifo(fifo)
    before = snapshot(tmp_path)
    refused(quizgen(tmp_path, *command, str(fifo)), "FIFO", "not a regular file", str(fifo))
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(not LINUX or os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_at_the_output_path_is_refused_not_replaced(tmp_path):
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    refused(quizgen(tmp_path, "anki", "-o", str(device)), "character device")
    assert stat.S_ISCHR(device.lstat().st_mode)
    link = tmp_path / "deck.apkg"
    link.symlink_to("/dev/null")
    refused(quizgen(tmp_path, "anki", "-o", str(link)), "character device")
    assert link.is_symlink() and stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_a_rebuild_keeps_each_files_permissions_and_new_files_follow_the_umask(tmp_path):
    out = tmp_path / "out"
    quizgen(tmp_path, "build", "-q", "--out", str(out), limits=lambda: os.umask(0o077))
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {
        p.name: 0o600 for p in out.iterdir()}, "new files follow the umask"
    (out / "red_lines-answer-key.json").chmod(0o640)
    (out / "red_lines.apkg").chmod(0o604)
    old_key = (out / "red_lines-answer-key.json").read_bytes()
    quizgen(tmp_path, "build", "-q", "--seed", "3", "--out", str(out), limits=lambda: os.umask(0o022))
    assert (out / "red_lines-answer-key.json").read_bytes() != old_key
    assert stat.S_IMODE((out / "red_lines-answer-key.json").stat().st_mode) == 0o640
    assert stat.S_IMODE((out / "red_lines.apkg").stat().st_mode) == 0o604
    assert stat.S_IMODE((out / "red_lines-quiz.pdf").stat().st_mode) == 0o600


def _ignore_sigxfsz_and_cap_files(size: int):
    def limits() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limits


def test_a_failed_write_leaves_the_previous_set_untouched(tmp_path):
    """RLIMIT_FSIZE makes the kernel refuse any file over 80 KB: the temporaries of the quiz (72 KB) and the
    sheets are written, the answer key's (89 KB) is not (EFBIG, as a full disk gives ENOSPC)."""
    out = tmp_path / "out"
    args = ["pdf", "--answer-sheet", "--timeline", "-o"]
    out.mkdir()
    quizgen(tmp_path, *args, str(out / "x-quiz.pdf"))
    before = snapshot(out)
    assert len(before) == 5
    run = quizgen(tmp_path, *args, str(out / "x-quiz.pdf"), "--seed", "5", limits=_ignore_sigxfsz_and_cap_files(80_000))
    refused(run, "x-answer-key.pdf", "File too large", "no file of this run was replaced")
    assert snapshot(out) == before, "every file as it was, and no temporary left"


def test_a_full_scratch_folder_is_a_clean_error(tmp_path):
    run = quizgen(tmp_path, "build", "-q", "--out", str(tmp_path / "new" / "deeper"),
                  limits=_ignore_sigxfsz_and_cap_files(60_000))
    refused(run, "scratch folder", "TMPDIR")
    assert not (tmp_path / "new").exists(), "a failed build creates no --out folder"


@pytest.fixture
def small_disk(tmp_path):
    """A 500 KB tmpfs: room for one build's files (about 430 KB) but not for a second set beside them."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=500k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode:   # not root, or a container without CAP_SYS_ADMIN; the RLIMIT_FSIZE test still runs
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_disk_full_mid_build_leaves_the_previous_set_untouched(tmp_path, small_disk):
    out = small_disk / "out"
    quizgen(tmp_path, "build", "-q", "--out", str(out))
    before = snapshot(out)
    error = refused(quizgen(tmp_path, "build", "-q", "--seed", "9", "--out", str(out)), "No space left on device")
    assert str(out) in error
    assert snapshot(out) == before
    run = quizgen(tmp_path, "build", "-q", "--out", str(small_disk / "second"))
    refused(run, "No space left on device")
    assert not (small_disk / "second").exists()


# --- previous packages ----------------------------------------------------------------------------------------

def _previous(tmp_path: Path) -> dict[str, Path]:
    made = hostile.malformed_packages(tmp_path / "malformed")
    made["zip bomb"] = hostile.zip_bomb(tmp_path / "bomb.apkg", 0.5)
    made["recursive SQL view"] = hostile.recursive_view(tmp_path / "view.apkg")
    made["zip bomb with a lying header"] = hostile.lying_zip_bomb(tmp_path / "liar.apkg")
    return made


KINDS = ["not a zip", "truncated zip", "no collection", "collection not SQLite", "unsupported compression",
         "wrong types in the collection", "zip bomb", "recursive SQL view"]


@pytest.fixture(scope="module")
def previous_packages(tmp_path_factory):
    return _previous(tmp_path_factory.mktemp("previous"))


@pytest.mark.parametrize("kind", KINDS + ["zip bomb with a lying header"])
def test_a_hostile_previous_package_is_ignored_with_one_line(tmp_path, previous_packages, kind):
    target = tmp_path / "deck.apkg"
    target.write_bytes(previous_packages[kind].read_bytes())
    run = quizgen(tmp_path, "anki", "--templates", "name_the_decider", "-o", str(target), "--timestamp", "1717200000")
    assert run.code == 0, run.err
    assert len(run.warnings) == 1 and "building the deck as new" in run.warnings[0], run.err
    assert str(target) in run.warnings[0]
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None and "collection.anki2" in archive.namelist()
    fresh = tmp_path / "fresh.apkg"
    quizgen(tmp_path, "anki", "--templates", "name_the_decider", "-o", str(fresh), "--timestamp", "1717200000")
    assert target.read_bytes() == fresh.read_bytes(), "built exactly as if there were no previous package"


def test_a_real_previous_package_gives_no_warning(tmp_path):
    target = tmp_path / "deck.apkg"
    quizgen(tmp_path, "anki", "--templates", "name_the_decider", "-o", str(target))
    run = quizgen(tmp_path, "anki", "--templates", "name_the_decider", "-o", str(target))
    assert run.code == 0 and run.warnings == [], run.err


@pytest.mark.parametrize("args,env,words", [
    (["--timestamp", str(2 ** 40)], {}, ["1099511627776", "2107"]),
    ([], {"SOURCE_DATE_EPOCH": str(10 ** 30)}, ["SOURCE_DATE_EPOCH", "2107"]),
    ([], {"SOURCE_DATE_EPOCH": "7" * 5000}, ["SOURCE_DATE_EPOCH", "5000 characters"]),
])
def test_a_timestamp_past_2107_is_a_clean_error(tmp_path, args, env, words):
    refused(quizgen(tmp_path, "anki", *args, "-o", str(tmp_path / "deck.apkg"), env=env), *words)
    assert not (tmp_path / "deck.apkg").exists()


def test_the_last_date_a_zip_can_hold_still_builds(tmp_path):
    run = quizgen(tmp_path, "anki", "--templates", "name_the_decider", "--timestamp", "4354819198",
                  "-o", str(tmp_path / "deck.apkg"))
    assert run.code == 0, run.err


# --- scans and keys -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    pytest.importorskip("cv2")
    folder = tmp_path_factory.mktemp("printed")
    subprocess.run([sys.executable, "-m", "quizgen.cli", "pdf", "--answer-sheet", "-o", str(folder / "rl-quiz.pdf")],
                   check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return folder


@pytest.mark.parametrize("make,words", [
    (lambda p: hostile.png(p / "huge.png", 40000, 40000), "40,000 x 40,000 pixels"),
    (lambda p: hostile.huge_page_pdf(p / "huge.pdf"), "14,400 x 14,400 points"),
    (lambda p: hostile.huge_page_pdf(p / "unit.pdf", 14400, 75000), "points"),
    (lambda p: hostile.bmp(p / "big.bmp", 7000, 7000), "over 40 million pixels"),
])
def test_a_huge_scan_is_reported_unreadable_before_decoding(tmp_path, printed, make, words):
    scan = make(tmp_path)
    run = quizgen(tmp_path, "mark", str(scan), "--key", str(printed / "rl-answer-key.json"),
                  "-o", str(tmp_path / "r.csv"))
    assert run.code == 0, run.err     # one bad upload must not stop a class's marking: its row says why
    assert any(ln.startswith("unreadable: ") and words in ln for ln in run.err.splitlines()), run.err
    assert "unreadable" in (tmp_path / "r.csv").read_text()


def _big_key(path: Path) -> Path:
    with open(path, "wb") as out:
        out.write(b'{"format": "quizgen-answer-key", "pad": "' + b"x" * (20 << 20) + b'"}')
    return path


@pytest.mark.parametrize("make,words", [
    (lambda p: hostile.deep_json(p / "deep.json"), "nested far deeper"),
    (lambda p: _big_key(p / "big.json"), "over 16 MiB"),
    (lambda p: hostile.crafted_key(p / "digits.json"), "student_digits"),
    (lambda p: hostile.crafted_key(p / "versions.json", versions=[{"version": "A", "questions": []}] * 5000),
     "versions must be"),
    (lambda p: hostile.crafted_key(p / "letters.json", student_digits=6, versions=[{"version": "A", "questions": [
        {"number": 1, "id": "q", "kind": "multiple_choice", "letters": ["A"] * 150, "right": ["A"],
         "answer": []}]}]), "distinct letters"),
    (lambda p: hostile.crafted_key(p / "wide.json", student_digits=6, versions=[{"version": "A", "questions": [
        {"number": 1, "id": "q", "kind": "multiple_choice", "letters": [chr(0x4E00 + i) for i in range(150)],
         "right": ["一"], "answer": []}]}]), "no sheet quizgen prints"),
    (lambda p: hostile.crafted_key(p / "seed.json", seed="9" * 4000, student_digits=6), "seed"),
])
def test_a_hostile_answer_key_is_a_clean_error(tmp_path, printed, make, words):
    key = make(tmp_path)
    refused(quizgen(tmp_path, "mark", str(printed / "rl-answer-sheets.pdf"), "--key", str(key),
                    "-o", str(tmp_path / "r.csv")), words, key.name)
    assert not (tmp_path / "r.csv").exists()


def test_a_fifo_as_scan_or_key_does_not_hang(tmp_path, printed):
    fifo = tmp_path / "scan.png"
    os.mkfifo(fifo)
    run = quizgen(tmp_path, "mark", str(fifo), "--key", str(printed / "rl-answer-key.json"),
                  "-o", str(tmp_path / "r.csv"))
    assert "not a regular file" in run.err
    refused(quizgen(tmp_path, "mark", str(printed / "rl-answer-sheets.pdf"), "--key", str(fifo),
                    "-o", str(tmp_path / "r2.csv")), "not a regular file")


# --- leaks --------------------------------------------------------------------------------------------------

def test_scratch_folders_of_dead_processes_are_removed_at_start_up(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    dead = scratch / "quizgen-anki-999999999-abc123"       # beyond any pid Linux hands out
    live = scratch / f"quizgen-anki-{os.getpid()}-def456"   # this test process: still running
    for folder in (dead, live):
        folder.mkdir()
        (folder / "collection.anki2").write_bytes(b"x" * 1000)
    done = subprocess.run([sys.executable, "-m", "quizgen.cli", "anki", "--templates", "name_the_decider", "-o",
                           str(tmp_path / "deck.apkg")], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)})
    assert done.returncode == 0, done.stderr
    assert not dead.exists() and live.is_dir()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not LINUX or (os.cpu_count() or 1) < 2, reason="the worker forks only on 2+ cores; /proc")
def test_the_answer_key_worker_dies_with_its_parent(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "quizgen.cli", "pdf", "--versions", "30", "--questions", "20",
                                "-o", str(tmp_path / "x-quiz.pdf")], env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while not workers and time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        time.sleep(0.02)
    assert workers, "the key was not laid out in a worker process"
    process.kill()
    process.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() and
                                              "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1][:3]
                                              for w in workers):
        time.sleep(0.05)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1][:3]]
    assert not alive, f"workers {alive} outlived their parent"


# --- honest messages ----------------------------------------------------------------------------------------

def test_an_over_long_title_has_its_own_message(tmp_path):
    error = refused(quizgen(tmp_path, "pdf", "--title", "Quiz " * 1000, "-o", str(tmp_path / "t-quiz.pdf")),
                    "--title is too long")
    assert "question" not in error
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_bank_with_many_lifted_red_lines_still_builds(tmp_path):
    bank = tmp_path / "synth"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_bank.py"), "300", str(bank)], check=True,
                   capture_output=True)
    run = quizgen(tmp_path, "build", "-q", "--bank", str(bank), "--out", str(tmp_path / "out"))
    assert run.code == 0, run.err
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import bank_meta

    entries = len(bank_meta(load_bank(bank)).timeline)
    assert entries > 18
    assert len(run.warnings) == 1 and f"{entries} entries, too many to draw on one page" in run.warnings[0], run.err
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "out" / "synth_300-timeline.pdf").pages)
    assert f"{entries} entries" in text


def test_characters_the_font_cannot_draw_are_reported_once(bank_copy, tmp_path):
    edit(bank_copy / "bank.yaml", 'title: "Red lines:', 'title: "红线 🚀 Red lines:')
    run = quizgen(tmp_path, "build", "-q", "--bank", str(bank_copy), "--out", str(tmp_path / "out"))
    assert run.code == 0, run.err
    assert len(run.warnings) == 1, run.err
    assert "3 characters cannot be drawn" in run.warnings[0] and "U+7EA2" in run.warnings[0], run.warnings
    assert "the quiz title" in run.warnings[0]
    clean = quizgen(tmp_path, "build", "-q", "--out", str(tmp_path / "clean"))
    assert clean.warnings == [], "Latin, Greek and Cyrillic draw fine"
