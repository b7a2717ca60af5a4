"""Run the CLI in-process on hostile input and measure it: outcome, seconds and peak traced memory."""
from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from quizgen.cli import cli

#: a template file added to a bank, with the prompt under test
PROBE = """id: zz_probe
kind: multiple_choice
title: Probe
group: Probe
select:
  from: events
answer: actor
prompt: "{prompt}"
"""

#: a numbers file added to a bank, with the value and unit under test
NUMBER = """numbers:
  - id: zz_number
    value: {value}
    unit: {unit}
    question: "How many?"
    summary: "Some."
    quote: "some"
"""

TINY_BANK = Path(__file__).resolve().parent / "data" / "tiny_bank"


@dataclass
class Run:
    exit_code: int
    output: str
    exception: BaseException | None
    seconds: float
    peak_mib: float

    @property
    def errors(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith("error: ")]


def run_measured(*args: str) -> Run:
    """One CLI run; peak memory is what Python allocated during it (tracemalloc), in MiB."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.monotonic()
    try:
        result = CliRunner().invoke(cli, list(args))
    finally:
        seconds = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    exception = None if isinstance(result.exception, SystemExit) else result.exception
    return Run(result.exit_code, result.output, exception, seconds, peak / 2**20)


def assert_clean_failure(run: Run, where: str = "", words: str = "", seconds: float = 5.0,
                         peak_mib: float = 64.0) -> None:
    """exit 1, `error:` lines only (no traceback), naming `where` and saying `words`, within bounds."""
    assert run.exception is None, f"{type(run.exception).__name__}: {run.exception}\n{run.output}"
    assert run.exit_code == 1, run.output
    assert "Traceback" not in run.output
    assert run.errors, run.output
    assert all(line.startswith(("error: ", "bank: ")) for line in run.output.splitlines() if line.strip()), run.output
    assert not where or any(where in e for e in run.errors), (where, run.output)
    assert not words or any(words in e for e in run.errors), (words, run.output)
    assert run.seconds < seconds, f"took {run.seconds:.2f} s"
    assert run.peak_mib < peak_mib, f"peak {run.peak_mib:.0f} MiB"
