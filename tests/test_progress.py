"""Long commands say what they are doing on stderr, with the seconds since they started; --quiet drops it."""
import re
import subprocess
import sys

import pytest

from quizgen.bank.loader import load_bank
from quizgen.generate.generator import generate

T0 = "1717200000"


@pytest.mark.parametrize("command,out", [(["anki", "--timestamp", T0], "deck.apkg"),
                                         (["export", "--format", "moodle"], "bank.moodle.xml")])
def test_a_long_command_says_what_it_is_doing_on_stderr_unless_quiet(tmp_path, command, out):
    bank = load_bank()
    made = generate(bank, templates=["name_the_decider"])
    command = [sys.executable, "-m", "quizgen.cli", *command, "--templates", "name_the_decider"]
    said = subprocess.run([*command, "-o", str(tmp_path / f"a-{out}")], capture_output=True, text=True, check=True)
    lines = said.stderr.splitlines()
    steps = [re.sub(r"^\[ *\d+\.\d\ds\] ", "", line) for line in lines[1:3]]
    assert lines[0].startswith("bank: ") and steps == [
        f"loaded bank '{bank.id}': {len(bank.events)} events, {len(bank.entities)} entities",
        f"generated {len(made.questions)} questions ({len(made.skipped)} skipped)"], said.stderr
    quiet = subprocess.run([*command, "-q", "-o", str(tmp_path / f"b-{out}")], capture_output=True, text=True,
                           check=True)
    assert quiet.stderr.splitlines() == lines[3:]     # what was written, as without --quiet
    assert quiet.stdout == said.stdout.replace("a-", "b-")
    assert (tmp_path / f"a-{out}").read_bytes() == (tmp_path / f"b-{out}").read_bytes()
