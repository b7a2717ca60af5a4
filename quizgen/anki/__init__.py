"""Anki decks (.apkg) from questions: note types, fields, decks, update-safe mod times, packaging.

genanki is imported inside the functions that use it, so importing this package stays cheap.
"""
from __future__ import annotations

from .package import AnkiSummary, build_timestamp, write_apkg

__all__ = ["AnkiSummary", "build_timestamp", "write_apkg"]
