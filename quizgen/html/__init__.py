"""Self-contained web pages: a practice quiz learners answer in the browser, and a review page for authors.

In: neutral Questions and BankMeta. Out: one HTML file each, with its styles, script and data inline,
a Content-Security-Policy that allows nothing but them (no request to any address, works from file://),
and every bank text escaped by Jinja2's autoescaping. Import only inside the commands that write pages.
"""
from .build import (
    HtmlOptions,
    WrittenPage,
    default_path,
    default_review_path,
    render_practice,
    write_page,
    write_review,
)
from .review import render_review

__all__ = ["HtmlOptions", "WrittenPage", "default_path", "default_review_path", "render_practice", "render_review",
           "write_page", "write_review"]
