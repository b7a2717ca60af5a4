"""Which of many names a text mentions, found through the words of the text instead of one search per name.

The answer is exactly what `word_pattern(name, ignore_case=True).search(text)` says for each name: a whole-word,
case-insensitive match makes every word of an ASCII name a whole word of the text (so all its words, lowered, are
among the text's lowered words), and the few non-ASCII letters that match ASCII ones without case (İ ı ſ K) send
the text to the full search. Non-ASCII names, and names without a word character, are always searched.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from .views import word_pattern

_WORD = re.compile(r"\w+")
#: the non-ASCII characters that match an ASCII one under re.IGNORECASE
_CASELESS_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def _caseless_ascii_in(text: str) -> bool:
    """Does the text hold a letter that matches an ASCII one without case (then word and substring tests miss)?"""
    return not text.isascii() and not _CASELESS_ASCII.isdisjoint(text)


def words_of(text: str) -> set[str] | None:
    """The text's words, lowered; None when it holds a letter that matches an ASCII one without case."""
    if _caseless_ascii_in(text):
        return None
    return {w.lower() for w in _WORD.findall(text)}


class NameIndex:
    """Names (each with the things it names) indexed by their first word."""

    def __init__(self, named: Iterable[tuple[str, str]]):
        self.things: dict[str, list[str]] = {}
        for name, thing in named:
            if name:
                self.things.setdefault(name, []).append(thing)
        self.order = {name: i for i, name in enumerate(self.things)}
        self.by_word: dict[str, list[str]] = {}       # each ASCII name under the one of its words fewest names share
        self.words: dict[str, frozenset[str]] = {}     # an ASCII name's words, each of which a match shows whole
        self.always: list[str] = []
        for name in self.things:
            words = _WORD.findall(name.lower()) if name.isascii() else []
            if words:
                self.words[name] = frozenset(words)
            else:
                self.always.append(name)
        shared = Counter(w for words in self.words.values() for w in words)
        for name, words in self.words.items():
            self.by_word.setdefault(min(words, key=lambda w: (shared[w], w)), []).append(name)

    def names_in(self, text: str) -> list[str]:
        """The names the text mentions as whole words, ignoring case, in the order they were given."""
        words = words_of(text)
        if words is None:
            candidates = list(self.things)
        else:
            candidates = self.always + [n for w in words for n in self.by_word.get(w, ()) if self.words[n] <= words]
            candidates.sort(key=self.order.__getitem__)
        return [n for n in candidates if word_pattern(n, ignore_case=True).search(text)]

    def things_in(self, text: str) -> set[str]:
        return {thing for name in self.names_in(text) for thing in self.things[name]}


def lowered(text: str) -> str | None:
    """The text in lower case, for a quick `name in text` test; None when that test could miss a match (İ ı ſ K:
    lowering İ changes the length of the text, and the others match ASCII letters). The last answer is kept:
    a builder asks about one prompt for each option it draws."""
    last = _last_lowered
    if last[0] is text:
        return last[1]
    low = None if _caseless_ascii_in(text) else text.lower()
    _last_lowered[:] = text, low
    return low


_last_lowered: list = [None, None]


def mentions(text: str, names: Iterable[str]) -> bool:
    """Does the text name any of these (as a whole word, ignoring case)? An ASCII name not in the lowered text
    cannot match, so most names cost a substring test, not a search."""
    low = lowered(text)
    for name in names:
        if not name or low is not None and name.isascii() and name.lower() not in low:
            continue
        if word_pattern(name, ignore_case=True).search(text):
            return True
    return False
