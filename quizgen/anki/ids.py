"""Stable identities, so that a rebuilt deck updates the notes learners already have.

Anki matches notes by GUID and note types by id; decks by name. None of these may change between
builds, so they are derived from names and question ids, never from the clock or a random source.
"""
from __future__ import annotations

import hashlib

#: genanki's recommended id range for models and decks: [2**30, 2**31)
_ID_FLOOR = 1 << 30


def stable_id(kind: str, name: str) -> int:
    """An id for a model or deck: first 8 bytes of sha256 of kind and name, folded into genanki's range."""
    digest = hashlib.sha256(f"quizgen\x1f{kind}\x1f{name}".encode("utf-8")).digest()
    return _ID_FLOOR + int.from_bytes(digest[:8], "big") % _ID_FLOOR


_BASE91 = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
           "!#$%&()*+,-./:;<=>?@[]^_`{|}~")


#: every pair of base-91 digits, so a 64-bit number takes five divisions instead of ten
_BASE91_PAIRS = [high + low for high in _BASE91 for low in _BASE91]


def note_guid(question_id: str) -> str:
    """The note GUID for a question: from Question.id alone, so rewording a fact keeps the same note.

    It is genanki's guid_for("quizgen", question_id) - first 8 bytes of a SHA-256 in Anki's base 91,
    without leading zero digits ("a") - computed here without genanki's per-call overhead
    (tests/test_anki_rows.py checks they agree)."""
    number = int.from_bytes(hashlib.sha256(f"quizgen__{question_id}".encode("utf-8")).digest()[:8], "big")
    number, d4 = divmod(number, 8281)
    number, d3 = divmod(number, 8281)
    number, d2 = divmod(number, 8281)
    d0, d1 = divmod(number, 8281)
    pairs = _BASE91_PAIRS
    return (pairs[d0] + pairs[d1] + pairs[d2] + pairs[d3] + pairs[d4]).lstrip("a")


def sanitise_tag(tag: str) -> str:
    """Anki tags cannot hold spaces; keep `::` hierarchy, drop empty levels."""
    levels = ["_".join(level.split()) for level in tag.split("::")]
    return "::".join(level for level in levels if level)
