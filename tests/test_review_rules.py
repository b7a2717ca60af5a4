"""Each rule of the question review, tripped by a small INVENTED bank (Alphia, Betania... do not exist): the
generator skips the question and says why, `quizgen review` lists it, and the review catches the same fault in a
question made by hand, so it does not depend on how the builders work."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.bank.loader import load_bank
from quizgen.cli import cli
from quizgen.generate.check import review_bank
from quizgen.generate.generator import Generator, generate
from quizgen.generate.templates import load_templates
from quizgen.question import Kind, Question

FILES = {
    "bank.yaml": '''id: rules
title: "Review rules (invented)"
as_of: "2024-06"
description: "An invented bank that breaks each rule of the question review once."
sources:
  - {id: src, title: "An invented report", publisher: "Nobody", published: "2024-06"}
''',
    "vocabulary.yaml": '''kinds: [country, person, weapon]
actions:
  backed: {class: supporting, role: decider}
  supplied: {class: supplying, role: decider, implies: lifting}
  approved: {class: lifting, role: decider}
  held: {class: acting, role: actor}
effects:
  lifted: {class: ends}
  partly_lifted: {class: eases}
statuses:
  in_force: {class: holds}
  lifted: {class: ended}
  partly_lifted: {class: partly}
''',
    "entities.yaml": '''entities:
  - {id: alphia, name: Alphia, kind: country, side: west}
  - {id: betania, name: Betania, kind: country, side: west}
  - {id: cetia, name: Cetia, kind: country, side: west}
  - {id: deltia, name: Deltia, kind: country, side: west}
  - {id: united_isles, name: United Isles, article: the, kind: country, side: west}
  - {id: pat_smith, name: Pat Smith, kind: person, country: alphia}
  - {id: kim_lee, name: Kim Lee, kind: person, country: betania}
  - {id: ali_ray, name: Ali Ray, kind: person, country: cetia}
  - {id: artillery, name: Artillery, kind: weapon, category: artillery, general: true}
  - {id: cannon_x, name: Cannon X, kind: weapon, category: artillery}
  - {id: missile_y, name: Missile Y, kind: weapon, category: missile}
  - {id: tank_z, name: Tank Z, kind: weapon, category: tank}
  - {id: rocket_w, name: Rocket W, kind: weapon, category: rocket}
''',
    "restrictions.yaml": '''restrictions:
  - {id: r_strikes, name: "Strikes across the border", imposed_by: [alphia], status: partly_lifted,
     status_note: "Eased for border areas only.", quote: "eased for border areas"}
  - {id: r_tanks, name: "Sending tanks", imposed_by: [betania], status: lifted, status_note: "Lifted.",
     quote: "tanks were sent"}
  - {id: r_rockets, name: "Sending rockets", imposed_by: [cetia], status: in_force, status_note: "Still refused.",
     quote: "rockets are still refused"}
  - {id: r_jets, name: "Sending jets", imposed_by: [deltia], status: in_force, status_note: "Still refused.",
     quote: "jets are still refused"}
''',
    "events.yaml": '''events:
  - {id: such_as, date: "2024-05", actors: [alphia, betania], actors_open: true, action: backed,
     subject: r_strikes, summary: "Powers such as Alphia and Betania backed strikes across the border.",
     quote: "powers such as Alphia and Betania"}
  - {id: us_backs, date: "2024-05-30", actors: [united_isles], action: backed, subject: r_strikes,
     summary: "The United Isles backed strikes across the border.", quote: "and finally the United Isles"}
  - {id: cannon, date: "2023-03", actors: [alphia], action: supplied, subject: cannon_x,
     summary: "Alphia supplied Cannon X.", quote: "Alphia supplied Cannon X"}
  - {id: missile_a, date: "2023", actors: [cetia], action: supplied, subject: missile_y,
     summary: "Cetia began supplying Missile Y.", quote: "Cetia and Deltia have supplied Missile Y"}
  - {id: missile_b, date: "2023", actors: [deltia], action: supplied, subject: missile_y,
     summary: "Deltia began supplying Missile Y.", quote: "Cetia and Deltia have supplied Missile Y"}
  - {id: isles_tanks, date: "2023-07", actors: [united_isles], action: supplied, subject: tank_z,
     summary: "The United Isles supplied Tank Z.", quote: "the United Isles supplied Tank Z"}
  - {id: tanks, date: "2023-06-15", actors: [pat_smith], action: approved, subject: tank_z, restriction: r_tanks,
     effect: lifted, summary: "Pat Smith approved sending Tank Z.", quote: "Smith approved on 15 June 2023"}
  - {id: dated_item, date: "2022-05", actors: [ali_ray], action: held, subject: rocket_w,
     summary: "In May 2022 Ali Ray held a Rocket W test.", quote: "in May 2022 Ray held a test"}
  - {id: rockets, date: "2022-09", actors: [kim_lee], action: held, subject: rocket_w,
     summary: "Kim Lee held a Rocket W parade.", quote: "Lee held a parade"}
''',
    "templates/who_backed.yaml": '''id: who_backed
kind: multiple_choice
title: Who backed it?
group: Rules
select: {from: events, where: {action: backed}}
answer: actor
prompt: "Who is missing? {{ event.summary | blank(event.actor) }}"
''',
    "templates/which_weapon.yaml": '''id: which_weapon
kind: multiple_choice
title: Which weapon?
group: Rules
choices: 2
select: {from: events, where: {id: cannon}}
answer: subject
prompt: "Which weapon? {{ event.summary | blank(event.subject) }}"
''',
    "templates/name_supplier.yaml": '''id: name_supplier
kind: short_answer
title: Name the supplier
group: Rules
select: {from: events, where: {subject: missile_y}}
answer: actor
prompt: "Fill in the blank: {{ event.summary | blank(event.actor) }}"
''',
    "templates/which_first.yaml": '''id: which_first
kind: which_first
title: Which first?
group: Rules
select: {from: events, where: {action: held}}
prompt: "Which happened first?"
item: "{{ event.summary }}"
''',
    "templates/the_blank.yaml": '''id: the_blank
kind: multiple_choice
title: The blank
group: Rules
select: {from: events, where: {id: isles_tanks}}
answer: actor
prompt: "Who supplied Tank Z? It was the _____."
''',
    "templates/when.yaml": '''id: when
kind: multiple_choice
title: When?
group: Rules
select: {from: events, where: {id: tanks}}
answer: date
prompt: "When? {{ event.summary }}"
''',
    "templates/in_force.yaml": '''id: in_force
kind: multiple_select
title: In force?
group: Rules
select: {from: restrictions}
correct: {status: in_force}
count: 4
prompt: "Which were still in force as of {{ as_of }}?"
item: "{{ restriction.name }}"
''',
}


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rules")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bank(bank_dir):
    return load_bank(bank_dir)


@pytest.fixture(scope="module")
def generator(bank):
    return Generator(bank, seed=0)


@pytest.fixture(scope="module")
def specs(bank):
    return {s.id: s for s in load_templates(bank)}


@pytest.fixture(scope="module")
def skipped(bank):
    return {(s.template, s.facts): s.reason for s in generate(bank).skipped}


def reasons(skipped, template: str) -> list[str]:
    return [reason for (t, _), reason in skipped.items() if t == template]


def flags_of(generator, spec, question) -> set[str]:
    return {f.rule for f in generator.reviewer.check(question, spec)}


def made(bank, template: str) -> list[Question]:
    return [q for q in generate(bank, templates=[template], strict=False).questions]


def test_a_such_as_list_refutes_nothing(generator, specs, skipped, bank):
    # "powers such as Alphia and Betania": Cetia may have backed it too, and so the United Isles' question has no
    # wrong option either (the same kind of fact about the same restriction)
    assert any("nobody else" in r for r in reasons(skipped, "who_backed"))
    assert not [q for q in generate(bank).questions if q.template == "who_backed"]
    by_hand = Question(id="x", bank="rules", template="who_backed", group="Rules", kind=Kind.multiple_choice,
                       prompt="Who is missing? The _____ backed strikes across the border.", answer="United Isles",
                       choices=("United Isles", "Cetia", "Deltia", "Alphia"), facts=("us_backs",))
    assert "not-refuted" in flags_of(generator, specs["who_backed"], by_hand)


def test_a_category_never_stands_against_its_member(generator, specs, bank):
    question = made(bank, "which_weapon")[0]
    assert question.answer == "Cannon X" and "Artillery" not in question.choices
    assert flags_of(generator, specs["which_weapon"], replace(question, choices=("Cannon X", "Artillery"))) >= {
        "not-refuted"}


def test_two_records_that_fill_one_blank_make_no_fill_in(generator, specs, skipped):
    assert [r for r in reasons(skipped, "name_supplier") if "another record fills the same blank" in r]
    by_hand = Question(id="x", bank="rules", template="name_supplier", group="Rules", kind=Kind.short_answer,
                       prompt="Fill in the blank: _____ began supplying Missile Y.", answer="Cetia",
                       facts=("missile_a",))
    assert "ambiguous" in flags_of(generator, specs["name_supplier"], by_hand)


def test_an_item_that_shows_its_date_is_not_put_in_order(generator, specs, skipped, bank):
    assert [r for r in reasons(skipped, "which_first") if "shows its date" in r and "May 2022" in r]
    by_hand = Question(id="x", bank="rules", template="which_first", group="Rules", kind=Kind.which_first,
                       prompt="Which happened first?", answer="In May 2022 Ali Ray held a Rocket W test.",
                       choices=("In May 2022 Ali Ray held a Rocket W test.", "Kim Lee held a Rocket W parade."),
                       facts=("dated_item", "rockets"))
    assert "gives-away" in flags_of(generator, specs["which_first"], by_hand)


def test_the_blank_that_only_some_options_read_after_gives_the_answer_away(generator, specs, skipped):
    assert [r for r in reasons(skipped, "the_blank") if "gives the answer away" in r]
    by_hand = Question(id="x", bank="rules", template="the_blank", group="Rules", kind=Kind.multiple_choice,
                       prompt="Who supplied Tank Z? It was the _____.", answer="United Isles",
                       choices=("United Isles", "Alphia", "Cetia", "Deltia"), facts=("isles_tanks",))
    assert "gives-away" in flags_of(generator, specs["the_blank"], by_hand)


def test_a_partly_lifted_restriction_is_never_a_plain_yes_or_no(generator, specs, bank, bank_dir, skipped):
    # the template lets it in; the review catches it: build skips the question, `quizgen review` lists it
    assert [r for r in reasons(skipped, "in_force") if r.startswith("review: status")]
    questions = made(bank, "in_force")
    assert questions
    for question in questions:
        assert "Strikes across the border" in question.choices
        assert "status" in flags_of(generator, specs["in_force"], question)
    count, flags = review_bank(bank, [0, 1], templates=["in_force"])
    assert count == len(questions) and {f.rule for f in flags} == {"status"}
    result = CliRunner().invoke(cli, ["review", "--bank", str(bank_dir), "--seeds", "0-2", "--templates", "in_force"])
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    assert "[in_force] status:" in line and "(facts: r_strikes)" in line


def test_dates_a_few_days_apart_are_no_options(generator, specs, bank):
    question = made(bank, "when")[0]
    assert question.answer == "15 June 2023"
    for option in set(question.choices) - {question.answer}:
        assert not option.startswith(("14 June", "16 June", "13 June", "17 June")), option
    by_hand = replace(question, choices=("15 June 2023", "16 June 2023", "14 June 2023", "15 July 2023"))
    assert "implausible" in flags_of(generator, specs["when"], by_hand)


def test_wording_counts_as_of_across_prompt_and_explanation(generator, specs, bank):
    # the review reads the prompt and the explanation as one text: "as of" three times is one too many, also when
    # the prompt ends with "as" and the explanation starts with "of"; an explanation in lower case is flagged
    question = made(bank, "when")[0]

    def wording(prompt: str, explanation: str) -> list[str]:
        made_up = replace(question, prompt=prompt, explanation=explanation)
        return [f.message for f in generator.reviewer.check(made_up, specs["when"]) if f.rule == "wording"]

    assert wording("When, as of June 2024? Pat Smith approved it.", "As of June 2024: approved.") == []
    assert wording("When, as of June 2024, as of now?", "As of June 2024: approved.") == [
        "'as of' 3 times in one question"]
    assert wording("As of June 2024, when was it approved as", "of June 2024 it was. As of now too.") == [
        "the explanation starts in lower case: 'of June 2024 it was. As of now too.'",
        "'as of' 3 times in one question"]
    assert wording("When was it approved as", "Of course: as of 2024.") == []
    assert wording("When was it approved?", "As of 2024, yes. As of 2025 too.") == [
        "'as of' 2 times in one question"]


def test_an_option_is_true_by_an_answer_set_exactly_when_it_is_in_the_set_nested(bank):
    """The review asks whether an option is in `nested()` of a shared true-answer set from the categories that set
    adds (a big bank's sets are hundreds of entities): the answer must be the nested set's own, for a category
    (Artillery) and its members, alone or together, and for ids that are no entity."""
    import itertools

    truth = Generator(bank).truth
    ids = sorted(bank.entities) + sorted(bank.restrictions) + ["no_such_id"]
    answer_sets = {frozenset(pair) for pair in itertools.combinations_with_replacement(ids, 2)}
    answer_sets |= {truth.true_actors(e) for e in bank.events.values()}
    answer_sets |= {truth.true_subjects(e) for e in bank.events.values()}
    assert any("artillery" in s and len(s) > 1 for s in answer_sets)
    for shared in sorted(answer_sets, key=sorted):
        nested = truth.nested(set(shared))
        for option in itertools.combinations(ids, 2):
            assert truth.meets_nested(option, shared) == bool(nested & set(option)), (shared, option)
