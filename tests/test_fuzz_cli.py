"""CLI-level fuzzing (issue 18): mutated bank files and generated template expressions fed to `quizgen check`.

Whatever the input, the run must end in exit 0, or exit 1 with only `error:` lines; never a traceback,
never over the time budget, never over the memory bound. 2,300 inputs in all, derandomized so that CI
runs the same ones every time (and a failure reproduces)."""
from __future__ import annotations

import resource
import shutil
import tempfile
from pathlib import Path

from hostile import TINY_BANK, Run, run_measured
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SECONDS = 3.0
PEAK_MIB = 64.0

def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None, print_blob=True,
                    suppress_health_check=list(HealthCheck))

FILES = ["bank.yaml", "data.yaml", "templates/probe.yaml", "templates/numbers.yaml"]
BASE = {name: (TINY_BANK / name).read_text(encoding="utf-8") for name in FILES}

HOSTILE_VALUES = [
    "9" * 5000, "-" + "9" * 4000, ".nan", ".inf", "-.inf", "1e999", "0x" + "f" * 40, "1_000_000_000_000_000_000",
    "[" * 200 + "]" * 200, "{a: " * 80 + "1" + "}" * 80, "&a [1]", "*a", "!!python/object/apply:os.system [ls]",
    "!!binary aGk=", '"\\e[2J"', '"\\0"', '"\\u202e"', "'{{ 9**(9**9) }}'", "\"{% set a = 'a'*10**9 %}\"",
    "'{{ event.summary|center(10**9) }}'", "'{{ [0] * 10**9 }}'", "{at_least: 3}", "{at_least: never}",
    "{in: 3}", "[]", "{}", "~", "null", "true", "''", "2024-13-45", "'2024-02-30'", "<<: {a: 1}", "|\n  x",
    "? [a]\n: b", "\x07", "\x00", "\x1b[31m", "\ufeff", "\u2028", "\t", "---\nx: 1", "...",
]

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x20) | st.characters(min_codepoint=0x7f, max_codepoint=0xa0)
FRAGMENTS = (st.sampled_from(HOSTILE_VALUES) | st.text(CONTROL | st.characters(), max_size=6)
             | st.sampled_from([":", "-", " ", "\n", "  ", "[", "{", "#", "'", '"', "{{", "}}", "{%", "%}", "*", "&"]))


@st.composite
def mutated(draw, text: str) -> str:
    """Text with 1-4 edits: insert a fragment, delete or duplicate a span, or swap a value for a hostile one."""
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "duplicate", "value"]))
        if edit == "insert":
            text = text[:pos] + draw(FRAGMENTS) + text[pos:]
        elif edit == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 40)):]
        elif edit == "duplicate":
            text = text[:pos] + text[pos:pos + draw(st.integers(1, 200))] * draw(st.integers(2, 50)) + text[pos:]
        else:
            colons = [i for i, ch in enumerate(text) if ch == ":"]
            if colons:
                start = draw(st.sampled_from(colons)) + 1
                end = text.find("\n", start)
                end = len(text) if end < 0 else end
                text = text[:start] + " " + draw(st.sampled_from(HOSTILE_VALUES)) + text[end:]
    return text


def check_bank(files: dict[str, str], command: str = "check") -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / "bank"
        shutil.copytree(TINY_BANK, bank)
        for name, text in files.items():
            (bank / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        extra = ["-n", "3"] if command == "preview" else []
        return run_measured(command, "--bank", str(bank), *extra)


def assert_sane(run: Run) -> None:
    assert run.exception is None, f"{type(run.exception).__name__}: {run.exception}\n{run.output}"
    assert "Traceback" not in run.output
    assert run.exit_code in (0, 1), run.output
    lines = [line for line in run.output.splitlines() if line.strip() and not line.startswith("bank: ")]
    if run.exit_code == 1:
        assert lines and all(line.startswith("error: ") for line in lines), run.output
    else:
        assert lines, run.output
    assert run.seconds < SECONDS, f"took {run.seconds:.2f} s"
    assert run.peak_mib < PEAK_MIB, f"peak {run.peak_mib:.0f} MiB"


@fuzz(1500)
@given(st.data())
def test_mutated_bank_files(data):
    """`check` reads and validates; `preview` (one run in four) also generates questions from what loaded."""
    name = data.draw(st.sampled_from(FILES))
    text = data.draw(mutated(BASE[name]))
    assert_sane(check_bank({name: text}, data.draw(st.sampled_from(["check", "check", "check", "preview"]))))


ATOMS = st.sampled_from([
    "event.summary", "event.date.year", "event.date", "event.actors", "event.actor.name", "event.id", "as_of",
    "1", "2", "9", "10", "99", "4001", "-1", "0", "1.5", "'a'", "'%s'", "'%*d'", "'{:>9999}'", "'\\t'", "''",
    "[0]", "[event]", "(1, 2)", "{'k': 'v'}", "range(100)", "range(3)", "none", "true",
    "4000", "999999999", "(event.date.year * 999999)", "('x' * 3999)", "(['x'] * 1300)", "(10 ** 4000)",
])
BINARY = st.sampled_from(["*", "**", "+", "-", "%", "//", "/", "~", "==", "in", "and"])
FILTERS = st.sampled_from([
    "center({})", "format({})", "indent({})", "wordwrap({})", "replace('', {})", "join({})", "sum",
    "list", "string", "length", "upper", "batch({})", "map('center', {})", "map('list')", "truncate({})",
    "tojson", "pprint", "reverse", "sort", "unique", "first", "int", "float", "abs", "round", "trim",
])
METHODS = st.sampled_from(["center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join", "format", "split"])


def expressions() -> st.SearchStrategy[str]:
    def extend(inner):
        return st.one_of(
            st.tuples(inner, BINARY, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(inner, FILTERS, inner).map(lambda t: f"({t[0]})|{t[1].format(t[2])}"),
            st.tuples(inner, METHODS, inner).map(lambda t: f"({t[0]}).{t[1]}({t[2]})"),
            st.lists(inner, min_size=1, max_size=6).map(lambda items: f"[{', '.join(items)}]"),
        )
    return st.recursive(ATOMS, extend, max_leaves=8)


TEMPLATE = """id: fuzz
kind: multiple_choice
title: Fuzz
group: Fuzz
select:
  from: events
answer: actor
prompt: '{prompt}'
"""


@fuzz(800)
@given(expressions(), st.sampled_from(["{{{{ {0} }}}}", "{{% set a = {0} %}}{{{{ a }}}}",
                                       "{{% for x in {0} %}}{{{{ x }}}}{{% endfor %}}",
                                       "{{% set a %}}{{{{ {0} }}}}{{{{ {0} }}}}{{% endset %}}{{{{ a }}}}"]))
def test_generated_template_expressions(expression, shape):
    prompt = shape.format(expression).replace("'", "''")
    assert_sane(check_bank({"templates/zz_fuzz.yaml": TEMPLATE.format(prompt=prompt)}))


def test_the_fuzzing_process_stayed_under_a_gibibyte():
    """Runs after the fuzz tests in this file: the whole test process's peak resident memory."""
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024
