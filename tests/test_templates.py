"""Template authoring: mistakes reported with file and line, and the sandbox holding against hostile templates."""
import re
from pathlib import Path

import pytest
from bankcopy import copy_bank, line_of
from click.testing import CliRunner

from quizgen.cli import cli

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "templates.md"

BASE = """id: probe
kind: multiple_choice
title: Probe
group: Probe
select:
  from: events
  where:
    action: approved
answer: actor
prompt: "{prompt}"
"""


def check_with(tmp_path, text: str, name: str = "zz_probe.yaml"):
    bank = copy_bank(tmp_path)
    path = bank / "templates" / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--bank", str(bank)])
    return result, path


HOSTILE = [
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ("{{ event.__class__.__init__.__globals__ }}", "unsafe"),
    ("{% include '/etc/passwd' %}", "loader"),
    ("{% for i in range(100) %}{% for j in range(100) %}{% for k in range(100) %}x{% endfor %}{% endfor %}{% endfor %}",
     "longer than"),
    ("{{ range(1000000) | list }}", "range()"),
    ("{{ lipsum() }} {{ cycler }}", "undefined"),
    ("{{ self.__init__ }}", "unsafe"),
]


@pytest.mark.parametrize("prompt,words", HOSTILE)
def test_sandbox_refuses_hostile_templates(tmp_path, prompt, words):
    result, path = check_with(tmp_path, BASE.format(prompt=prompt))
    assert result.exit_code == 1, result.output
    line = line_of(path, "prompt:")
    assert f"zz_probe.yaml:{line}:" in result.output
    assert "template 'probe'" in result.output
    assert words in result.output
    assert "root:" not in result.output          # nothing from /etc/passwd was read


TEMPLATE_MISTAKES = [
    (BASE.format(prompt="{{ event.summary "), "prompt:", "Jinja syntax error"),
    (BASE.format(prompt="{{ event.sumary }}"), "prompt:", "sumary"),
    (BASE.replace("action: approved", "acton: approved").format(prompt="x"), "acton:",
     "unknown field 'acton' for events (did you mean 'action'?)"),
    (BASE.replace("kind: multiple_choice", "kind: essay").format(prompt="x"), "kind: essay", "unknown kind 'essay'"),
    (BASE.replace("answer: actor", "answr: actor").format(prompt="x"), "answr:", "did you mean 'answer'"),
    (BASE.replace("action: approved", "action: teleported").format(prompt="x"), "from: events",
     "select matches no records"),
    (BASE.replace("answer: actor", "answer: colour").format(prompt="x"), "answer: colour", "'answer' must be one of"),
]


@pytest.mark.parametrize("text,needle,words", TEMPLATE_MISTAKES)
def test_template_mistakes_have_file_and_line(tmp_path, text, needle, words):
    result, path = check_with(tmp_path, text)
    assert result.exit_code == 1, result.output
    assert words in result.output
    assert f"zz_probe.yaml:{line_of(path, needle)}:" in result.output, result.output


def test_status_questions_must_say_as_of(tmp_path):
    text = """id: probe
kind: multiple_select
title: Probe
group: Probe
select: {from: restrictions}
correct: {status: in_force}
prompt: "Which red lines are in force?"
item: "{{ restriction.name }}"
"""
    result, path = check_with(tmp_path, text)
    assert result.exit_code == 1
    assert "{{ as_of }}" in result.output


def guide_example() -> tuple[str, str]:
    """The template the "Write a question template" guide walks through, and its file name."""
    section = GUIDE.read_text(encoding="utf-8")
    name = re.search(r"questions/red_lines/templates/(\w+\.yaml)", section).group(1)
    yaml_block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    return name, yaml_block


def test_guide_example_template_works_with_no_code_change(bank_copy, tmp_path):
    name, text = guide_example()
    bank = bank_copy
    (bank / "templates" / name).write_text(text, encoding="utf-8")
    template_id = re.search(r"^id: (\w+)", text, re.M).group(1)
    runner = CliRunner()
    assert runner.invoke(cli, ["check", "--bank", str(bank)]).exit_code == 0
    listed = runner.invoke(cli, ["templates", "--bank", str(bank)])
    row = next(line for line in listed.output.splitlines() if line.startswith(template_id))
    assert int(row.split()[2]) > 0, row
    shown = runner.invoke(cli, ["preview", "--bank", str(bank), "--template", template_id, "-n", "2"])
    assert shown.exit_code == 0 and f"[{template_id} ·" in shown.output
    out = tmp_path / "export.json"
    exported = runner.invoke(cli, ["export", "--bank", str(bank), "--format", "json", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    import json

    assert any(q["template"] == template_id for q in json.loads(out.read_text())["questions"])
