"""The page shell: Jinja2 with autoescaping, inline assets, and a Content-Security-Policy built from their hashes.

The policy allows only the page's own style and script (by SHA-256), so the page can load nothing from any
address: a stray external link, image or font would be blocked and show up as a console error.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
from pathlib import Path
from typing import Sequence

from ..question import BankMeta, Kind
from .views import Item

ASSETS = Path(__file__).parent / "assets"


@functools.lru_cache(maxsize=None)
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(ASSETS)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@functools.lru_cache(maxsize=None)
def asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(style: str, script: str) -> str:
    return (f"default-src 'none'; style-src {_sha256(style)}; script-src {_sha256(script)}; "
            "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'")


def json_for_script(value) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(template: str, style_names: Sequence[str], script_name: str, **context) -> str:
    style = "".join(asset(name) for name in style_names)
    script = asset(script_name)
    return environment().get_template(template).render(
        style=style, script=script, csp=content_security_policy(style, script), **context)


def source_line(meta: BankMeta) -> str:
    return ", ".join(part for part in (meta.source.title, meta.source.publisher) if part)


def practice_page(meta: BankMeta, title: str, items: Sequence[Item], grouped: bool = False) -> str:
    """The practice page: every item, grouped by template group when `grouped`, with the key as page data."""
    groups: list[tuple[str, list[Item]]] = []
    if grouped:
        for item in items:
            if not groups or groups[-1][0] != item.question.group:
                groups.append((item.question.group, []))
            groups[-1][1].append(item)
    else:
        groups = [("", list(items))]
    return render("practice.html.j2", ["base.css", "practice.css"], "practice.js", meta=meta, title=title,
                  groups=groups, total=len(items), source=source_line(meta),
                  data=json_for_script(page_data(items, source_line(meta))), lang=meta.language or "en")


def page_data(items: Sequence[Item], page_source: str) -> dict:
    """The key and the feedback of every question, for the script; explanations and quotes that several
    questions share are stored once (`t`) and referred to by index."""
    texts: dict[str, int] = {}

    def ref(text: str) -> int:
        return texts.setdefault(text, len(texts)) if text else -1

    keys = []
    for item in items:
        q = item.question
        cite = ", ".join(part for part in (q.source.title, q.source.publisher) if part)
        why = "" if q.explanation in item.answer_lines else q.explanation
        keys.append({**item.key, "f": {"l": item.answer_label, "a": list(item.answer_lines), "w": ref(why),
                                       "o": int(q.kind is Kind.ordering),
                                       "s": ref(q.source.quote), "c": "" if cite == page_source else cite}})
    return {"q": keys, "t": list(texts)}
