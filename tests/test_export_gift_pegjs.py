"""GIFT read back by gift-pegjs (npm), an independent GIFT parser, and compared with the JSON export.

For every question of the shipped bank and for questions full of hostile text, the right answers and
grade weights gift-pegjs reads must be the ones the JSON export holds. The parser is installed into
tests/node by npm on first use (.ci/run installs it first); without npm the tests skip, or fail in CI.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from samples import SOURCE, sample_meta

from quizgen.export import render
from quizgen.question import Kind, Pair, Question, stable_id

NODE_DIR = Path(__file__).parent / "node"
HOSTILE = ["%50% off", "%-25%minus", "%5.5%x", "a -> b", "~tilde", "=equals", "#hash", "{braces}", "co:lo::n",
           "back\\slash\\", "[html]<b>bold</b>", "[markdown]*x*", "// not a comment", "####", "T", "100%"]


@pytest.fixture(scope="module")
def gift_pegjs():
    """A function that parses GIFT text with gift-pegjs and returns its questions."""
    if not (NODE_DIR / "node_modules" / "gift-pegjs").is_dir():
        if shutil.which("npm") is None or shutil.which("node") is None:
            _unavailable("npm and node are needed to install and run gift-pegjs")
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR)],
                              capture_output=True, text=True, timeout=300)
        if done.returncode:
            _unavailable(f"npm install gift-pegjs failed: {done.stderr[-500:]}")

    def parse(text: str, tmp: Path) -> list[dict]:
        path = tmp / "export.gift.txt"
        path.write_text(text, encoding="utf-8")
        done = subprocess.run(["node", str(NODE_DIR / "read_gift.js"), str(path)], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return parse


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run gift-pegjs: {reason}")
    pytest.skip(reason)


def plain(text: str) -> str:
    """What gift-pegjs keeps of plain text: trimmed, runs of blanks as one space."""
    return re.sub(r"[^\S\n]{2,}", " ", text).strip()


_PLACEHOLDERS = {"&&092;": "\\", "&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}",
                 "&&126;": "~", "&&010": "\n"}


def decoded(text: str) -> str:
    """gift-pegjs leaves its escape placeholders in a matching item's right side; Moodle decodes them."""
    for placeholder, char in _PLACEHOLDERS.items():
        text = text.replace(placeholder, char)
    return text


def expected(item: dict) -> tuple:
    """(kind, right answers with weights) as the JSON export says."""
    kind, answer = item["kind"], item["answer"]
    if kind in ("multiple_choice", "which_first", "quote"):
        return "MC", sorted((plain(c), 100.0 if c == answer else 0.0) for c in item["choices"])
    if kind == "multiple_select":
        share = 100 / len(answer)
        return "MC", sorted((plain(c), share if c in answer else -share) for c in item["choices"])
    if kind == "true_false":
        return "TF", answer == item["choices"][0]
    if kind == "matching":
        return "Matching", [(plain(p["left"]), plain(p["right"])) for p in item["pairs"]]
    if kind == "short_answer":
        texts = dict.fromkeys([answer] + item["accepted"])
        return "Short", sorted((plain(t.replace("*", "\\*")), 100.0) for t in texts)
    if kind == "numeric":
        return "Numerical", float(answer)
    raise AssertionError(kind)


def read(question: dict) -> tuple:
    kind = question["type"]
    if kind in ("MC", "Short"):
        weights = []
        for choice in question["choices"]:
            weight = choice["weight"]
            if weight is None:
                weight = 100.0 if choice["isCorrect"] else 0.0
            weights.append((choice["text"]["text"], round(float(weight), 3)))
        return kind, sorted(weights)
    if kind == "TF":
        return kind, question["isTrue"]
    if kind == "Matching":
        return kind, [(p["subquestion"]["text"], decoded(p["subanswer"])) for p in question["matchPairs"]
                      if p["subquestion"]["text"]]
    if kind == "Numerical":
        return kind, float(question["choices"]["number"])
    raise AssertionError(kind)


def rounded(value: tuple) -> tuple:
    kind, answers = value
    if kind in ("MC", "Short"):
        return kind, sorted((text, round(weight, 3)) for text, weight in answers)
    return value


def compare(questions: list[Question], meta, parse, tmp: Path) -> int:
    gift, kept, _ = render(questions, meta, "gift")
    as_json = {item["id"]: item for item in json.loads(render(kept, meta, "json")[0])["questions"]}
    parsed = parse(gift.decode("utf-8"), tmp)
    read_back = [q for q in parsed if q["type"] != "Category"]
    assert len(read_back) == len(kept), "a question was lost or injected"
    for question in read_back:
        item = as_json[question["id"]]
        assert rounded(read(question)) == rounded(expected(item)), (item["kind"], item["prompt"])
    return len(read_back)


def test_every_shipped_question_reads_back_with_its_right_answers_and_weights(gift_pegjs, tmp_path):
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate

    shipped = generate(load_bank(), seed=0)
    expressible = [q for q in shipped.questions if q.kind not in (Kind.cloze, Kind.ordering)]   # GIFT has neither
    assert len(expressible) > 150
    assert compare(shipped.questions, shipped.meta, gift_pegjs, tmp_path) == len(expressible)


def hostile_questions() -> list[Question]:
    def make(kind: Kind, name: str, **kw) -> Question:
        return Question(id=stable_id("hostile", name, (name,)), bank="hostile", template=name, group="g",
                        kind=kind, prompt=f"Pick {name}", source=SOURCE, **kw)

    questions = []
    for index, text in enumerate(HOSTILE):
        others = tuple(t for t in HOSTILE if t != text)[:3]
        questions += [
            make(Kind.multiple_choice, f"mc{index}", answer=text, choices=(text,) + others),
            make(Kind.multiple_choice, f"mcw{index}", answer=others[0], choices=(text,) + others),
            make(Kind.multiple_select, f"ms{index}", answer=(text, others[1]), choices=(text,) + others),
            make(Kind.short_answer, f"sa{index}", answer=text, accepted=(f"{text} too",)),
        ]
        if "->" not in text:
            questions.append(make(Kind.matching, f"m{index}", answer=("x",), choices=(text, "other"),
                                  pairs=(Pair(text, f"{text} ->right"), Pair("plain", "other"))))
    return questions


def test_hostile_answers_keep_their_text_and_weight(gift_pegjs, tmp_path):
    questions = hostile_questions()
    assert compare(questions, sample_meta(), gift_pegjs, tmp_path) == len(questions) - 1   # "->" short answer


def test_a_newline_in_the_bank_title_or_group_injects_nothing(gift_pegjs, tmp_path):
    meta = replace(sample_meta(), title="Bank\n\n::Injected::[html]<script>x</script>{=yes ~no}\n\n// x")
    question = replace(hostile_questions()[0], group="Group\n$CATEGORY: $course$/top/Elsewhere\n\n::Q::{=a ~b}")
    gift = render([question], meta, "gift")[0].decode()
    assert all(line.startswith(("//", "$CATEGORY:", "::", "\t", "}")) for line in gift.splitlines() if line)
    parsed = gift_pegjs(gift, tmp_path)
    assert [q["type"] for q in parsed] == ["Category", "MC"]
    assert parsed[0]["title"] == ("$course$/top/Bank ::Injected::[html]<script>x<//script>{=yes ~no} //// x"
                                  "/Group $CATEGORY: $course$//top//Elsewhere ::Q::{=a ~b}")
    assert compare([question], meta, gift_pegjs, tmp_path) == 1
