"""Hostile banks and templates (issue 18, input side): time and peak memory of `quizgen check` on each.

    python bench/attacks.py                  # every attack, a table
    python bench/attacks.py --only nan,fifo  # some of them

Each attack is a copy of the shipped bank with one file added or changed. Every run is a fresh process
under `timeout 60` with its address space capped (ulimit -v, 4 GiB by default) so that a runaway input
cannot take the machine; wall time and peak resident memory come from os.wait4. Not part of pytest.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "questions" / "red_lines"
sys.path.insert(0, str(ROOT / "tests"))
from hostile import NUMBER, PROBE  # noqa: E402  (the same files the tests add)

def _probe(prompt: str):
    return lambda bank: (bank / "templates" / "zz_probe.yaml").write_text(PROBE.format(prompt=prompt))


def _number(value: str, unit: str = "units"):
    return lambda bank: (bank / "zz_numbers.yaml").write_text(NUMBER.format(value=value, unit=unit))


def _fifo(bank: Path) -> None:
    os.mkfifo(bank / "zz_fifo.yaml")


def _dev_zero(bank: Path) -> None:
    (bank / "zz_zero.yaml").symlink_to("/dev/zero")


def _templates_loop(bank: Path) -> None:
    shutil.rmtree(bank / "templates")
    (bank / "templates").symlink_to("templates")


def _templates_missing(bank: Path) -> None:
    shutil.rmtree(bank / "templates")


def _write(name: str, text: str):
    return lambda bank: (bank / name).write_text(text)


def _where(condition: str):
    def make(bank: Path) -> None:
        (bank / "templates" / "zz_probe.yaml").write_text(
            PROBE.format(prompt="{{ event.summary }}").replace("  from: events\n",
                                                              f"  from: events\n  where: {condition}\n"))
    return make


SLOW_LOOP = ("{% for m in range(8) %}{% for i in range(100) %}{% for j in range(100) %}{% for k in range(100) %}"
             "{% set x = k %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{{ event.id }}")
DOUBLING = ("{% set a %}{% for i in range(100) %}{% for j in range(100) %}xxxxxxxxxx{% endfor %}{% endfor %}"
            "{% endset %}" + "".join(f"{{% set {n} %}}{{{{{p}}}}}{{{{{p}}}}}{{{{{p}}}}}{{{{{p}}}}}{{% endset %}}"
                                     for p, n in zip("abcdefg", "bcdefgh")) + "{{ h|length }}")

#: name -> (what it is, how to make it)
ATTACKS = {
    "dev_zero": ("a bank file that is /dev/zero", _dev_zero),
    "fifo": ("a bank file that is a FIFO", _fifo),
    "deep_yaml": ("YAML nested 100,000 deep", _write("zz_deep.yaml", "x: " + "[" * 100_000 + "]" * 100_000 + "\n")),
    "int_5000": ("a 5,000-digit integer", _number("9" * 5000)),
    "value_4000": ("a 4,000-digit `value`", _number("9" * 4000)),
    "nan": ("`value: .nan`", _number(".nan")),
    "inf": ("`value: .inf`", _number(".inf")),
    "control_comment": ("a raw control character in a comment", _write("zz_ctl.yaml", "# bell \x07 here\nnumbers: []\n")),
    "unit_escape": ("`numbers.unit` with an escape sequence", _number("3", '"\\e[2J\\e[31mred"')),
    "at_least": ("`where: {date.year: {at_least: soon}}`", _where("{date.year: {at_least: soon}}")),
    "no_templates": ("no templates/ folder", _templates_missing),
    "templates_loop": ("templates/ is a symlink loop", _templates_loop),
    "pow_fold": ("`{{ 9**(9**9) }}` (folded at compile time)", _probe("{{ 9**(9**9) }}")),
    "set_fold": ("`{% set a = 'a'*10**9 %}` (folded at compile time)", _probe("{% set a = 'a'*10**9 %}x")),
    "str_times": ("`'a' * (year * 10**6)` at render time", _probe("{{ 'a' * (event.date.year * 1000000) }}")),
    "list_times": ("`[0] * (year * 150000)` at render time", _probe("{{ [0] * (event.date.year * 150000) }}")),
    "center": ("`summary|center(year * 500000)`", _probe("{{ event.summary|center(event.date.year * 500000) }}")),
    "format_pad": ("`'%*s'|format(year * 500000, 'x')`",
                   _probe("{{ '%*s'|format(event.date.year * 500000, 'x') }}")),
    "block_doubling": ("`{% set %}` blocks doubling a 100 kB string 7 times", _probe(DOUBLING)),
    "map_lists": ("`map` building 500 MB of small lists (no size check sees it)",
                  _probe("{% set a = (['x'] * 1300)|map('center', 4000)|map('batch', 1)|map('list')|list %}"
                         "{{ a|length }}")),
    "slow_renders": ("8M loop steps (about 0.8 s) per render, over all 55 events", _probe(SLOW_LOOP)),
    "deep_jinja": ("`{{ ((((...)))) }}` 900 deep", _probe("{{ " + "(" * 900 + "1" + ")" * 900 + " }}")),
}


def measure(name: str, limit_kib: int, seconds: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / "bank"
        shutil.copytree(BANK, bank)
        ATTACKS[name][1](bank)
        cmd = ["timeout", str(seconds), sys.executable, "-m", "quizgen.cli", "check", "--bank", str(bank)]
        started = time.perf_counter()
        with open(Path(tmp) / "out.txt", "w+b") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=log, cwd=tmp, preexec_fn=lambda: _cap(limit_kib))
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            log.seek(0)
            text = log.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    first = next((ln for ln in text.splitlines() if ln.startswith("error:")), text.strip().splitlines()[-1:] or [""])
    outcome = ("timeout" if code == 124 else "traceback" if "Traceback" in text else
               "ok (exit 0)" if code == 0 else f"exit {code}")
    return {"name": name, "seconds": wall, "peak_mib": usage.ru_maxrss / 1024, "outcome": outcome,
            "first": first if isinstance(first, str) else (first[0] if first else "")}


def _cap(limit_kib: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit_kib * 1024, limit_kib * 1024))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="comma-separated attack names")
    parser.add_argument("--limit-mib", type=int, default=4096, help="address-space cap per run (ulimit -v)")
    parser.add_argument("--timeout", type=int, default=60)
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(ATTACKS)
    print("| attack | outcome | seconds | peak MiB | first line |")
    print("|---|---|---|---|---|")
    for name in names:
        r = measure(name, args.limit_mib * 1024, args.timeout)
        print(f"| {ATTACKS[name][0]} | {r['outcome']} | {r['seconds']:.2f} | {r['peak_mib']:.0f} | {r['first'][:90]} |",
              flush=True)


if __name__ == "__main__":
    main()
