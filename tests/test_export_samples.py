"""Questions full of GIFT, cloze and XML special characters, shared by the export tests."""
from __future__ import annotations

from samples import SOURCE, sample_questions

from quizgen.question import ClozePart, Kind, Pair, Question, stable_id

SPECIAL = r"a~b = c#d {e} f:g x::y \h ####, ->? <i>&amp; “Ж”"
SPECIAL_CHARS = "~=#{}:\\<>&"


def _q(template: str, kind: Kind, prompt: str, answer, **kw) -> Question:
    return Question(id=stable_id("special", template, (template,)), bank="special", template=template,
                    group=kw.pop("group", "Specials / odd"), kind=kind, prompt=prompt, answer=answer,
                    facts=(template,), source=SOURCE, tags=("special", "has]bracket"),
                    explanation=kw.pop("explanation", f"Explained: {SPECIAL}"), **kw)


def special_questions() -> list[Question]:
    """One question per kind with every special character in its prompt and answers."""
    return [
        _q("sp-mc", Kind.multiple_choice, f"Pick {SPECIAL}", f"right {SPECIAL}",
           choices=(f"wrong {SPECIAL}", f"right {SPECIAL}", "=plain")),
        _q("sp-ms", Kind.multiple_select, f"Tick {SPECIAL}", (f"one {SPECIAL}",),
           choices=(f"one {SPECIAL}", "two ~", "three #")),
        _q("sp-tf", Kind.true_false, f"True? {SPECIAL}", "True", choices=("True", "False")),
        _q("sp-order", Kind.ordering, f"Order {SPECIAL}", (f"1 {SPECIAL}", "2 }", "3 {"),
           choices=("3 {", f"1 {SPECIAL}", "2 }")),
        _q("sp-match", Kind.matching, f"Match {SPECIAL}", ("x",),
           pairs=(Pair("left = 1 {a}", f"right {SPECIAL}"), Pair("left : 2", "right ~ 2")),
           choices=(f"right {SPECIAL}", "right ~ 2", "extra # distractor")),
        _q("sp-cloze", Kind.cloze, f"Cloze x {SPECIAL} y", (f"x {SPECIAL} y*",),
           cloze=(ClozePart("Cloze "), ClozePart(f"x {SPECIAL} y*", 1), ClozePart(" {1:SHORTANSWER:=no} end"))),
        _q("sp-short", Kind.short_answer, f"Type {SPECIAL}", "a~b = c#d {e} f:g \\h <i>",
           accepted=("Ж : }",)),
        _q("sp-num", Kind.numeric, f"How many {SPECIAL}", "-12.5", unit="km"),
        _q("sp-quote", Kind.quote, f"Who said “{SPECIAL}”?", "Q: R", choices=("Q: R", "S = T")),
    ]


def all_questions() -> list[Question]:
    return sample_questions() + special_questions()


def test_special_questions_hold_every_special_character_and_kind():
    questions = special_questions()
    assert {q.kind for q in questions} == set(Kind) - {Kind.which_first}
    for q in questions:
        assert all(char in q.prompt for char in SPECIAL_CHARS), q.template
