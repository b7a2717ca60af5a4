from collections import Counter
from dataclasses import replace

import pytest
from samples import sample_questions

from quizgen.classset.selection import (
    filter_pool,
    make_versions,
    select_questions,
    shuffle_options,
    version_label,
)
from quizgen.errors import QuizgenError
from quizgen.question import Kind, parse_kinds


def pool(copies: int = 3):
    """The samples `copies` times over, each copy about other facts (as a real bank's questions are)."""
    return [replace(q, id=f"{q.id}-{i}", facts=tuple(f"{f}-{i}" for f in q.facts))
            for i in range(copies) for q in sample_questions()]


def test_picks_every_kind_before_repeating_one():
    kinds = Counter(q.kind for q in select_questions(pool(), 10, seed=1))
    assert len(kinds) == 10 and set(kinds.values()) == {1}


def test_spreads_across_templates_within_a_kind():
    picked = select_questions(pool(), 6, seed=2, kinds=[Kind.multiple_choice])
    assert Counter(q.template for q in picked) == {"mc": 3, "hostile": 3}
    first_two = {q.template for q in picked[:2]}
    assert first_two == {"mc", "hostile"}


def test_avoids_questions_on_the_same_facts_while_it_can():
    twins = [replace(q, id=q.id + "-twin", template=q.template + "-twin") for q in sample_questions()]
    picked = select_questions(sample_questions() + twins, 11, seed=3)
    assert len({frozenset(q.facts) for q in picked}) == 11
    picked = select_questions(sample_questions() + twins, 13, seed=3)
    assert len({frozenset(q.facts) for q in picked}) == 11     # only now must facts repeat


def test_selection_is_deterministic_and_follows_the_seed():
    ids = lambda seed: [q.id for q in select_questions(pool(), 12, seed)]  # noqa: E731
    assert ids(5) == ids(5)
    assert ids(5) != ids(6)
    shuffled = list(reversed(pool()))
    assert [q.id for q in select_questions(shuffled, 12, 5)] == ids(5)     # pool order does not matter


def test_filters_by_kind_and_template():
    picked = filter_pool(pool(), parse_kinds(["true-false,numeric"]), None)
    assert {q.kind for q in picked} == {Kind.true_false, Kind.numeric}
    assert {q.template for q in filter_pool(pool(), None, ("mc",))} == {"mc"}


@pytest.mark.parametrize("call, message", [
    (lambda: select_questions(pool(1), 12, 0), "only 11"),
    (lambda: select_questions(pool(1), 0, 0), "at least 1"),
    (lambda: select_questions(pool(1), 2, 0, kinds=[Kind.numeric]), "only 1"),
    (lambda: make_versions(pool(1), 3, 0, 0), "versions must be at least 1"),
    (lambda: filter_pool(pool(1), None, ("nope",)), "nope"),
    (lambda: parse_kinds(["multiple_choise"]), "unknown question kind"),
])
def test_mistakes_are_quizgen_errors(call, message):
    with pytest.raises(QuizgenError, match=message):
        call()


def test_versions_share_questions_in_different_orders():
    versions = make_versions(pool(), 10, 4, seed=7)
    assert [v.label for v in versions] == ["A", "B", "C", "D"]
    sets = [{q.id for q in v.questions} for v in versions]
    assert all(s == sets[0] for s in sets)
    orders = [tuple(q.id for q in v.questions) for v in versions]
    assert len(set(orders)) == 4
    assert make_versions(pool(), 10, 4, seed=7) == versions


def test_option_shuffles_keep_every_answer_right():
    seen_orders = set()
    for version in make_versions(sample_questions(), 11, 6, seed=11):
        for q in version.questions:
            original = next(o for o in sample_questions() if o.id == q.id)
            assert q.answer == original.answer
            assert sorted(q.choices) == sorted(original.choices)
            assert sorted(q.pairs, key=str) == sorted(original.pairs, key=str)
            if q.kind is Kind.true_false:
                assert q.choices == ("True", "False")
            if q.kind in (Kind.multiple_choice, Kind.quote, Kind.which_first):
                assert q.answer in q.choices
            if q.kind is Kind.multiple_select:
                assert set(q.answers) <= set(q.choices)
            if q.kind is Kind.matching:
                assert {p.right for p in q.pairs} <= set(q.choices)
            if q.kind is Kind.multiple_choice and q.template == "mc":
                seen_orders.add(q.choices)
    assert len(seen_orders) > 1


def test_ordering_question_keeps_date_order_as_answer():
    import random

    question = next(q for q in sample_questions() if q.kind is Kind.ordering)
    orders = {shuffle_options(question, random.Random(i)).choices for i in range(20)}
    assert len(orders) > 2
    assert all(shuffle_options(question, random.Random(i)).answer == question.answer for i in range(20))


def test_different_questions_per_version_while_the_pool_lasts():
    versions = make_versions(pool(), 11, 3, seed=4, different_questions=True)
    sets = [{q.id for q in v.questions} for v in versions]
    assert not (sets[0] & sets[1]) and not (sets[0] & sets[2]) and not (sets[1] & sets[2])
    again = make_versions(pool(), 11, 4, seed=4, different_questions=True)     # a 4th must reuse some
    assert len({q.id for q in again[3].questions}) == 11


def test_version_labels_go_past_z():
    assert [version_label(i) for i in (0, 1, 25, 26, 27, 51, 52)] == ["A", "B", "Z", "AA", "AB", "AZ", "BA"]
