"""The README and docs/ document every command and option, their examples use options that exist, their
links resolve and their tables are whole."""
import re
from pathlib import Path

import pytest

from quizgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in PAGES)


def test_the_readme_is_a_front_door():
    readme = PAGES[0].read_text(encoding="utf-8")
    assert len(readme.encode()) < 8 * 1024
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)\)", readme))
    assert linked == {f"docs/{p.name}" for p in PAGES[1:]}, "every guide is one link from the README"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name):
    assert f"quizgen {name}" in DOCS


@pytest.mark.parametrize("name,option", sorted(
    (name, opt) for name, command in cli.commands.items() for param in command.params
    for opt in param.opts if opt.startswith("--") and opt not in ("--help", "--bank")))
def test_every_option_is_documented(name, option):
    assert option in DOCS, f"quizgen {name} {option} is not in the README or docs/"


def test_examples_only_use_real_options():
    for name, rest in re.findall(r"^\$? ?quizgen (\w+)(.*)$", DOCS, re.M):
        if name not in cli.commands:
            continue
        known = {opt for p in cli.commands[name].params for opt in p.opts} | {"--help"}
        for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", rest.split("#")[0]):
            assert option in known, f"quizgen {name}: {option} does not exist"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        assert (page.parent / target.split("#")[0]).exists(), f"{page.name}: broken link {target}"


def _table_rows(text: str) -> list[list[str]]:
    """Each Markdown table as its rows' cell counts (escaped pipes are not separators)."""
    tables, current = [], []
    for line in re.sub(r"```.*?```", "", text, flags=re.S).splitlines():
        if line.startswith("|"):
            current.append(len(re.split(r"(?<!\\)\|", line.strip().strip("|"))))
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_table_row_has_as_many_cells_as_its_header(page):
    for rows in _table_rows(page.read_text(encoding="utf-8")):
        assert len(set(rows)) == 1, f"{page.name}: a table with rows of {rows} cells"


def test_the_table_check_can_fail():
    assert _table_rows("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n") == [[2, 2, 3]]
