"""docs/bank.md, followed as written: its commands print what it shows, and a bank made from `quizgen new` by
editing only records (no Python) builds every output."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from quizgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "bank.md"
LOCKDOWN = Path(__file__).resolve().parent / "banks" / "lockdown"


def console_steps(text: str) -> list[tuple[str, list[str]]]:
    """(command, lines shown after it) for every `$ quizgen ...` line of the guide's console blocks."""
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
    return steps


def matches(shown: list[str], printed: list[str]) -> bool:
    """Shown lines equal printed ones; a '...' line stands for any number of printed lines."""
    if not shown:
        return not printed
    if shown[0] == "...":
        return any(matches(shown[1:], printed[i:]) for i in range(len(printed) + 1))
    return bool(printed) and printed[0] == shown[0] and matches(shown[1:], printed[1:])


def run(command: str):
    args = command.split()
    assert args[0] == "quizgen"
    return CliRunner().invoke(cli, args[1:])


def test_the_guides_commands_print_what_it_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    steps = console_steps(GUIDE.read_text(encoding="utf-8"))
    assert len(steps) >= 5 and steps[0][0] == "quizgen new my-bank"
    for command, shown in steps:
        result = run(command)
        assert result.exit_code == 0, (command, result.output)
        printed = result.output.rstrip("\n").splitlines()
        assert matches(shown, printed), f"$ {command}\nshown:\n" + "\n".join(shown) + "\nprinted:\n" + result.output


def test_the_guides_error_example_is_what_check_prints(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = GUIDE.read_text(encoding="utf-8")
    shown = re.search(r"```text\n(error: .*?)\n```", text, re.S).group(1)
    run("quizgen new my-bank")
    events = Path("my-bank/events.yaml")
    events.write_text(events.read_text(encoding="utf-8").replace("action: closed ", "action: shut "), encoding="utf-8")
    result = run("quizgen check --bank my-bank")
    assert result.exit_code == 1
    assert result.output.strip() == shown


def test_a_new_bank_edited_into_a_ten_event_timeline_builds_everything(tmp_path, monkeypatch):
    """What the guide asks of an author: start from `quizgen new`, replace the examples with facts on another
    subject (here the invented lockdown bank's), declare its words; no Python changes."""
    monkeypatch.chdir(tmp_path)
    run("quizgen new my-bank")
    bank = Path("my-bank")
    for name in ("vocabulary.yaml", "entities.yaml", "restrictions.yaml", "events.yaml", "quotes.yaml",
                 "numbers.yaml", "source.txt"):
        shutil.copy(LOCKDOWN / name, bank / name)
    text = (bank / "bank.yaml").read_text(encoding="utf-8")
    text = text.replace("id: example_bank", "id: my_lockdown").replace("as_of: \"2025-03-03\"", "as_of: \"2020-06-12\"")
    (bank / "bank.yaml").write_text(text, encoding="utf-8")
    events = (bank / "events.yaml").read_text(encoding="utf-8")
    assert events.count("\n  - id: ") >= 10
    check = run("quizgen check --bank my-bank --against my-bank/source.txt")
    assert check.exit_code == 0, check.output
    build = run("quizgen build --bank my-bank --out out --timestamp 1717200000")
    assert build.exit_code == 0, build.output
    assert sorted(p.name for p in Path("out").iterdir()) == sorted(
        f"my_lockdown{suffix}" for suffix in (".apkg", "-quiz.pdf", "-answer-sheets.pdf", "-answer-key.pdf",
                                              "-answer-key.json", "-timeline.pdf", "-practice.html"))
    for fmt in ("moodle", "gift", "qti", "csv", "tsv", "xlsx", "json"):
        result = run(f"quizgen export --bank my-bank --format {fmt} -o out/export-{fmt}")
        assert result.exit_code == 0, (fmt, result.output)
        assert Path(f"out/export-{fmt}").stat().st_size > 1000
