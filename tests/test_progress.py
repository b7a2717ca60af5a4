"""Long commands say what they are doing on stderr, with the seconds since they started; --quiet drops it."""
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from quizgen.bank.loader import load_bank
from quizgen.cli import cli
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


#: each command that reads a bank, with the cheapest arguments that make it read the shipped one
READS_A_BANK = {
    "build": ["--questions", "3", "--versions", "1", "--out", "{tmp}/b"],
    "timeline": [],
    "templates": [],
    "preview": ["-n", "1"],
    "review": ["--seeds", "0", "--templates", "name_the_decider"],
    "anki": ["--templates", "name_the_decider", "-o", "{tmp}/d.apkg"],
    "export": ["--format", "csv", "--templates", "name_the_decider", "-o", "{tmp}/x.csv"],
    "pdf": ["--questions", "3", "-o", "{tmp}/q.pdf"],
    "html": ["--questions", "3", "-o", "{tmp}/p.html"],
}


def test_every_command_with_a_bank_option_is_listed_here():
    with_bank = {name for name, command in cli.commands.items() if any(p.name == "bank_path" for p in command.params)}
    assert with_bank - {"check"} == set(READS_A_BANK)     # check names the folder in its own result line


@pytest.mark.parametrize("command", sorted(READS_A_BANK) + ["preview --html"])
def test_every_command_names_the_bank_folder_it_reads_on_stderr(tmp_path, command):
    """As `--bank`'s help says: stdout may be data (`export -o -`), so the folder goes to stderr."""
    name, *extra = command.split()
    args = extra + ["-o", f"{tmp_path}/r.html"] if extra else [a.format(tmp=tmp_path) for a in READS_A_BANK[name]]
    result = CliRunner().invoke(cli, [name, *args])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "bank: questions/red_lines"
    assert "bank: " not in result.stdout
