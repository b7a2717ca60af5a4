"""A bank declares its own vocabulary and templates; quizgen's Python knows none of the red-lines topic."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bankcopy import edit, line_of
from click.testing import CliRunner

import quizgen
from quizgen.bank.loader import read_bank
from quizgen.cli import cli

PACKAGE = Path(quizgen.__file__).parent
ROOT = Path(__file__).resolve().parent.parent
SHIPPED_VOCABULARY = ROOT / "questions" / "red_lines" / "vocabulary.yaml"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error: ")]


def _red_lines_words() -> set[str]:
    """Every action, effect, status and record kind the red-lines bank declares."""
    import yaml

    vocabulary = yaml.safe_load(SHIPPED_VOCABULARY.read_text(encoding="utf-8"))
    words = set(vocabulary["actions"]) | set(vocabulary["effects"]) | set(vocabulary["statuses"])
    words |= set(vocabulary["kinds"])
    # kinds any bank may share, and which name no topic: not red-lines vocabulary
    return words - {"person", "organisation", "country", "place", "group", "media"}


def test_no_red_lines_vocabulary_is_hard_coded_in_python():
    words = _red_lines_words()
    assert {"authorized", "ruled_out", "partly_lifted", "in_force", "requested_by_ukraine", "weapon"} <= words
    quoted = re.compile(r"""["']([a-z_]+)["']""")
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            hits = {w for w in quoted.findall(line) if w in words}
            hits |= {m.group(0) for m in re.finditer(r"red[ _-]?lines?|weapons?|ukrain\w*", line, re.IGNORECASE)}
            if hits:
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {sorted(hits)}: {line.strip()}")
    assert not found, "\n".join(found)


def test_an_unknown_action_lists_the_allowed_ones_and_where_to_declare_one(bank_copy):
    edit(bank_copy / "events.yaml", "action: approved", "action: banned")
    line = line_of(bank_copy / "events.yaml", "action: banned")
    declared = line_of(bank_copy / "vocabulary.yaml", "actions:")
    result = run("check", "--bank", str(bank_copy))
    assert result.exit_code == 1
    (message,) = errors(result)
    assert f"events.yaml:{line}:" in message
    assert "action 'banned' is not in this bank's vocabulary" in message
    assert "actions: authorized, approved, shifted, refused" in message
    assert f"declare it under 'actions:' in {bank_copy / 'vocabulary.yaml'}:{declared}" in message


@pytest.mark.parametrize("file, old, new, field", [
    ("entities.yaml", "kind: weapon", "kind: vehicle", "kind 'vehicle'"),
    ("restrictions.yaml", "status: in_force", "status: in_forse", "status 'in_forse'"),
    ("events.yaml", "effect: kept", "effect: held", "effect 'held'"),
])
def test_every_vocabulary_field_is_checked(bank_copy, file, old, new, field):
    edit(bank_copy / file, old, new)
    result = run("check", "--bank", str(bank_copy))
    assert result.exit_code == 1
    (message,) = errors(result)
    assert f"{file}:{line_of(bank_copy / file, new)}:" in message and field in message


def test_a_class_outside_the_fixed_meanings_is_refused_with_its_line(bank_copy):
    edit(bank_copy / "vocabulary.yaml", "kept: {class: keeps}", "kept: {class: keeping}")
    bank, problems = read_bank(bank_copy)
    assert bank is None and len(problems) == 1
    assert problems[0].line == line_of(bank_copy / "vocabulary.yaml", "kept: {class: keeping}")
    assert "imposes" in problems[0].message and "ends" in problems[0].message


def test_a_bank_without_vocabulary_says_how_to_get_one(bank_copy):
    (bank_copy / "vocabulary.yaml").unlink()
    result = run("check", "--bank", str(bank_copy))
    assert result.exit_code == 1
    assert "no vocabulary.yaml" in result.output and "quizgen new" in result.output


def test_a_new_action_declared_in_the_vocabulary_is_accepted(bank_copy):
    edit(bank_copy / "events.yaml", "action: approved", "action: greenlit")
    edit(bank_copy / "vocabulary.yaml", "  approved: {class: lifting, role: decider}",
         "  approved: {class: lifting, role: decider}\n  greenlit: {class: lifting}")
    result = run("check", "--bank", str(bank_copy))
    assert result.exit_code == 0, result.output


def test_a_shared_template_that_fits_nothing_is_skipped_but_an_own_one_is_an_error(bank_copy):
    (bank_copy / "quotes.yaml").write_text("quotes: []\n", encoding="utf-8")
    (bank_copy / "templates" / "match_quote.yaml").unlink()     # the bank's own quote template
    result = run("check", "--bank", str(bank_copy))
    assert result.exit_code == 0, result.output           # the shared who_said_quote selects nothing here
    listing = run("templates", "--bank", str(bank_copy)).stdout
    block = listing.split("who_said_quote", 1)[1].splitlines()
    assert "skipped: its select matches no records in this bank" in block[1]
    shutil.copy(PACKAGE / "generate" / "shared" / "timeline" / "who_said_quote.yaml",
                bank_copy / "templates" / "my_quotes.yaml")
    edit(bank_copy / "templates" / "my_quotes.yaml", "id: who_said_quote", "id: my_quotes")
    result = run("check", "--bank", str(bank_copy))
    assert result.exit_code == 1
    assert "template 'my_quotes': select matches no records in this bank" in result.output


def test_an_own_template_replaces_a_shared_one_and_leave_out_drops_one(bank_copy):
    listing = run("templates", "--bank", str(bank_copy)).stdout
    assert "(questions/red_lines/templates/who_decided.yaml)" not in listing     # a copy: its own path
    assert re.search(r"who_decided .*\(.*bank/templates/who_decided\.yaml\)", listing)
    assert "quizgen:timeline/when.yaml" in listing and "in_force_as_of" not in listing
    edit(bank_copy / "bank.yaml", "leave_out: [in_force_as_of]", "leave_out: [in_force_as_of, when]")
    listing = run("templates", "--bank", str(bank_copy)).stdout
    assert not re.search(r"^when ", listing, re.M)


def test_an_unknown_template_set_is_named_with_the_shipped_ones(bank_copy):
    edit(bank_copy / "bank.yaml", "include: [timeline]", "include: [timelines]")
    result = run("check", "--bank", str(bank_copy))
    assert result.exit_code == 1
    assert f"bank.yaml:{line_of(bank_copy / 'bank.yaml', 'include: [timelines]')}:" in result.output
    assert "no template set 'timelines' (shipped with quizgen: timeline" in result.output


def test_new_makes_a_bank_that_checks_clean_against_its_source(tmp_path):
    folder = tmp_path / "my-bank"
    result = run("new", str(folder))
    assert result.exit_code == 0, result.output
    for name in ("bank.yaml", "vocabulary.yaml", "entities.yaml", "restrictions.yaml", "events.yaml",
                 "quotes.yaml", "numbers.yaml", "source.txt", "README.md"):
        assert (folder / name).is_file(), name
    assert "INVENTED" in (folder / "bank.yaml").read_text(encoding="utf-8")
    result = run("check", "--bank", str(folder), "--against", str(folder / "source.txt"))
    assert result.exit_code == 0, result.output
    assert "every quote found" in result.output
    again = run("new", str(folder))
    assert again.exit_code == 1 and "already exists" in again.output


def test_every_field_of_bank_yaml_is_explained_in_the_new_bank(tmp_path):
    from quizgen.bank.model import BankInfo, Source, TemplateSets

    run("new", str(tmp_path / "b"))
    text = (tmp_path / "b" / "bank.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for model in (BankInfo, Source, TemplateSets):
        for name in model.model_fields:
            index = next(i for i, line in enumerate(lines) if re.match(rf"\s*(- )?(# )?{name}:", line))
            assert lines[index - 1].lstrip().startswith("#"), f"{name} has no comment above it"


def test_default_bank_is_the_checkouts_and_every_command_names_it(tmp_path, monkeypatch):
    """Run from a project checkout, the bank in ./questions/ is read, whatever copy was installed."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "questions", checkout / "questions")
    guide = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")   # the README's template guide
    name = re.search(r"Create `questions/red_lines/templates/(\w+)\.yaml`", guide).group(1)
    template = checkout / "questions" / "red_lines" / "templates" / f"{name}.yaml"
    template.write_text(re.search(r"```yaml\n(.*?)```", guide, re.S).group(1), encoding="utf-8")
    monkeypatch.chdir(checkout)
    check = run("check")
    assert check.exit_code == 0, check.output
    assert check.stdout.startswith("ok: red_lines (questions/red_lines): ")
    listing = run("templates")
    assert "bank: questions/red_lines" in listing.stderr
    assert re.search(rf"^{name} .* [1-9]\d* made .*\(questions/red_lines/templates/{name}\.yaml\)", listing.stdout, re.M)
    preview = run("preview", "--template", name, "-n", "1")
    assert preview.exit_code == 0, preview.output
    assert f"[{name} · multiple choice]" in preview.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    installed = run("templates")
    assert name not in installed.stdout
    assert re.search(r"bank: \S*red_lines", installed.stderr)


def test_help_says_which_default_applies():
    text = " ".join(run("check", "--help").output.split())
    assert "the bank in ./questions/ when run in a project checkout" in text
    assert "otherwise the bank installed with quizgen" in text
