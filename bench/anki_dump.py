"""Read a .apkg back into the JSON that bench/plain_genanki.py writes again with genanki alone.

    python bench/anki_dump.py deck.apkg notes.json

Everything comes from the package's own collection: note types (fields, templates, CSS), decks,
and per note its deck, fields, tags, GUID and position (due), in the order quizgen wrote them.
"""
import json
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path


def dump(apkg: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        with zipfile.ZipFile(apkg) as archive:
            db_path.write_bytes(archive.read("collection.anki2"))
        db = sqlite3.connect(db_path)
        try:
            models_json, decks_json, crt = db.execute("SELECT models, decks, crt FROM col").fetchone()
            models = [{"id": int(mid), "name": m["name"], "fields": [f["name"] for f in m["flds"]],
                       "templates": [{"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]} for t in m["tmpls"]],
                       "css": m["css"], "cloze": m["type"] == 1} for mid, m in json.loads(models_json).items()]
            decks = [{"id": int(did), "name": d["name"], "description": d["desc"]}
                     for did, d in json.loads(decks_json).items() if int(did) != 1]
            rows = db.execute("SELECT n.guid, n.mid, n.flds, n.tags, min(c.did), min(c.due), max(n.mod) "
                              "FROM notes n JOIN cards c ON c.nid = n.id GROUP BY n.id ORDER BY n.id").fetchall()
        finally:
            db.close()
    notes = [{"guid": guid, "model": mid, "fields": flds.split("\x1f"), "tags": tags.split(), "deck": did,
              "due": due} for guid, mid, flds, tags, did, due, _ in rows]
    timestamp = max((r[6] for r in rows), default=0)
    return {"timestamp": timestamp, "models": models, "decks": decks, "notes": notes}


if __name__ == "__main__":
    data = dump(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    print(f"{len(data['notes'])} notes")
