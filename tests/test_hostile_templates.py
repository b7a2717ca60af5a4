"""Hostile templates (issue 18): nothing folded at compile time, sizes checked before a value is built,
time budgets per render, template and build, and an address-space bound for what the checks miss."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import PROBE, TINY_BANK, assert_clean_failure, run_measured


BLOW_UPS = [
    ("{{ 9**(9**9) }}", "this power"),
    ("{% set a = 'a'*10**9 %}x", "repeating a text or list"),
    ("{{ 'a' * (event.date.year * 1000000) }}", "repeating a text or list"),
    ("{{ [0] * (event.date.year * 150000) }}", "repeating a text or list"),
    ("{{ (event.date.year ** 99999) }}", "this power"),
    ("{{ 10**4000 * 10**4000 }}", "multiplying these numbers"),
    ("{{ event.summary|center(event.date.year * 500000) }}", "padding to this width"),
    ("{{ event.summary.center(10**9) }}", "padding to this width"),
    ("{{ event.summary.ljust(10**9) }}", "padding to this width"),
    ("{{ event.summary.zfill(10**9) }}", "padding to this width"),
    ("{{ '%*s'|format(event.date.year * 500000, 'x') }}", "padding in this format"),
    ("{{ '%0999999999d' % 1 }}", "padding in this format"),
    ("{{ '%(a)0999999999d' % {'a': 1} }}", "padding in this format"),
    ("{{ '{:>999999999}'.format(event.summary) }}", "padding in this format"),
    ("{{ '{:{}}'.format(event.summary, 999999999) }}", "padding in this format"),
    ("{{ event.summary.replace('', event.summary * 100) }}", "this replacement"),
    ("{{ event.summary|replace('', event.summary * 100) }}", "this replacement"),
    ("{{ ('\\t' * 4000).expandtabs(4000) }}", "expanding tabs"),
    ("{{ (event.summary * 100)|wordwrap(1, wrapstring='x' * 1000) }}", "word wrap"),
    ("{{ ('a' * 3000)|indent(3000) }}", "indentation"),
    ("{{ (event.summary * 100)|join(event.summary * 100) }}", "the joined list"),
    ("{{ ('x' * 3000) ~ ('x' * 3000) }}", "joining these"),
    ("{{ ('x' * 3000) + ('x' * 3000) }}", "joining these"),
    ("{% set a = [0,0,0,0,0,0,0,0,0,0] %}{% set b = [a,a,a,a,a,a,a,a,a,a] %}{% set c = [b,b,b,b,b,b,b,b,b,b] %}"
     "{% set d = [c,c,c,c,c,c,c,c,c,c] %}{{ d|length }}", "this list"),
    ("{% set a = [[0] * 4000] * 4000 %}x", "repeating a text or list"),
    ("{{ [[1]]|sum(start=[]) }}", "sum adds numbers only"),
    ("{% set a %}{% for i in range(100) %}{% for j in range(100) %}xxxxxxxxxx{% endfor %}{% endfor %}{% endset %}"
     "{{ a|length }}", "block's output"),
    ("{% macro m() %}{% for i in range(100) %}{{ 'x' * 100 }}{% endfor %}{% endmacro %}{{ m()|length }}",
     "block's output"),
    ("{{ " + "(" * 900 + "1" + ")" * 900 + " }}", "nested too deeply"),
]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    shutil.copytree(TINY_BANK, bank)
    return bank


def with_prompt(bank: Path, prompt: str) -> Path:
    path = bank / "templates" / "zz_probe.yaml"
    path.write_text(PROBE.format(prompt=prompt.replace('"', '\\"')), encoding="utf-8")
    return path


@pytest.mark.parametrize("prompt,words", BLOW_UPS)
def test_blow_ups_are_refused_before_they_are_built(tiny, prompt, words):
    with_prompt(tiny, prompt)
    assert_clean_failure(run_measured("check", "--bank", str(tiny)), "zz_probe.yaml:8:", words,
                         seconds=3, peak_mib=32)


@pytest.mark.parametrize("source,expected", [
    ("{{ year * 2 }} {{ 2 ** 10 }} {{ '%5s|' % 'ab' }} {{ 'ab'|center(6) }}|", "4048 1024 ab| ab |"),
    ("{{ '{:>4}'.format('ab') }}|{{ (text ~ '!')|length > 3 }}", "ab|True"),
    ("{% for a, b in [(1, 2)] %}{{ a }}{{ b }}{% endfor %} {{ {'k': 1}['k'] }} {{ ['x', 'y']|join(', ') }}",
     "12 1 x, y"),
    ("{{ [1, 2, 3]|sum }} {{ ('ab' * 3)|replace('b', 'c') }} {{ 'a\tb'.expandtabs(2) }} {{ -year }}",
     "6 acacac a b -2024"),
    ("{% set s %}{{ text }}{% endset %}{{ s|upper }} {{ text|wordwrap(5) }}", "HELLO WORLD hello world"),
    ("{{ '-'.join(text.split()) }} {{ '+'.join(text.split()|map('upper')) }} {{ '%(y)05d' % {'y': year} }}",
     "hello-world HELLO+WORLD 02024"),
])
def test_ordinary_expressions_still_work(source, expected):
    from quizgen.generate.views import compile_template, render

    assert render(compile_template(source), {"year": 2024, "text": "hello world"}) == expected


def test_constant_expressions_are_not_computed_while_compiling():
    from quizgen.generate.views import compile_template

    started = time.monotonic()
    for source in ["{{ 9**(9**9) }}", "{% set a = 'a'*10**9 %}", "{{ 'x'|center(10**9) }}",
                   "{{ 'x'|center(1000000000) }}", "{{ '%0999999999d'|format(1) }}"]:
        compile_template(source)
    assert time.monotonic() - started < 1


def test_a_slow_render_is_stopped(tiny, monkeypatch):
    from quizgen.generate import limits

    monkeypatch.setattr(limits, "MAX_SECONDS", 0.2)
    with_prompt(tiny, "{% for i in range(100) %}{% for j in range(100) %}{% for k in range(100) %}{% for m in range(100)"
                      " %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}x")
    assert_clean_failure(run_measured("check", "--bank", str(tiny)), "zz_probe.yaml:8:", "longer than 0.2 s",
                         seconds=2)


SLOW = ("{% for i in range(100) %}{% for j in range(100) %}{% for k in range(100) %}{% set x = k %}"
        "{% endfor %}{% endfor %}{% endfor %}{{ event.summary }}")


def test_a_template_just_under_the_render_limit_runs_out_of_its_total(tiny, monkeypatch):
    """Each render stays under the per-render limit; the template's total stops it (3 events here)."""
    from quizgen.generate import limits

    monkeypatch.setattr(limits, "TEMPLATE_SECONDS", 0.1)
    with_prompt(tiny, SLOW)
    run = run_measured("check", "--bank", str(tiny))
    assert_clean_failure(run, "zz_probe.yaml:8:", "total time budget", seconds=2)


def test_many_templates_run_out_of_the_build_budget(tiny, monkeypatch, tmp_path):
    from quizgen.generate import limits

    monkeypatch.setattr(limits, "BUILD_SECONDS", 0.15)
    for n in range(6):
        path = tiny / "templates" / f"zz_slow_{n}.yaml"
        path.write_text(PROBE.replace("zz_probe", f"zz_slow_{n}").format(prompt=SLOW), encoding="utf-8")
    out = tmp_path / "out"
    run = run_measured("build", "-q", "--bank", str(tiny), "--out", str(out))
    assert_clean_failure(run, "zz_slow_", "total time budget", seconds=3)
    assert not out.exists() or not any(out.iterdir())
    assert limits.budget.build is None and limits.budget.template is None


#: builds over 500 MB of small lists through `map`, which no size check foresees: the address-space bound stops it
MAP_LISTS = "{% set a = (['x'] * 1300)|map('center', 4000)|map('batch', 1)|map('list')|list %}{{ a|length }}"


#: the CLI with a generous render time limit, so that on a busy machine memory, not time, runs out first
SLOW_MACHINE_CLI = "from quizgen.generate import limits; limits.MAX_SECONDS = 60; from quizgen.cli import main; main()"


def test_what_the_checks_miss_is_stopped_by_the_memory_bound(tiny):
    """In a fresh process, so that peak resident memory (from os.wait4) is this run's alone."""
    cmd = [sys.executable, "-c", SLOW_MACHINE_CLI, "check", "--bank", str(tiny)]

    def run() -> tuple[int, str, float]:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output = proc.stdout.read().decode()
        _, status, usage = os.wait4(proc.pid, 0)
        return os.waitstatus_to_exitcode(status), output, usage.ru_maxrss / 1024

    baseline = run()[2]          # the same check of a clean bank: what the process needs without the template
    with_prompt(tiny, MAP_LISTS)
    started = time.monotonic()
    code, output, peak = run()
    assert code == 1, output
    assert "Traceback" not in output and "needs more than 256 MB of memory" in output, output
    assert "zz_probe.yaml:8:" in output
    assert peak - baseline < 300, f"peak {peak:.0f} MiB, {peak - baseline:.0f} MiB over a clean check"
    assert time.monotonic() - started < 20


def test_the_memory_bound_is_lifted_after_rendering(monkeypatch):
    import resource

    from quizgen.generate import limits
    from quizgen.generate.views import compile_template, render

    monkeypatch.setattr(limits, "MAX_SECONDS", 60)
    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(Exception, match="needs more than"):
        render(compile_template(MAP_LISTS), {})
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert len(bytearray(300 * 2**20)) == 300 * 2**20


@pytest.mark.parametrize("prompt", ["{{ 9**(9**9) }}", "{% set a = 'a'*10**9 %}x", MAP_LISTS])
def test_a_hostile_template_builds_nothing(tiny, tmp_path, monkeypatch, prompt):
    from quizgen.generate import limits

    monkeypatch.setattr(limits, "MAX_SECONDS", 60)
    with_prompt(tiny, prompt)
    out = tmp_path / "out"
    run = run_measured("build", "-q", "--bank", str(tiny), "--out", str(out))
    assert_clean_failure(run, "zz_probe.yaml:8:", "", seconds=10, peak_mib=300)
    assert not out.exists() or not any(out.iterdir())


def test_no_timer_or_limit_outlives_a_timed_out_render(monkeypatch):
    import resource
    import signal

    from quizgen.generate import limits
    from quizgen.generate.views import compile_template, render, render_session

    monkeypatch.setattr(limits, "MAX_SECONDS", 0.05)
    before = resource.getrlimit(resource.RLIMIT_AS)
    loop = compile_template("{% for h in range(100) %}{% for i in range(100) %}{% for j in range(100) %}"
                            "{% for k in range(100) %}{% set x = k %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}")
    for _ in range(20):
        with render_session():
            with pytest.raises(limits.TemplateRenderError, match="longer than 0.05 s"):
                render(loop, {})
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)
