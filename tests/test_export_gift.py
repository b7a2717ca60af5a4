"""GIFT export, read back by a small GIFT reader written here (after Moodle's qformat_gift rules)."""
from __future__ import annotations

import re

import pytest
from samples import sample_meta, sample_questions
from test_export_samples import all_questions, special_questions

from quizgen.export import render
from quizgen.question import Kind

# escaped characters become private-use placeholders while the structure is parsed, as Moodle does
_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003", "\\{": "\ue004",
            "\\}": "\ue005", "\\:": "\ue006", "\\n": "\ue007"}
_RESTORE = {"\ue000": "\\", "\ue001": "~", "\ue002": "=", "\ue003": "#", "\ue004": "{", "\ue005": "}",
            "\ue006": ":", "\ue007": "\n"}
_WEIGHT = re.compile(r"^%(-?\d{1,2}(?:\.\d*)?)%")


def protect(text: str) -> str:
    return re.sub(r"\\[\\~=#{}:n]", lambda m: _ESCAPES[m.group(0)], text)


def restore(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text).strip()


def read_gift(text: str) -> list[dict]:
    """Each question as {name, prompt, type, right, comment}, categories as {category}."""
    items = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = block.strip().splitlines()
        comment = " ".join(line for line in lines if line.strip().startswith("//"))
        body = protect("\n".join(line for line in lines if not line.strip().startswith("//")).strip())
        if not body:
            continue
        if body.startswith("$CATEGORY:"):
            items.append({"category": body[len("$CATEGORY:"):].strip()})
            continue
        name, body = re.fullmatch(r"::(.*?)::(.*)", body, re.S).groups()
        prompt, answers, after = re.fullmatch(r"([^{]*)\{([^}]*)\}(.*)", body, re.S).groups()
        assert not after.strip()
        answers, _, feedback = answers.partition("####")
        items.append({"name": restore(name), "prompt": restore(prompt.removeprefix("[plain]")),
                      "feedback": restore(feedback), "comment": comment, **parse_answers(answers.strip())})
    return items


def parse_answers(answers: str) -> dict:
    if answers.startswith("#"):
        return {"type": "numerical", "right": float(restore(answers[1:]))}
    if "~" in answers:
        options = [part.strip() for part in re.split(r"(?=[~=])", answers) if part.strip()]
        right, single = [], any(option.startswith("=") for option in options)
        for option in options:
            weight = _WEIGHT.match(option[1:])
            text = restore(option[1 + (weight.end() if weight else 0):])
            if option.startswith("=") or (weight and float(weight.group(1)) > 0):
                right.append(text)
        return {"type": "multichoice" if single else "multianswer", "right": right}
    if "=" in answers and "->" in answers:
        pairs = [part.split("->", 1) for part in answers.split("=") if part.strip()]
        return {"type": "matching", "right": [(restore(left), restore(right)) for left, right in pairs]}
    if answers in ("T", "TRUE", "F", "FALSE"):
        return {"type": "truefalse", "right": answers.startswith("T")}
    return {"type": "shortanswer", "right": [restore(part) for part in answers.split("=") if part.strip()]}


@pytest.fixture(scope="module")
def exported():
    data, kept, skipped = render(all_questions(), sample_meta(), "gift")
    items = read_gift(data.decode("utf-8"))
    return kept, skipped, [item for item in items if "category" not in item], items


def test_every_kept_question_reads_back_with_prompt_and_right_answer(exported):
    kept, _, questions, _ = exported
    assert len(questions) == len(kept)
    for q, item in zip(kept, questions):
        assert item["prompt"].startswith(q.prompt), q.template
        assert q.explanation in item["feedback"] and q.source.quote in item["feedback"]
        assert f"[id:{q.id}]" in item["comment"]
        if q.kind in (Kind.multiple_choice, Kind.which_first, Kind.quote):
            assert (item["type"], item["right"]) == ("multichoice", [q.answer]), q.template
        elif q.kind is Kind.multiple_select:
            assert (item["type"], item["right"]) == ("multianswer", list(q.answers)), q.template
        elif q.kind is Kind.true_false:
            assert (item["type"], item["right"]) == ("truefalse", q.answer == "True"), q.template
        elif q.kind is Kind.matching:
            expected = [(p.left, p.right) for p in q.pairs]
            assert item["type"] == "matching" and [p for p in item["right"] if p[0]] == expected
        elif q.kind is Kind.short_answer:
            expected = [text.replace("*", "\\*") for text in q.answers + q.accepted]
            assert (item["type"], item["right"]) == ("shortanswer", expected), q.template
        elif q.kind is Kind.numeric:
            assert (item["type"], item["right"]) == ("numerical", float(q.answer))
        else:
            pytest.fail(f"{q.kind} should have been skipped")


def test_special_characters_survive_in_prompt_choices_and_answers(exported):
    _, _, questions, _ = exported
    special = {q.prompt: q for q in special_questions()}
    found = [item for item in questions if item["prompt"] in special]
    assert len(found) == 6     # all but cloze, ordering and the numeric one (its prompt gains a unit)
    short = next(item for item in found if item["type"] == "shortanswer")
    assert short["right"] == ["a~b = c#d {e} f:g \\h <i>", "Ж : }"]


def test_cloze_and_ordering_are_skipped_with_a_reason(exported):
    kept, skipped, _, _ = exported
    assert skipped == {(Kind.cloze, "GIFT cannot express cloze"): 2,
                       (Kind.ordering, "GIFT cannot express chronological order"): 2}
    assert {q.kind for q in kept}.isdisjoint({Kind.cloze, Kind.ordering})


def test_arrow_in_a_matching_item_is_skipped_not_garbled():
    from dataclasses import replace

    from quizgen.question import Pair

    match = next(q for q in sample_questions() if q.kind is Kind.matching)
    bad = replace(match, id="arrow", pairs=(Pair("a -> b", "c"), Pair("d", "e")))
    _, kept, skipped = render([match, bad], sample_meta(), "gift")
    assert [q.id for q in kept] == [match.id]
    assert skipped == {(Kind.matching, "GIFT cannot express '->' inside a matching item"): 1}


def test_categories_tags_and_plain_format(exported):
    _, _, questions, items = exported
    assert [item["category"] for item in items if "category" in item] == [
        "$course$/top/Sample bank: red lines/Samples", "$course$/top/Sample bank: red lines/Specials // odd"]
    assert "[tag:has\\]bracket]" in questions[-1]["comment"]


def test_output_is_byte_identical_for_the_same_input():
    assert render(all_questions(), sample_meta(), "gift")[0] == render(all_questions(), sample_meta(), "gift")[0]
