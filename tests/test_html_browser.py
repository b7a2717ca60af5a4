"""The practice page and the review page in a real browser (headless Debian chromium via Playwright).

The test knows the right answers from the Question objects, never from the page's own key: it answers
every question by what a person sees (option texts, item texts) and checks the page's verdicts and score.
"""
from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
from browser import Watched, launch

from quizgen.bank.loader import load_bank
from quizgen.generate.generator import generate
from quizgen.html import HtmlOptions, render_practice, write_review
from quizgen.html.build import choose
from quizgen.question import Kind, Question

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def browser():
    playwright, chromium = launch()
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="module")
def generated():
    return generate(load_bank(None))


@pytest.fixture(scope="module")
def practice(generated, tmp_path_factory):
    """The red-lines practice page (20 questions, as `quizgen html` writes it) and its questions in page order."""
    options = HtmlOptions()
    questions = choose(generated.questions, options)
    path = tmp_path_factory.mktemp("html") / "practice.html"
    path.write_text(render_practice(generated.meta, generated.questions, options).html, encoding="utf-8")
    return path, questions


def shout(text: str) -> str:
    """The text in capitals with its accents moved (none where it had them, an acute on every vowel where it
    had none): the page must still accept it."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).upper()
    accented = unicodedata.normalize("NFC", "".join(c + "\u0301" if c in "AEIOU" else c for c in bare))
    assert accented != text.upper()
    return accented


def arrange(section, target: list[str]) -> None:
    """Put an ordering question's items in `target` order with the Move up buttons."""
    for position, wanted in enumerate(target):
        current = section.locator(".order li > span[id]").all_text_contents()
        for _ in range(current.index(wanted) - position):
            section.locator(".order li").nth(current.index(wanted)).get_by_role("button", name="Move up").click()
            current = section.locator(".order li > span[id]").all_text_contents()
    assert section.locator(".order li > span[id]").all_text_contents() == target


def answer(page, number: int, q: Question, right: bool) -> None:
    section = page.locator(f"#q{number}")
    kind = q.kind
    if kind is Kind.multiple_select:
        picks = q.answers if right else [c for c in q.choices if c not in q.answers][:1]
        for choice in picks:
            section.get_by_label(choice, exact=True).check()
    elif q.choices and kind is not Kind.ordering and kind is not Kind.matching:
        pick = q.answer if right else next(c for c in q.choices if c != q.answer)
        section.get_by_label(pick, exact=True).check()
    elif kind is Kind.ordering:
        arrange(section, list(q.answers) if right else list(reversed(q.answers)))
    elif kind is Kind.matching:
        for pair in q.pairs:
            pick = pair.right if right else next(c for c in q.choices if c != pair.right)
            section.get_by_label(pair.left, exact=True).select_option(label=pick)
    elif kind is Kind.cloze:
        holes = [part.text for part in q.cloze if part.hole]
        for i, text in enumerate(holes):
            section.locator("input.blank").nth(i).fill(shout(text) if right else "wrong")
    elif kind is Kind.numeric:
        section.get_by_label("Your answer").fill(str(q.answer) if right else str(float(q.answer) + 1))
    else:
        section.get_by_label("Your answer").fill(shout(str(q.answer)) if right else "no idea")


def verdicts(page) -> list[str]:
    """Each question's verdict (textContent: off-screen questions are not laid out, so they have no innerText)."""
    return page.locator("article.q .verdict").all_text_contents()


def shown_feedback(page) -> int:
    return page.evaluate("Array.from(document.querySelectorAll('.fb')).filter(f => !f.hidden).length")


def run_quiz(watched, path, questions, shots, name: str) -> None:
    """Answer everything right (20/20), try again, everything wrong (0/20); screenshots along the way."""
    page = watched.open(path)
    total = len(questions)
    assert page.locator("article.q").count() == total
    assert page.locator("#q3 .qn").text_content().startswith(f"Question 3 of {total}")
    for number, q in enumerate(questions, 1):   # (a quote question's prompt is its source quote; a true
        shown = page.locator(f"#q{number}").text_content()   # statement, its explanation)
        assert q.explanation not in shown or q.explanation in q.prompt, q.prompt
        assert q.source.quote not in shown or q.source.quote in " ".join([q.prompt, *q.choices,
                                                                         *(p.left for p in q.pairs)]), q.prompt
    assert shown_feedback(page) == 0 and page.locator(".fb").all_text_contents() == [""] * total

    for number, q in enumerate(questions, 1):
        answer(page, number, q, right=True)
    page.locator("#q1 button.check").click()
    assert page.locator("#qz-progress-text").inner_text() == f"1 of {total} checked · 1 right"
    page.get_by_role("button", name="Check all").click()
    assert verdicts(page) == ["✓ Right"] * total
    assert page.locator("#qz-score").inner_text() == f"Score: {total} / {total} (100%)"
    assert shown_feedback(page) == total
    for number, q in enumerate(questions, 1):
        text = page.locator(f"#q{number} .fb").text_content()
        assert q.source.quote in text and q.explanation in text
    page.screenshot(path=str(shots / f"{name}-right.png"), full_page=True)

    before = [page.locator(f"#q{n} .opts").text_content() for n, q in enumerate(questions, 1) if q.choices
              and q.kind not in (Kind.ordering, Kind.matching, Kind.true_false)]
    page.get_by_role("button", name="Try again").click()
    assert verdicts(page) == [""] * total
    assert page.locator("input:checked").count() == 0 and page.locator("input:disabled").count() == 0
    assert shown_feedback(page) == 0
    after = [page.locator(f"#q{n} .opts").text_content() for n, q in enumerate(questions, 1) if q.choices
             and q.kind not in (Kind.ordering, Kind.matching, Kind.true_false)]
    assert before != after, "Try again reshuffles the options"

    for number, q in enumerate(questions, 1):
        answer(page, number, q, right=False)
    page.get_by_role("button", name="Check all").click()
    assert verdicts(page) == ["✗ Wrong"] * total
    assert page.locator("#qz-score").inner_text() == f"Score: 0 / {total} (0%)"
    assert page.locator("article.q .mark.bad").count() >= total
    page.screenshot(path=str(shots / f"{name}-wrong.png"), full_page=True)
    watched.assert_quiet()


def test_every_question_right_then_wrong(browser, practice, tmp_path):
    path, questions = practice
    assert {q.kind for q in questions} == set(Kind), "the practice set has all ten kinds"
    watched = Watched(browser, viewport={"width": 1280, "height": 900})
    try:
        run_quiz(watched, path, questions, tmp_path, "desktop")
    finally:
        watched.close()
    dark = Watched(browser, viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page = dark.open(path)
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(23, 25, 28)"
        page.screenshot(path=str(tmp_path / "desktop-dark.png"), full_page=True)
        dark.assert_quiet()
    finally:
        dark.close()


def test_a_phone_390_px_wide(browser, practice, tmp_path):
    path, questions = practice
    for scheme in ("light", "dark"):
        watched = Watched(browser, color_scheme=scheme, **PHONE)
        try:
            if scheme == "light":
                run_quiz(watched, path, questions, tmp_path, "phone")
            else:
                page = watched.open(path)
                page.get_by_role("button", name="Check all").click()
                page.screenshot(path=str(tmp_path / "phone-dark.png"), full_page=True)
                watched.assert_quiet()
            width = watched.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        finally:
            watched.close()


# ---- keyboard only ----

def press_until(page, key: str, condition: str, limit: int = 60) -> None:
    """Press `key` until the JavaScript `condition` (on `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()"):
            return
    raise AssertionError(f"{condition} never held after {limit} × {key}")


def keyboard_answer(page, number: int, q: Question) -> None:
    section = page.locator(f"#q{number}")
    inside = f"el.closest('#q{number}')"
    kind = q.kind
    if kind is Kind.multiple_select:
        labels = section.locator(".opts label").all_text_contents()
        press_until(page, "Tab", f"{inside} && el.type === 'checkbox'")
        for i, label in enumerate(labels):
            if label.strip() in q.answers:
                page.keyboard.press("Space")
            if i < len(labels) - 1:
                page.keyboard.press("Tab")
    elif kind is Kind.ordering:
        for position, wanted in enumerate(q.answers):
            current = section.locator(".order li > span[id]").all_text_contents()
            if current.index(wanted) == position:
                continue
            target = (f"{inside} && el.classList.contains('up') && "
                      f"el.closest('li').querySelector('span[id]').textContent === {wanted!r}")
            direction = "Shift+Tab" if page.evaluate(
                f"(() => {{ const el = document.activeElement; return !!{inside}; }})()") else "Tab"
            if not page.evaluate(f"(() => {{ const el = document.activeElement; return {target}; }})()"):
                press_until(page, direction, target)
            for _ in range(current.index(wanted) - position):
                page.keyboard.press("Enter")
        assert section.locator(".order li > span[id]").all_text_contents() == list(q.answers)
    elif kind is Kind.matching:
        for row in range(len(q.pairs)):
            press_until(page, "Tab", f"{inside} && el.tagName === 'SELECT' && el.id === 'q{number}-m{row}'")
            left = section.locator(f"label[for='q{number}-m{row}']").text_content()
            right = next(p.right for p in q.pairs if p.left == left)
            offered = section.locator(f"#q{number}-m{row} option").all_text_contents()
            for _ in range(offered.index(right)):
                page.keyboard.press("ArrowDown")
    elif kind is Kind.cloze:
        for text in (part.text for part in q.cloze if part.hole):
            press_until(page, "Tab", f"{inside} && el.classList.contains('blank') && !el.value")
            page.keyboard.type(text)
    elif q.choices:
        labels = [t.strip() for t in section.locator(".opts label").all_text_contents()]
        press_until(page, "Tab", f"{inside} && el.type === 'radio'")
        # Tab lands on the first radio of an unanswered group, or on another one after earlier keys: start from
        # whichever has focus
        at = page.evaluate(f"[...document.querySelectorAll('#q{number} input[type=radio]')]"
                           ".indexOf(document.activeElement)")
        page.keyboard.press("Space")
        target = labels.index(str(q.answer))
        for _ in range(abs(target - at)):
            page.keyboard.press("ArrowDown" if target > at else "ArrowUp")
    else:
        press_until(page, "Tab", f"{inside} && el.tagName === 'INPUT'")
        page.keyboard.type(str(q.answer))
    press_until(page, "Tab", f"{inside} && el.classList.contains('check')")
    page.keyboard.press("Enter")


def test_keyboard_alone_answers_one_question_of_each_kind(browser, practice):
    path, questions = practice
    watched = Watched(browser)
    try:
        page = watched.open(path)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to the first question"
        firsts = {}
        for number, q in enumerate(questions, 1):
            firsts.setdefault(q.kind, number)
        for kind, number in sorted(firsts.items(), key=lambda kn: kn[1]):
            page.locator(f"#q{number} .qn").focus()   # where the learner has read to; keys from here on
            keyboard_answer(page, number, questions[number - 1])
            assert page.locator(f"#q{number} .verdict").text_content() == "✓ Right", kind
            assert page.evaluate("document.activeElement.className") == "verdict", "focus moves to the verdict"
        outline = page.evaluate("(() => { const b = document.querySelector('#qz-check-all'); b.focus();"
                                " return getComputedStyle(b).outlineStyle; })()")
        assert outline != "none", "focus is visible"
        watched.assert_quiet()
    finally:
        watched.close()


def test_dragging_an_item_reorders_it(browser, practice):
    path, questions = practice
    number = next(n for n, q in enumerate(questions, 1) if q.kind is Kind.ordering)
    watched = Watched(browser)
    try:
        page = watched.open(path)
        items = page.locator(f"#q{number} .order li")
        first, last = items.nth(0).text_content(), items.nth(items.count() - 1).text_content()
        items.nth(items.count() - 1).drag_to(items.nth(0), target_position={"x": 10, "y": 2})
        assert page.locator(f"#q{number} .order li").nth(0).text_content() == last
        assert page.locator(f"#q{number} .order li").nth(1).text_content() == first
        watched.assert_quiet()
    finally:
        watched.close()


# ---- the review page ----

def test_the_review_page_filters_and_shows_flags(browser, generated, tmp_path):
    questions = generated.questions
    flagged = questions[3]
    flags = {flagged.id: [("prompt_too_long", "the prompt has <b>73</b> words"), ("x", "second")]}
    path = tmp_path / "review.html"
    write_review(path, generated.meta, questions, flags)
    watched = Watched(browser)
    try:
        page = watched.open(path)
        assert page.locator("article.rq:visible").count() == len(questions)
        card = page.locator(f"article[id='{flagged.id}']")
        assert "prompt_too_long: the prompt has <b>73</b> words" in card.locator(".flags").inner_text()
        template = Counter(q.template for q in questions).most_common(1)[0][0]
        page.get_by_label("Template").select_option(template)
        shown = sum(q.template == template for q in questions)
        assert page.locator("article.rq:visible").count() == shown
        assert page.locator("#rv-count").inner_text() == f"Showing {shown} of {len(questions)}"
        page.get_by_label("Template").select_option("")
        page.get_by_label("Kind").select_option("numeric")
        assert page.locator("article.rq:visible").count() == sum(q.kind is Kind.numeric for q in questions)
        page.get_by_label("Kind").select_option("")
        page.get_by_label("only flagged").check()
        assert page.locator("article.rq:visible").count() == 1
        page.screenshot(path=str(tmp_path / "review.png"))
        watched.assert_quiet()
    finally:
        watched.close()


def test_the_whole_bank_page_and_its_print_layout(browser, generated, tmp_path):
    page_file = tmp_path / "bank.html"
    rendered = render_practice(generated.meta, generated.questions, HtmlOptions(all_questions=True))
    page_file.write_text(rendered.html, encoding="utf-8")
    watched = Watched(browser)
    try:
        page = watched.open(page_file)
        groups = list(dict.fromkeys(q.group for q in generated.questions))
        assert page.locator("h2.group-title").all_text_contents() == groups
        page.get_by_role("button", name="Check all").click()
        total = len(generated.questions)
        assert page.locator("#qz-score").text_content() == f"Score: 0 / {total} (0%)"
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.check')).display") == "none"
        assert page.evaluate("getComputedStyle(document.querySelector('#qz-bar')).display") == "none"
        watched.assert_quiet()
    finally:
        watched.close()
