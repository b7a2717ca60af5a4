"""quizgen's benchmarks: start-up, `build`, Anki decks from 1,000 to 100,000 events, PDFs, generation.

    python bench/run.py                 # everything (a few minutes on 2 cores)
    python bench/run.py --sizes 1000,10000 --repeat 3

Every figure is measured in a fresh process (wall time; peak memory from os.wait4, and for `quizgen anki`,
which generates in worker processes on a big bank, the peak of all its processes together), and set against
the same output made by the plain library alone (bench/plain_genanki.py, bench/plain_reportlab.py)
in the same run. Prints a table and writes bench/results.json. Not part of the pytest run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
PY = sys.executable
CLI = [PY, "-m", "quizgen.cli"]
T = "1717200000"

#: name -> (limit, unit): what the figures are held to
TARGETS = {
    "help": (0.15, "s"), "build": (1.5, "s"), "anki_ratio": (1.3, "x"), "anki_100k": (40.0, "s"),
    "anki_100k_mem": (1024.0, "MiB"), "growth": (11.0, "x"), "pdf_one": (0.5, "s"), "pdf_ratio": (1.5, "x"),
    "pdf_class_set": (1.0, "s"), "html_size": (500.0, "KB"), "html_first": (200.0, "ms"),
    "anki_process": (2.5, "x"), "class_set_ratio": (0.5, "x"), "build_imports": (3.0, "x"),
}
#: at least this many times the baseline commit's questions/s (issue 20)
GENERATION_SPEEDUP = 3.0
#: what `quizgen build` uses, imported bare: its floor
BUILD_LIBRARIES = "import reportlab.platypus, genanki, jinja2, pydantic, yaml"


def status_kib(pid: int | str = "self") -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (its peak so far) of a process, in KiB, from /proc (OSError once it is
    gone; an ended process not yet waited for has neither)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines()
            if line.startswith(("VmRSS:", "VmHWM:"))}


def descendants(root: int) -> list[int]:
    """A process and all its descendants, from /proc (those that end meanwhile are left out or ignored)."""
    pids = [root]
    for pid in pids:            # grows while it is walked: children, then theirs
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                pids += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return pids


class ProcessTree:
    """The resident memory of a process and all its descendants, read from /proc every few milliseconds.

    os.wait4 gives the peak of the largest single process only (Linux keeps the maximum, not the sum, over
    waited-for children), which hides worker processes. This keeps, per sample, the sum of every process's
    current resident memory (its maximum is `all_mib`: all processes at once; pages a worker still shares
    with its parent count in both, so it errs high) and each process's own peak (VmHWM; their sum,
    `sum_of_peaks_mib`, is a looser bound still: as if every process peaked at the same moment)."""

    INTERVAL = 0.01

    def __init__(self, pid: int):
        self.pid = pid
        self.together = 0
        self.peaks: dict[int, int] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        self.thread.join()

    def _watch(self) -> None:
        while not self.done.wait(self.INTERVAL):
            self._sample()

    def _sample(self) -> None:
        total = 0
        for pid in descendants(self.pid):
            try:
                kib = status_kib(pid)
            except OSError:
                continue
            total += kib.get("VmRSS", 0)      # an ended process not yet waited for has none
            if "VmHWM" in kib:
                self.peaks[pid] = max(self.peaks.get(pid, 0), kib["VmHWM"])
        self.together = max(self.together, total)


def run(cmd: list[str], cwd: Path = ROOT, root: Path = ROOT, tree: bool = False) -> dict:
    """Run a fresh process (quizgen from `root`); its wall seconds, peak resident memory (MiB) and stdout;
    with `tree`, also the peak of it and its worker processes together (ProcessTree)."""
    env = {**os.environ, "PYTHONPATH": str(root), "SOURCE_DATE_EPOCH": T}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watch = ProcessTree(proc.pid) if tree else None
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()}")
    figures = {"seconds": wall, "peak_mib": usage.ru_maxrss / 1024, "stdout": out.decode()}
    if watch:
        watch.stop()
        figures["all_mib"] = max(watch.together / 1024, figures["peak_mib"])
        figures["sum_of_peaks_mib"] = max(sum(watch.peaks.values()) / 1024, figures["peak_mib"])
        figures["processes"] = max(len(watch.peaks), 1)
    return figures


def compile_bytecode(root: Path) -> None:
    """Write the checkout's .pyc files first, as installing quizgen does: with PYTHONDONTWRITEBYTECODE set (or
    .pyc files older than the sources) every measured process would compile quizgen's modules again, about
    50 ms that no installed copy pays, while the plain libraries in site-packages have theirs."""
    subprocess.run([PY, "-m", "compileall", "-q", str(root / "quizgen"), str(root / "bench")], check=True,
                   stdout=subprocess.DEVNULL)


def median_run(cmd: list[str], repeat: int, tree: bool = False) -> dict:
    runs = [run(cmd, tree=tree) for _ in range(repeat)]
    best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**best, "runs": [round(r["seconds"], 4) for r in runs]}


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


# ---- the measurements ----

def startup(repeat: int) -> dict:
    figures = {"python -m quizgen.cli --help": median_run([*CLI, "--help"], repeat)}
    script = shutil.which("quizgen")
    if script:
        figures["quizgen --help"] = median_run([script, "--help"], repeat)
    floor = median_run([PY, "-c", "import click; click.command()(lambda: None)(['--help'], 'quizgen')"], repeat)
    return {"figures": figures, "floor": floor}


def build(tmp: Path, repeat: int) -> dict:
    has_build = run([*CLI, "--help"])["stdout"].find("\n  build ") >= 0
    out = tmp / "build"
    cmd = ([*CLI, "build", "--out", str(out), "--timestamp", T, "-q"] if has_build
           else [*CLI, "anki", "-o", str(out / "red_lines.apkg"), "--timestamp", T])
    out.mkdir(exist_ok=True)
    return {"command": "build" if has_build else "anki", **median_run(cmd, repeat),
            "imports": median_run([PY, "-c", BUILD_LIBRARIES], repeat)}


def anki(tmp: Path, events: int, repeat: int) -> dict:
    from make_bank import write_bank

    bank = write_bank(events, tmp / f"bank-{events}")
    deck = tmp / f"deck-{events}.apkg"
    cli = median_run([*CLI, "anki", "--bank", str(bank), "-o", str(deck), "--timestamp", T], repeat, tree=True)
    phases = last_json(run([PY, str(BENCH / "phases.py"), str(bank), str(tmp / "phases.apkg"), T])["stdout"])
    notes_json = tmp / f"notes-{events}.json"
    run([PY, str(BENCH / "anki_dump.py"), str(deck), str(notes_json)])
    plain = median_run([PY, str(BENCH / "plain_genanki.py"), str(notes_json), str(tmp / "plain.apkg")], repeat)
    plain.update(last_json(plain.pop("stdout")))
    notes_json.unlink()
    shutil.rmtree(bank)
    return {"events": events, "cli": cli, "phases": phases, "plain": plain, "size": deck.stat().st_size,
            "plain_size": (tmp / "plain.apkg").stat().st_size}


def pdf(tmp: Path, repeat: int) -> dict:
    from pdf_dump import dump

    results = {}
    for name, versions, extra in (("one", 1, ["--no-key"]), ("class_set", 30, ["--key"])):
        quiz = tmp / f"pdf-{name}-quiz.pdf"
        cmd = [*CLI, "pdf", "--questions", "30", "--versions", str(versions), "-o", str(quiz), *extra]
        measured = median_run(cmd, repeat)
        files = [quiz] + ([quiz.with_name(f"pdf-{name}-answer-key.pdf")] if versions > 1 else [])
        pages_json = tmp / f"pages-{name}.json"
        pages_json.write_text(json.dumps(dump(files), ensure_ascii=False), encoding="utf-8")
        plain_dir = tmp / f"plain-{name}"
        plain_dir.mkdir()
        plain = median_run([PY, str(BENCH / "plain_reportlab.py"), str(pages_json), str(plain_dir)], repeat)
        plain.update(last_json(plain.pop("stdout")))
        results[name] = {"versions": versions, "cli": measured, "plain": plain,
                         "pages": sum(len(d["pages"]) for d in json.loads(pages_json.read_text())["documents"])}
    return results


def generation(repeat: int) -> dict:
    code = ("import time,json;from quizgen.bank.loader import load_bank;from quizgen.generate.generator import generate;"
            "b=load_bank();t=time.perf_counter();r=generate(b);"
            "print(json.dumps({'seconds':time.perf_counter()-t,'questions':len(r.questions)}))")
    runs = [last_json(run([PY, "-c", code])["stdout"]) for _ in range(repeat)]
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


GENERATE_SYNTHETIC = ("import sys,time,json;from pathlib import Path;from quizgen.bank.loader import load_bank;"
                      "from quizgen.generate.generator import generate;b=load_bank(Path(sys.argv[1]));"
                      "t=time.perf_counter();r=generate(b);"
                      "print(json.dumps({'seconds':time.perf_counter()-t,'questions':len(r.questions)}))")


def versus(tmp: Path, baseline: Path, events: int, repeat: int) -> dict:
    """Generation alone on a synthetic bank of `events`, this checkout against `baseline` (another commit's
    checkout), each with the bank its own bench/make_bank.py writes (the bank schema changes between commits)."""
    figures = {}
    for name, root in (("baseline", baseline), ("current", ROOT)):
        bank = tmp / f"versus-{name}"
        run([PY, str(root / "bench" / "make_bank.py"), str(events), str(bank)], cwd=root, root=root)
        runs = [last_json(run([PY, "-c", GENERATE_SYNTHETIC, str(bank)], cwd=root, root=root)["stdout"])
                for _ in range(repeat)]
        best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
        figures[name] = {**best, "runs": [round(r["seconds"], 3) for r in runs]}
        shutil.rmtree(bank)
    commit = subprocess.run(["git", "-C", str(baseline), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or baseline.name
    return {"events": events, "baseline_commit": commit, **figures}


def html_page(repeat: int) -> dict | None:
    """The whole-bank practice page in headless chromium (bench/html_page.py), when chromium is there."""
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        return None
    return last_json(run([PY, str(BENCH / "html_page.py"), "--repeat", str(repeat)])["stdout"])


# ---- the table ----

def _verdict(name: str, value: float) -> str:
    limit, unit = TARGETS[name]
    return f"{'ok  ' if value <= limit else 'MISS'} < {limit:g} {unit}"


def report(results: dict) -> list[tuple[str, str, str, str, str]]:
    """Rows: what, quizgen, plain-library floor, ratio, target."""
    rows = []
    s = results["startup"]
    for what, fig in s["figures"].items():
        rows.append((f"`{what}`", f"{fig['seconds']:.3f} s", f"{s['floor']['seconds']:.3f} s (bare click)",
                     f"{fig['seconds'] / s['floor']['seconds']:.2f}x", _verdict("help", fig["seconds"])))
    b = results["build"]
    floor = b.get("imports")
    rows.append((f"`quizgen {b['command']}` red-lines bank", f"{b['seconds']:.3f} s, {b['peak_mib']:.0f} MiB",
                 f"{floor['seconds']:.3f} s (bare import of its libraries)" if floor else "",
                 f"{b['seconds'] / floor['seconds']:.2f}x" if floor else "",
                 _verdict("build", b["seconds"]) + (f"; {_verdict('build_imports', b['seconds'] / floor['seconds'])}"
                                                    if floor else "")))
    g = results["generation"]
    rows.append(("generation only, red-lines bank", f"{g['questions'] / g['seconds']:,.0f} questions/s "
                 f"({g['questions']} in {g['seconds']:.3f} s)", "", "", ""))
    v = results.get("versus")
    if v:
        now, then = (x["questions"] / x["seconds"] for x in (v["current"], v["baseline"]))
        speedup = now / then
        rows.append((f"generation only, {v['events']:,}-event synthetic bank, vs commit {v['baseline_commit']}",
                     f"{now:,.0f} questions/s ({v['current']['questions']:,} in {v['current']['seconds']:.2f} s)",
                     f"{then:,.0f} questions/s ({v['baseline']['questions']:,} in {v['baseline']['seconds']:.2f} s)",
                     f"{speedup:.2f}x", f"{'ok  ' if speedup >= GENERATION_SPEEDUP else 'MISS'} >= "
                                        f"{GENERATION_SPEEDUP:g} x"))
    previous = None
    for a in results["anki"]:
        n, cli, ph, plain = a["events"], a["cli"], a["phases"], a["plain"]
        floor_process = plain["seconds"] - plain["load_seconds"]
        rows.append((f"`quizgen anki`, {n:,} events ({ph['notes']:,} notes)",
                     f"{cli['seconds']:.2f} s, {_memory(cli)}, {ph['notes'] / cli['seconds']:,.0f} notes/s",
                     f"{floor_process:.2f} s, {plain['peak_mib']:.0f} MiB (genanki process)",
                     f"{cli['seconds'] / floor_process:.2f}x", _verdict("anki_process", cli["seconds"] / floor_process)))
        rows.append((f"  Anki output stage, {n:,} events", f"{ph['write']:.2f} s",
                     f"{plain['write_seconds']:.2f} s (genanki)", f"{ph['write'] / plain['write_seconds']:.2f}x",
                     _verdict("anki_ratio", ph["write"] / plain["write_seconds"])))
        rows.append((f"  load / generate, {n:,} events", f"{ph['load']:.2f} s / {ph['generate']:.2f} s "
                     f"({ph['questions'] / ph['generate']:,.0f} questions/s)", "", "", ""))
        if previous:
            growth = cli["seconds"] / previous["cli"]["seconds"]
            scale = n / previous["events"]
            rows.append((f"  growth {previous['events']:,} -> {n:,} events ({scale:g}x)", f"{growth:.2f}x time",
                         "", "", _verdict("growth", growth * 10 / scale)))
        if n >= 100_000:
            memory = cli.get("all_mib", cli["peak_mib"])
            rows.append(("  100,000 events: time, peak memory of all processes", f"{cli['seconds']:.1f} s, "
                         f"{memory:.0f} MiB", "", "", f"{_verdict('anki_100k', cli['seconds'])}; "
                                                    f"{_verdict('anki_100k_mem', memory)}"))
        previous = a
    for name, p in results.get("pdf", {}).items():
        cli, plain = p["cli"], p["plain"]
        floor = plain["seconds"] - plain["load_seconds"]
        what = ("`quizgen pdf`, 30 questions, 1 version" if name == "one"
                else "`quizgen pdf`, 30 questions, 30 versions + key")
        target = _verdict("pdf_one" if name == "one" else "pdf_class_set", cli["seconds"])
        ratio = _verdict("pdf_ratio" if name == "one" else "class_set_ratio", cli["seconds"] / floor)
        rows.append((f"{what} ({p['pages']} pages)", f"{cli['seconds']:.3f} s, {cli['peak_mib']:.0f} MiB",
                     f"{floor:.3f} s (reportlab process)", f"{cli['seconds'] / floor:.2f}x", f"{target}; {ratio}"))
    for name, page in (results.get("html") or {}).items():
        ms = page["ms"]
        rows.append((f"`quizgen html{' --all' if name == 'bank' else ''}` ({page['questions']} questions) in chromium",
                     f"{page['bytes'] / 1000:,.1f} KB; first question {ms['first']:.0f} ms, ready {ms['ready']:.0f} ms",
                     "", "", f"{_verdict('html_size', page['bytes'] / 1000)}; {_verdict('html_first', ms['first'])}"
                     if name == "bank" else ""))
    return rows


def _memory(figures: dict) -> str:
    """Peak memory: of all processes together where workers ran (with the largest single one)."""
    if figures.get("processes", 1) > 1:
        return f"{figures['all_mib']:.0f} MiB in {figures['processes']} processes (largest {figures['peak_mib']:.0f})"
    return f"{figures['peak_mib']:.0f} MiB"


def markdown(rows) -> str:
    head = ("What", "quizgen", "Plain library, same output", "Ratio", "Target")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="quizgen benchmarks")
    parser.add_argument("--sizes", default="1000,10000,100000", help="events per synthetic bank")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each short measurement (median)")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--baseline", type=Path, help="a checkout of another commit: time its generation against "
                        "this one's (git worktree add /tmp/start COMMIT)")
    parser.add_argument("--versus-events", type=int, default=10_000, help="events of the --baseline comparison")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    started = time.monotonic()
    results: dict = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    for root in [ROOT] + ([args.baseline.resolve()] if args.baseline else []):
        compile_bytecode(root)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        results["startup"] = startup(max(args.repeat, 7))
        results["build"] = build(tmp, args.repeat)
        results["generation"] = generation(args.repeat)
        if args.baseline:
            results["versus"] = versus(tmp, args.baseline.resolve(), args.versus_events, args.repeat)
        results["anki"] = [anki(tmp, n, args.repeat if n < 50_000 else 1) for n in sizes]
        has_pdf = run([*CLI, "--help"])["stdout"].find("\n  pdf ") >= 0
        if has_pdf and not args.no_pdf:
            results["pdf"] = pdf(tmp, args.repeat)
        results["html"] = html_page(args.repeat)
    results["seconds"] = time.monotonic() - started
    rows = report(results)
    results["table"] = markdown(rows)
    for part in ("startup", "build", "anki", "pdf"):
        _drop_stdout(results.get(part))
    (BENCH / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(results["table"])
    print(f"\n{len(sizes)} bank sizes in {results['seconds']:.0f} s; figures in {BENCH / 'results.json'}")


def _drop_stdout(value) -> None:
    if isinstance(value, dict):
        value.pop("stdout", None)
        for v in value.values():
            _drop_stdout(v)
    elif isinstance(value, list):
        for v in value:
            _drop_stdout(v)


if __name__ == "__main__":
    main()
