"""The practice page of the whole bank (`quizgen html --all`): its size, and how soon headless chromium
shows its first question.

    python bench/html_page.py [--repeat 5]      # prints one JSON line

"First question" is when the first question is on screen: the later of the first contentful paint and the
first frame after `#q1` enters the document (a MutationObserver that Playwright adds before the page loads,
then requestAnimationFrame), in milliseconds from the start of navigation. "Ready" is DOMContentLoaded's
end, when the page's script has run and Check works. Median of --repeat loads, each in
a fresh browser context. Needs Debian's chromium and the test extra's playwright.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser import Watched, launch  # noqa: E402

WATCH = """new MutationObserver((_, observer) => {
  if (document.getElementById("q1")) {
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstQuestion = performance.now(); });
  }
}).observe(document, {childList: true, subtree: true});"""

TIMES = """new Promise(done => { const wait = () => window.__firstQuestion &&
    performance.getEntriesByName("first-contentful-paint").length ? done({
  first: Math.max(window.__firstQuestion, performance.getEntriesByName("first-contentful-paint")[0].startTime),
  ready: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
  fcp: performance.getEntriesByName("first-contentful-paint")[0].startTime,
}) : setTimeout(wait, 5); wait(); })"""


def page_html(all_questions: bool) -> tuple[str, int]:
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate
    from quizgen.html import HtmlOptions, render_practice

    result = generate(load_bank(None))
    page = render_practice(result.meta, result.questions, HtmlOptions(all_questions=all_questions))
    return page.html, page.questions


def measure(browser, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat + 1):   # the first load warms the browser's caches and is not counted
        watched = Watched(browser, viewport={"width": 1280, "height": 900})
        watched.page.add_init_script(WATCH)
        watched.open(path)
        runs.append(watched.page.evaluate(TIMES))
        watched.assert_quiet()
        watched.close()
    runs = runs[1:]
    medians = {key: [r[key] for r in runs if r[key] is not None] for key in ("first", "ready", "fcp")}
    return {key: round(statistics.median(values), 1) if values else None for key, values in medians.items()} | {
        "first_runs": [round(r["first"], 1) for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    playwright, browser = launch()
    results = {}
    try:
        with tempfile.TemporaryDirectory(prefix="quizgen-html-") as tmp:
            for name, all_questions in (("bank", True), ("practice", False)):
                html, questions = page_html(all_questions)
                path = Path(tmp) / f"{name}.html"
                path.write_text(html, encoding="utf-8")
                results[name] = {"questions": questions, "bytes": len(html.encode("utf-8")),
                                 "ms": measure(browser, path, args.repeat)}
    finally:
        browser.close()
        playwright.stop()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
