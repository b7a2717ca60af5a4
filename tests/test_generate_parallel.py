"""A big bank's templates run in worker processes (quizgen/generate/parallel.py) and give what one process gives:
the same questions, skips, reports and flags in the same order, the same errors, the same time limits; small
banks never start a worker, and neither Ctrl-C nor a killed main process leaves a worker behind."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import fields, replace
from pathlib import Path

import pytest
from forks import forks_during
from generated_dump import bank_paths
from hostile import PROBE, TINY_BANK

from quizgen.bank.loader import load_bank
from quizgen.errors import QuizgenError
from quizgen.generate.generator import generate
from quizgen.generate.parallel import WORKERS_FROM, bank_records, usable_cores
from quizgen.generate.templates import load_templates

ROOT = Path(__file__).resolve().parent.parent
ONE_PROCESS = 10**12     # a threshold no bank reaches
ALWAYS = 0               # every bank runs in workers

pytestmark = pytest.mark.skipif(usable_cores() < 2 or not hasattr(os, "fork"),
                                reason="workers run only with fork and a second core")


@pytest.fixture(scope="module")
def banks(tmp_path_factory):
    return {name: load_bank(path) for name, path in bank_paths(tmp_path_factory.mktemp("banks")).items()}


def assert_same(parallel, single) -> None:
    """Field by field, so that a difference names what differs."""
    assert [q.id for q in parallel.questions] == [q.id for q in single.questions]
    for a, b in zip(parallel.questions, single.questions):
        for f in fields(a):
            assert getattr(a, f.name) == getattr(b, f.name), (a.id, f.name)
    assert parallel.skipped == single.skipped
    assert parallel.reports == single.reports
    assert parallel.flags == single.flags
    assert parallel.meta == single.meta
    assert parallel == single


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "review"])
@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("name", ["red-lines", "lockdown", "synthetic-400"])
def test_workers_give_what_one_process_gives(banks, name, seed, strict):
    bank = banks[name]
    single, forks = forks_during(lambda: generate(bank, seed=seed, strict=strict, workers_from=ONE_PROCESS))
    assert forks == 0
    parallel, forks = forks_during(lambda: generate(bank, seed=seed, strict=strict, workers_from=ALWAYS))
    assert forks >= 1
    assert_same(parallel, single)
    assert parallel.questions and parallel.skipped


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "review"])
@pytest.mark.parametrize("name", ["red-lines", "lockdown", "synthetic-400"])
def test_templates_run_over_slices_of_records_give_what_one_process_gives(banks, name, strict, monkeypatch,
                                                                         tmp_path):
    """A big bank's templates run slice by slice (here 4 records at a time), each process forgetting the last
    slice's memos: the same questions, skips and reports as one process running each template whole."""
    import quizgen.generate.generator as generator_module
    import quizgen.generate.units as units_module

    bank = banks[name]
    single = generate(bank, seed=7, strict=strict, workers_from=ONE_PROCESS)
    forget = generator_module.Generator.forget

    def forget_and_mark(self):      # a worker's calls count too: a file is what the test can see
        (tmp_path / f"{os.getpid()}-{len(list(tmp_path.iterdir()))}").touch()
        forget(self)

    monkeypatch.setattr(generator_module.Generator, "forget", forget_and_mark)
    monkeypatch.setattr(units_module, "SLICE_RECORDS", 4)
    parallel, forks = forks_during(lambda: generate(bank, seed=7, strict=strict, workers_from=ALWAYS))
    assert forks >= 1
    assert len(list(tmp_path.iterdir())) >= 2
    assert_same(parallel, single)


def test_workers_give_what_one_process_gives_for_some_templates(banks):
    bank = banks["synthetic-400"]
    ids = [s.id for s in load_templates(bank)]
    for options in ({"templates": [ids[-1], ids[2]]}, {"kinds": ["multiple_choice", "true_false"]}):
        assert_same(generate(bank, workers_from=ALWAYS, **options), generate(bank, workers_from=ONE_PROCESS, **options))


def test_a_worker_writing_a_template_out_in_parts_gives_what_one_process_gives(banks, monkeypatch):
    """A worker writes a big template's questions out as it makes them (here every 7); the main process puts the
    parts back together in order, and a template with a limit still stops at it."""
    import quizgen.generate.generator as generator_module

    bank = banks["synthetic-400"]
    single = generate(bank, workers_from=ONE_PROCESS)
    spec = next(s for s in load_templates(bank) if s.template.kind.value == "multiple_choice")
    whole, _ = generator_module.Generator(bank).run(spec)
    parts: list[list] = []
    monkeypatch.setattr(generator_module, "SPILL_EVERY", 7)
    rest, report = generator_module.Generator(bank).run(spec, lambda made: parts.append(list(made)))
    assert len(parts) == len(whole) // 7 and all(len(p) == 7 for p in parts)
    assert [q.id for p in parts for q in p] + [q.id for q in rest] == [q.id for q in whole]
    assert report.made == len(whole)
    limited = replace(spec, template=spec.template.model_copy(update={"limit": 9}))
    parts.clear()
    rest, report = generator_module.Generator(bank).run(limited, lambda made: parts.append(list(made)))
    assert report.made == 9 == sum(map(len, parts)) + len(rest) < len(whole) and len(parts) == 1
    assert_same(generate(bank, workers_from=ALWAYS), single)


def test_questions_from_workers_share_equal_values_again(banks):
    """Sources, explanations and dates are no more separate objects than in one process (memory at 100,000
    events), though each worker shared them only among its own questions."""
    bank = banks["synthetic-400"]
    parallel = generate(bank, workers_from=ALWAYS).questions
    single = generate(bank, workers_from=ONE_PROCESS).questions
    for name in ("source", "explanation", "sort_key"):
        objects = [len({id(getattr(q, name)) for q in questions}) for questions in (parallel, single)]
        assert objects[0] <= objects[1], name
        if name != "explanation":       # a builder's own explanations are not shared, even in one process
            assert objects[0] == len({getattr(q, name) for q in parallel}), name


def test_questions_of_one_slice_share_equal_values_across_processes(banks, monkeypatch):
    """Run slice by slice, each process forgets its shared values with the slice; the main process still gives
    the questions of one slice, whichever process made them, one object per equal source, date, facts and tags."""
    import quizgen.generate.units as units_module

    monkeypatch.setattr(units_module, "SLICE_RECORDS", 50)
    bank = banks["synthetic-400"]
    position = {e.id: i for i, e in enumerate(bank.events.values())}
    by_slice: dict[int, list] = {}
    for q in generate(bank, workers_from=ALWAYS).questions:
        if len(q.facts) == 1 and q.facts[0] in position:
            by_slice.setdefault(position[q.facts[0]] // 50, []).append(q)
    assert len(by_slice) == 8
    for questions in by_slice.values():
        for name in ("source", "sort_key", "facts", "tags"):
            assert len({id(getattr(q, name)) for q in questions}) == len({getattr(q, name) for q in questions}), name


def test_the_plan_hands_out_each_slice_to_one_process(banks, monkeypatch):
    """Every unit once: whole templates each a batch, then every sliced template over one slice as one batch
    (one process works a slice's records out), the last slice's units one by one (nobody waits at the end)."""
    import quizgen.generate.units as units_module

    monkeypatch.setattr(units_module, "SLICE_RECORDS", 50)
    bank = banks["synthetic-400"]
    specs = load_templates(bank)
    batches = units_module.plan(bank, specs)
    units = [unit for batch in batches for unit in batch]
    assert len(units) == len(set(units)) == sum(units_module.slices(bank, s) for s in specs)
    sliced = sorted(i for i, s in enumerate(specs) if units_module.slices(bank, s) > 1)
    last = units_module.slices(bank, specs[sliced[0]]) - 1
    assert len(sliced) >= 3 and last >= 2
    whole = [b for b in batches if b[0][1] == units_module.WHOLE]
    assert batches[:len(whole)] == whole and all(len(b) == 1 for b in whole)
    for part, batch in enumerate(batches[len(whole):len(whole) + last]):
        assert batch == [(i, part) for i in sliced]
    assert sorted(batches[len(whole) + last:]) == [[(i, last)] for i in sliced]


def test_a_slice_runs_in_one_process(banks, monkeypatch, tmp_path):
    """Every sliced template over one slice runs in the process that took the slice (but the last)."""
    import quizgen.generate.generator as generator_module
    import quizgen.generate.units as units_module

    run = generator_module.Generator.run

    def run_and_mark(self, spec, spill=None, among=None):     # a worker's runs count too: files show them
        if among is not None:
            (tmp_path / f"{among[0].id}-{spec.id}-{os.getpid()}").touch()
        return run(self, spec, spill, among)

    monkeypatch.setattr(generator_module.Generator, "run", run_and_mark)
    monkeypatch.setattr(units_module, "SLICE_RECORDS", 50)
    bank = banks["synthetic-400"]
    _, forks = forks_during(lambda: generate(bank, workers_from=ALWAYS))
    assert forks >= 1
    processes: dict[str, set[str]] = {}
    for mark in tmp_path.iterdir():
        first, _, pid = mark.name.split("-")
        processes.setdefault(first, set()).add(pid)
    assert len(processes) == 8
    last = max(processes)
    assert all(len(pids) == 1 for first, pids in processes.items() if first != last)


def test_small_banks_stay_in_one_process(banks):
    for name in ("red-lines", "lockdown", "synthetic-400"):
        assert bank_records_of(banks[name]) < WORKERS_FROM
        _, forks = forks_during(lambda: generate(banks[name]))
        assert forks == 0, name


def bank_records_of(bank) -> int:
    return bank_records(bank)


def failing_bank(tmp_path: Path, prompts: list[str]) -> Path:
    """The tiny bank with one probe template per prompt (zz_probe_0, zz_probe_1, ... in file order)."""
    bank = tmp_path / "bank"
    shutil.copytree(TINY_BANK, bank)
    for n, prompt in enumerate(prompts):
        text = PROBE.replace("zz_probe", f"zz_probe_{n}").format(prompt=prompt.replace('"', '\\"'))
        (bank / "templates" / f"zz_probe_{n}.yaml").write_text(text, encoding="utf-8")
    return bank


def problems_of(bank: Path, workers_from: int) -> list:
    with pytest.raises(QuizgenError) as caught:
        generate(load_bank(bank), workers_from=workers_from)
    return caught.value.problems


@pytest.mark.parametrize("slice_records", [None, 2], ids=["whole", "slices"])
def test_an_error_in_a_template_reads_as_in_one_process(tmp_path, monkeypatch, slice_records):
    """Every probe fails, each its own way; in either mode the user sees the first one in file order, with its
    file and line, whichever process ran it (or which of its slices)."""
    import quizgen.generate.units as units_module

    if slice_records:
        monkeypatch.setattr(units_module, "SLICE_RECORDS", slice_records)
    bank = failing_bank(tmp_path, ["{{ 1 // 0 }}", "{{ event.nothing.deeper }}", "{{ [][3] }}", "{{ 1 // 0 }}"])
    single = problems_of(bank, ONE_PROCESS)
    assert "zz_probe_0.yaml" in single[0].file and single[0].line == 8
    (parallel, forks) = forks_during(lambda: problems_of(bank, ALWAYS))
    assert forks >= 1
    assert parallel == single


@pytest.mark.parametrize("slice_records", [None, 2], ids=["whole", "slices"])
def test_an_error_after_a_worker_wrote_parts_reads_as_in_one_process(tmp_path, monkeypatch, slice_records):
    """A template that fails at its last event, after a worker wrote its earlier questions (or slices) out in
    parts: the user sees the same error as in one process, not a half-read template."""
    import quizgen.generate.generator as generator_module
    import quizgen.generate.parallel as parallel_module
    import quizgen.generate.units as units_module

    if slice_records:
        monkeypatch.setattr(units_module, "SLICE_RECORDS", slice_records)

    written = tmp_path / "parts"
    written.mkdir()
    save = parallel_module._Parts.save

    def save_and_mark(self, questions):       # runs in the forked worker: a file is what the test can see
        (written / f"{self.index}-{self.count}").touch()
        save(self, questions)

    monkeypatch.setattr(generator_module, "SPILL_EVERY", 1)
    monkeypatch.setattr(parallel_module._Parts, "save", save_and_mark)
    bank = tmp_path / "bank"
    shutil.copytree(TINY_BANK, bank)
    for n in range(3):
        (bank / "templates" / f"zz_fails_last_{n}.yaml").write_text(textwrap.dedent(f"""\
            id: zz_fails_last_{n}
            kind: true_false
            title: Fails at its last event
            group: Probe
            select:
              from: events
            answer: date
            statement: "{{% if event.id == 'alpha_lifts' %}}{{{{ 1 // 0 }}}}{{% endif %}}In {{{{ event.date }}}}, {{{{ event.summary }}}}"
            prompt: "True or false? {{{{ statement }}}}"
            """), encoding="utf-8")
    single = problems_of(bank, ONE_PROCESS)
    assert "zz_fails_last_0.yaml" in single[0].file
    assert problems_of(bank, ALWAYS) == single
    assert list(written.iterdir())


def test_the_render_time_limit_stops_a_template_in_a_worker(tmp_path):
    """In a fresh process with a 0.2 s render limit: every probe loops for minutes, so whichever process runs
    one needs its own timer (SIGALRM) to stop it; without it this run would not end in time."""
    slow = ("{% for i in range(100) %}{% for j in range(100) %}{% for k in range(100) %}{% for m in range(100) %}"
            "{% endfor %}{% endfor %}{% endfor %}{% endfor %}x")
    bank = failing_bank(tmp_path, [slow] * 4)
    code = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from quizgen.generate import limits
        limits.MAX_SECONDS = 0.2
        from quizgen.bank.loader import load_bank
        from quizgen.errors import QuizgenError
        from quizgen.generate.generator import generate
        forks = []
        os.register_at_fork(after_in_parent=lambda: forks.append(1))
        try:
            generate(load_bank(Path({str(bank)!r})), workers_from=0)
        except QuizgenError as exc:
            print(len(forks), exc)
    """)
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    forks, message = out.stdout.strip().split(" ", 1)
    assert int(forks) >= 1
    assert "zz_probe_0.yaml:8:" in message and "longer than 0.2 s" in message, message
    assert time.monotonic() - started < 30


LOOP = """
import sys
from pathlib import Path
sys.path.insert(0, {bench!r})
from make_bank import write_bank
from quizgen.bank.loader import load_bank
from quizgen.generate.generator import generate
bank = load_bank(write_bank(1500, Path({folder!r})))
print("ready", flush=True)
while True:
    generate(bank, workers_from=0)
"""


def looping(tmp_path: Path) -> subprocess.Popen:
    """A process generating in workers over and over, in its own process group (which Ctrl-C reaches), once a
    worker is running; its temporary files go to tmp_path/tmp."""
    code = LOOP.format(bench=str(ROOT / "bench"), folder=str(tmp_path / "synthetic"))
    (tmp_path / "tmp").mkdir()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, start_new_session=True,
                            env={**os.environ, "TMPDIR": str(tmp_path / "tmp")})
    assert proc.stdout.readline().strip() == "ready"
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 20
    while not children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.002)
    assert children.read_text().split(), "no worker started"
    return proc


def group_ends(group: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    os.killpg(group, signal.SIGKILL)
    return False


def test_ctrl_c_ends_every_worker(tmp_path):
    proc = looping(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)          # what the terminal sends: to the whole foreground group
    _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert group_ends(proc.pid, 10), "a worker outlived Ctrl-C"
    assert err.count("Traceback") == 1 and "KeyboardInterrupt" in err, err   # the main process's, none of a worker
    assert not any((tmp_path / "tmp").iterdir()), "the workers' results folder was left behind"


def test_workers_stop_when_the_main_process_is_killed(tmp_path):
    proc = looping(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert group_ends(proc.pid, 15), "a worker outlived its killed main process"
    assert not any((tmp_path / "tmp").iterdir()), "the workers' results folder was left behind"
