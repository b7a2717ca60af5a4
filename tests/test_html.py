"""The web pages as files: escaping, the Content-Security-Policy, self-containment, determinism, the commands."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from quizgen.cli import cli
from quizgen.html import HtmlOptions, render_practice, render_review
from quizgen.html.build import choose
from quizgen.question import Kind


class Page(HTMLParser):
    """Every tag with its attributes, the text of each <script>/<style>, and the visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.blocks: list[tuple[str, dict, str]] = []
        self.text: list[str] = []
        self._open = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs), [])

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.blocks.append((self._open[0], self._open[1], "".join(self._open[2])))
            self._open = None

    def handle_data(self, data):
        (self._open[2] if self._open else self.text).append(data)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_hostile_text_is_escaped_everywhere(samples):
    questions, meta = samples
    html = render_practice(meta, questions, HtmlOptions(all_questions=True)).html
    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
    page = Page(html)
    assert [t for t, _ in page.tags].count("script") == 2, "only the data block and the page's own script"
    assert "<script>alert(1)</script> & <b>bold</b> Зеленський" in "".join(page.text), "shown as text"
    data = json.loads(next(text for tag, attrs, text in page.blocks if attrs.get("id") == "qz-data"))
    assert any("<script>alert(1)</script>" in t for t in data["t"]), "explanations reach the script intact"


def test_the_policy_allows_only_the_pages_own_style_and_script(samples):
    questions, meta = samples
    for html in (render_practice(meta, questions, HtmlOptions()).html, render_review(meta, questions)):
        page = Page(html)
        csp = next(a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy")
        assert csp.startswith("default-src 'none';")
        code = [text for tag, attrs, text in page.blocks if tag == "script" and "type" not in attrs]
        style = [text for tag, _, text in page.blocks if tag == "style"]
        assert len(code) == 1 and len(style) == 1
        assert f"script-src {_hash(code[0])};" in csp and f"style-src {_hash(style[0])};" in csp
        linked = [(t, a) for t, a in page.tags if {"src", "href"} & set(a) and not a.get("href", "").startswith("#")]
        assert linked == [], "nothing is loaded from anywhere"
        assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?(https?:)?//""", html)
        assert not any("style" in a for _, a in page.tags), "no inline style attributes (the policy blocks them)"


def test_the_page_holds_a_key_for_every_question_but_shows_no_answer(samples):
    questions, meta = samples
    options = HtmlOptions(seed=3)
    html = render_practice(meta, questions, options).html
    chosen = choose(questions, options)
    page = Page(html)
    data = json.loads(next(text for tag, attrs, text in page.blocks if attrs.get("id") == "qz-data"))
    assert [k["k"] for k in data["q"]] == [q.kind.value for q in chosen]
    shown = "".join(page.text)
    for q, key in zip(chosen, data["q"]):
        assert q.explanation not in shown
        if q.kind is Kind.multiple_choice:
            assert q.choices[key["a"]] == q.answer
        if q.kind is Kind.ordering:
            assert [q.choices[i] for i in key["a"]] == list(q.answers)
            assert q.choices != q.answers, "an ordering question never starts solved"


def test_same_inputs_same_bytes_and_the_seed_matters(samples):
    questions, meta = samples
    one = render_practice(meta, questions, HtmlOptions(seed=1)).html
    assert one == render_practice(meta, questions, HtmlOptions(seed=1)).html
    assert one != render_practice(meta, questions, HtmlOptions(seed=2)).html


def test_all_groups_questions_like_the_deck(samples):
    questions, meta = samples
    page = render_practice(meta, questions, HtmlOptions(all_questions=True))
    assert page.questions == len(questions)
    assert page.html.count('class="group-title"') == len({q.group for q in questions})
    with pytest.raises(Exception, match="--questions and --all"):
        HtmlOptions(questions=5, all_questions=True)


def test_review_page_shows_answers_facts_and_escaped_flags(samples):
    questions, meta = samples
    hostile = questions[-1]
    html = render_review(meta, questions, {hostile.id: [("rule<1>", "message <i>x</i>"), "plain note"]})
    text = "".join(Page(html).text)
    assert "rule<1>: message <i>x</i>" in text and "plain note" in text
    assert "<i>x</i>" not in html
    assert html.count('data-flagged="1"') == 1
    for q in questions:
        assert all(fact in text for fact in q.facts)
        assert q.template in text
    assert render_review(meta, questions).count('data-flagged="1"') == 0


def test_the_html_command_and_its_options(tmp_path):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["html", "-o", str(out), "--questions", "5", "--kinds", "true_false,numeric",
                                      "--seed", "4", "--title", "Practice <now>"])
    assert result.exit_code == 0, result.output
    assert "practice page, 5 questions" in result.output
    html = out.read_text(encoding="utf-8")
    assert "<title>Practice &lt;now&gt;</title>" in html
    assert set(re.findall(r'data-kind="(\w+)"', html)) == {"true_false", "numeric"}
    result = CliRunner().invoke(cli, ["html", "-o", str(out), "--all", "--templates", "who_said_quote"])
    assert result.exit_code == 0, result.output
    assert html != out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["html", "-o", str(out), "--kinds", "essay"])
    assert bad.exit_code == 1 and bad.stderr.splitlines()[1].startswith("error: unknown question kind 'essay'")


def test_preview_html_writes_the_review_page(tmp_path):
    out = tmp_path / "review.html"
    result = CliRunner().invoke(cli, ["preview", "--html", "-o", str(out), "--kinds", "cloze"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert set(re.findall(r'data-kind="(\w+)"', html)) == {"cloze"}
    assert "review page" in result.output
