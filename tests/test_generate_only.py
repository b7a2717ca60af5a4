"""Generating only some templates or kinds gives exactly the questions (and skips and flags) that generating
everything gives for them: the commands that ask for a few templates run only those and what they depend on."""
from __future__ import annotations

from pathlib import Path

import pytest
from generated_dump import bank_paths

from quizgen.bank.loader import load_bank
from quizgen.generate import generator as gen_module
from quizgen.generate.generator import generate
from quizgen.generate.templates import load_templates


@pytest.fixture(scope="module")
def banks(tmp_path_factory):
    return {name: load_bank(path) for name, path in bank_paths(tmp_path_factory.mktemp("banks")).items()}


def _option_sets(bank) -> list[dict]:
    ids = [s.id for s in load_templates(bank)]
    return [{"templates": [ids[-1]]}, {"templates": [ids[1], ids[len(ids) // 2]]}, {"kinds": ["true_false"]},
            {"kinds": ["multiple_choice", "cloze"]}, {"kinds": ["multiple_choice"], "templates": ids[::3]},
            {"templates": ids}]


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "review"])
@pytest.mark.parametrize("seed", [0, 7, 12])
@pytest.mark.parametrize("name", ["red-lines", "lockdown", "synthetic-400"])
def test_some_templates_give_what_everything_gives(banks, name, seed, strict):
    bank = banks[name]
    everything = generate(bank, seed=seed, strict=strict)
    for options in _option_sets(bank):
        only = generate(bank, seed=seed, strict=strict, **options)
        templates, kinds = set(options.get("templates") or ()), set(options.get("kinds") or ())
        wanted = [r.template for r in everything.reports
                  if (not templates or r.template in templates) and (not kinds or r.kind.value in kinds)]

        def keep(template: str) -> bool:
            return template in wanted

        assert [q.id for q in only.questions] == [q.id for q in everything.questions if keep(q.template)], options
        assert only.questions == [q for q in everything.questions if keep(q.template)], options
        assert only.skipped == [s for s in everything.skipped if keep(s.template)], options
        assert only.flags == [f for f in everything.flags if keep(f.template)], options
        assert [(r.template, r.selected, r.made) for r in only.reports] == \
               [(r.template, r.selected, r.made) for r in everything.reports if keep(r.template)], options


def test_only_the_needed_templates_run(banks, monkeypatch):
    """Asking for one template of a kind that no earlier template shares runs that template alone."""
    bank = banks["red-lines"]
    specs = load_templates(bank)
    ran: list[str] = []
    original = gen_module.Generator.run

    def run(self, spec):
        ran.append(spec.id)
        return original(self, spec)

    monkeypatch.setattr(gen_module.Generator, "run", run)
    first = specs[0]
    generate(bank, templates=[first.id])
    assert ran == [first.id]
    ran.clear()
    last = specs[-1]
    generate(bank, templates=[last.id])
    same_kind_before = [s.id for s in specs[:-1] if s.template.kind == last.template.kind]
    expected = same_kind_before + [last.id] if last.template.kind in gen_module.PROMPT_DECIDES else [last.id]
    assert ran == expected
    assert len(ran) < len(specs)


def test_a_template_repeating_an_earlier_prompt_gives_what_everything_gives(bank_copy):
    """A second template with an earlier one's prompts makes repeats, which are skipped: asked for alone, it
    skips them too (its earlier twin runs as well, only for its prompts)."""
    from quizgen.generate import templates as templates_module

    shared = Path(templates_module.__file__).parent / "shared" / "timeline" / "numbers.yaml"
    (bank_copy / "templates" / "zz_again.yaml").write_text(
        shared.read_text(encoding="utf-8").replace("id: numbers", "id: zz_again"), encoding="utf-8")
    bank = load_bank(bank_copy)
    everything = generate(bank)
    repeats = [s for s in everything.skipped if s.template == "zz_again" and "same prompt" in s.reason]
    assert repeats
    only = generate(bank, templates=["zz_again"])
    assert only.questions == [q for q in everything.questions if q.template == "zz_again"]
    assert only.skipped == [s for s in everything.skipped if s.template == "zz_again"]


def test_templates_read_once_generate_what_reading_them_again_does():
    """`quizgen review` reads the templates once for all its seeds: the same questions, skips and flags per seed."""
    from pathlib import Path

    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate
    from quizgen.generate.templates import load_templates
    from quizgen.generate.views import build_budget

    bank = load_bank(Path(__file__).resolve().parent.parent / "questions" / "red_lines")
    with build_budget():
        loaded = load_templates(bank)
    for seed in (0, 3):
        again, once = generate(bank, seed=seed, strict=False), generate(bank, seed=seed, strict=False, loaded=loaded)
        assert [q.to_dict() for q in once.questions] == [q.to_dict() for q in again.questions]
        assert once.skipped == again.skipped and once.flags == again.flags
