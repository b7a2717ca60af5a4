"""Time and peak memory of each output-side attack of issue 18 (previous packages, scans, keys, odd files).

    python bench/attacks_output.py [--code DIR] [--only NAME] [--limit-mb 6000] [--timeout 60]

Each attack runs `quizgen` in a child process under `ulimit -v` and `timeout` (so the machine survives the
"before" code); --code points PYTHONPATH at another checkout (e.g. an exported older commit) to compare.
Prints one Markdown row per attack: wall time, peak RSS (the child and everything it waited for), exit code
and the last line the command printed. Needs root for the device node and the full tmpfs.
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import hostile_files as hostile  # noqa: E402

QUIZGEN = [sys.executable, "-c", "from quizgen.cli import main; main()"]


def run(argv: list[str], env: dict, cwd: Path, limit_mb: int, timeout: int) -> tuple[float, float, int, str]:
    command = f"ulimit -v {limit_mb * 1024}; exec timeout -s KILL {timeout} {shlex.join(argv)}"
    started = time.monotonic()
    child = subprocess.Popen(["bash", "-c", command], env=env, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    output = child.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    lines = [ln for ln in output.splitlines() if ln.strip()]
    said = [ln for ln in lines if ln.startswith(("error:", "warning:", "unreadable:"))]
    last = "Traceback: " + lines[-1] if "Traceback" in output else (said or lines or [""])[-1]
    return seconds, usage.ru_maxrss / 1024, code, last[:110]


def attacks(work: Path) -> dict[str, tuple[list[str], dict, callable]]:
    """name -> (quizgen arguments, extra environment, check after: returns a note)."""
    def anki_over(path: Path) -> list[str]:
        return ["anki", "--templates", "name_the_decider", "-o", str(path)]

    fifo = work / "deck-fifo.apkg"
    os.mkfifo(fifo)
    device = work / "null-device"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    found = {
        "anki -o FIFO": (anki_over(fifo), {}, lambda: "still a FIFO" if stat.S_ISFIFO(fifo.lstat().st_mode)
                         else "FIFO REPLACED"),
        "anki -o device node (1,3)": (anki_over(device), {}, lambda: "still a device" if stat.S_ISCHR(
            device.lstat().st_mode) else "DEVICE REPLACED"),
        "previous .apkg: 4 GiB zip bomb": (anki_over(hostile.zip_bomb(work / "bomb.apkg")), {}, None),
        "previous .apkg: recursive SQL view": (anki_over(hostile.recursive_view(work / "view.apkg")), {}, None),
    }
    for name, path in hostile.malformed_packages(work / "malformed").items():
        found[f"previous .apkg: {name}"] = (anki_over(path), {}, None)
    found["--timestamp 2**40"] = (["anki", "--timestamp", str(2 ** 40), "-o", str(work / "t.apkg")], {}, None)
    found["SOURCE_DATE_EPOCH=10**30"] = (["anki", "-o", str(work / "t.apkg")],
                                         {"SOURCE_DATE_EPOCH": str(10 ** 30)}, None)
    subprocess.run(QUIZGEN + ["pdf", "--answer-sheet", "-o", str(work / "rl-quiz.pdf")], check=True, cwd=work,
                   stdout=subprocess.DEVNULL)
    key = str(work / "rl-answer-key.json")
    found["mark: 333-byte PDF, 14400 pt page"] = (
        ["mark", str(hostile.huge_page_pdf(work / "huge.pdf")), "--key", key, "-o", str(work / "r.csv")], {}, None)
    found["mark: 40000x40000 PNG"] = (
        ["mark", str(hostile.png(work / "huge.png", 40000, 40000)), "--key", key, "-o", str(work / "r.csv")], {},
        None)
    scan = str(hostile.png(work / "small.png", 100, 100))
    found["mark: key JSON 100,000 deep"] = (
        ["mark", scan, "--key", str(hostile.deep_json(work / "deep.json")), "-o", str(work / "r.csv")], {}, None)
    big = work / "big-key.json"
    with open(big, "wb") as out:
        out.write(b'{"format": "quizgen-answer-key", "pad": "')
        for _ in range(300):
            out.write(b"x" * (1 << 20))
        out.write(b'"}')
    found["mark: 300 MB key JSON"] = (["mark", scan, "--key", str(big), "-o", str(work / "r.csv")], {}, None)
    found["mark: forged key, 10**6 student digits"] = (
        ["mark", str(work / "rl-answer-sheets.pdf"), "--key", str(hostile.crafted_key(work / "forged.json")),
         "-o", str(work / "r.csv")], {}, None)
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_bank.py"), "300", str(work / "synth300")], check=True,
                   stdout=subprocess.DEVNULL)
    found["build: bank with 19 timeline entries"] = (["build", "-q", "--bank", str(work / "synth300"), "--out",
                                                      str(work / "o300")], {}, None)
    found["pdf --title of 5,000 characters"] = (["pdf", "--title", "Quiz " * 1000, "-o", str(work / "t-quiz.pdf")],
                                                {}, None)
    return found


def enospc(work: Path, env: dict, limit_mb: int, timeout: int) -> tuple[float, float, int, str]:
    """A rebuild into a 500 KB tmpfs: room for one set of files (about 430 KB) but not for two."""
    mount = work / "small-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=500k", "tmpfs", str(mount)], check=True)
    try:
        subprocess.run(QUIZGEN + ["build", "-q", "--out", str(mount / "out")], check=True, env=env, cwd=work,
                       stdout=subprocess.DEVNULL)
        before = {p.name: p.read_bytes() for p in (mount / "out").iterdir()}
        result = run(QUIZGEN + ["build", "-q", "--seed", "7", "--out", str(mount / "out")], env, work, limit_mb,
                     timeout)
        after = {p.name: p.read_bytes() for p in (mount / "out").iterdir()}
        changed = sorted(name for name in after if before.get(name) != after[name])
        note = f"changed: {', '.join(changed) or 'none'}; extra files: {sorted(set(after) - set(before)) or 'none'}"
        return result[:3] + (result[3] + " | " + note,)
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--only", default="")
    parser.add_argument("--limit-mb", type=int, default=6000)
    parser.add_argument("--timeout", type=int, default=60)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.code.resolve())}
    env.pop("SOURCE_DATE_EPOCH", None)
    os.environ.update(PYTHONPATH=env["PYTHONPATH"])
    work = Path(tempfile.mkdtemp(prefix="quizgen-attacks-"))
    try:
        print("| attack | seconds | peak MB | exit | last line |")
        print("|---|---|---|---|---|")
        for name, (argv, extra, check) in attacks(work).items():
            if args.only and args.only not in name:
                continue
            seconds, peak, code, last = run(QUIZGEN + argv, {**env, **extra}, work, args.limit_mb, args.timeout)
            if check:
                last += " | " + check()
            print(f"| {name} | {seconds:.2f} | {peak:.0f} | {code} | {last.replace('|', '/')} |", flush=True)
        if not args.only or "ENOSPC" in args.only:
            seconds, peak, code, last = enospc(work, env, args.limit_mb, args.timeout)
            print(f"| ENOSPC during build | {seconds:.2f} | {peak:.0f} | {code} | {last.replace('|', '/')} |")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
