"""Modification times that make a re-import update the learner's notes, and only when needed.

Anki (desktop, AnkiDroid, AnkiMobile) replaces a note it already has (same GUID) only when the
incoming note's `mod` is newer than its own, in whole seconds; it keeps the package's `mod` when it
adds or updates a note. Note types follow the same rule with their own `mod`.

The rule, with T the build time (`--timestamp`, else SOURCE_DATE_EPOCH, else now) and P the package
being replaced at the destination, if there is one:

- a note that P does not have:            mod = T
- a note P has, with the same content:    mod = max(T, P's mod)
- a note P has, with different content:   mod = max(T, P's mod + 1)

So, build after build at one destination, a note's mod never goes back and goes strictly up
whenever its fields, tags or note type change: two builds in the same second, or a rebuild from
older bank content or with an older SOURCE_DATE_EPOCH, still update. With no P, mod is T: the
same inputs and T give the same bytes.

Why the previous package: a pure function of (content, T) cannot work. Builds X then Y within one
second need mod(Y) > mod(X); Y then X need the opposite; only the package that learners got last
knows which came first. (Sub-second stamps would need mods far in the future, which would then
beat every later edit the learner makes in Anki.)
"""
from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Previous:
    """What the package being replaced holds: per note GUID and per note type id, (mod, content)."""

    notes: dict[str, tuple[int, tuple]] = field(default_factory=dict)
    models: dict[str, tuple[int, str]] = field(default_factory=dict)


def _model_content(model: dict) -> str:
    return json.dumps({k: v for k, v in model.items() if k not in ("mod", "usn")}, sort_keys=True)


def _read_db(db: sqlite3.Connection) -> Previous:
    notes = {guid: (mod, (mid, flds, tags))
             for guid, mod, mid, flds, tags in db.execute("SELECT guid, mod, mid, flds, tags FROM notes")}
    models_json, = db.execute("SELECT models FROM col").fetchone()
    models = {mid: (int(m.get("mod", 0)), _model_content(m)) for mid, m in json.loads(models_json).items()}
    return Previous(notes, models)


def read_previous(path: Path) -> Previous:
    """The notes and note types of the .apkg at `path`; empty if there is none or it cannot be read."""
    path = Path(path)
    if not path.is_file():
        return Previous()
    try:
        with tempfile.TemporaryDirectory(prefix="quizgen-anki-") as tmp:
            db_path = Path(tmp) / "previous.anki2"
            with zipfile.ZipFile(path) as archive:
                db_path.write_bytes(archive.read("collection.anki2"))
            db = sqlite3.connect(db_path)
            try:
                return _read_db(db)
            finally:
                db.close()
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, sqlite3.Error):
        return Previous()


def _mod(timestamp: int, previous: tuple[int, object] | None, content: object) -> int:
    if previous is None:
        return timestamp
    old_mod, old_content = previous
    return max(timestamp, old_mod if old_content == content else old_mod + 1)


def apply_mod_times(db: sqlite3.Connection, previous: Previous, timestamp: int) -> None:
    """Set every note's, card's and note type's mod in a freshly written collection by the rule above.

    The collection was written with mod = timestamp everywhere, so only notes the previous package
    had, and whose mod must be later, are updated."""
    if previous.notes:
        later = []
        for note_id, guid, mid, flds, tags in db.execute("SELECT id, guid, mid, flds, tags FROM notes"):
            mod = _mod(timestamp, previous.notes.get(guid), (mid, flds, tags))
            if mod != timestamp:
                later.append((mod, note_id))
        db.executemany("UPDATE notes SET mod = ? WHERE id = ?", later)
        db.executemany("UPDATE cards SET mod = ? WHERE nid = ?", later)
    models_json, = db.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for mid, model in models.items():
        model["mod"] = _mod(timestamp, previous.models.get(mid), _model_content(model))
    db.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))
