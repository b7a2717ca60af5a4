"""The README documents every command and option, and its examples use options that exist."""
import re
from pathlib import Path

import pytest

from quizgen.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name):
    assert f"quizgen {name}" in README


@pytest.mark.parametrize("name,option", sorted(
    (name, opt) for name, command in cli.commands.items() for param in command.params
    for opt in param.opts if opt.startswith("--") and opt not in ("--help", "--bank")))
def test_every_option_is_documented(name, option):
    assert option in README, f"quizgen {name} {option} is not in the README"


def test_readme_examples_only_use_real_options():
    for line in re.findall(r"^\$? ?quizgen (\w+)(.*)$", README, re.M):
        name, rest = line
        if name not in cli.commands:
            continue
        known = {opt for p in cli.commands[name].params for opt in p.opts} | {"--help"}
        for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", rest.split("#")[0]):
            assert option in known, f"quizgen {name}: {option} does not exist"
