"""The floor for Anki output: the same notes written by genanki alone, no quizgen.

    python bench/plain_genanki.py notes.json out.apkg

notes.json (made by bench/anki_dump.py from a quizgen deck) holds the final field strings, tags,
GUIDs, note types and decks. Loading it is not what is measured: the script prints, as JSON, the
seconds spent loading it and the seconds from then on (importing genanki, making the notes, writing
the package), so that the caller can also subtract the loading from the process's wall time.
"""
import json
import sys
import time

started = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as f:
    dump = json.load(f)
loaded = time.perf_counter()

import genanki  # noqa: E402  (imported after loading: its import is part of the measured work)

models = {m["id"]: genanki.Model(m["id"], m["name"], fields=[{"name": n} for n in m["fields"]],
                                 templates=m["templates"], css=m["css"],
                                 model_type=genanki.Model.CLOZE if m["cloze"] else genanki.Model.FRONT_BACK)
          for m in dump["models"]}
decks = {d["id"]: genanki.Deck(d["id"], d["name"], d["description"]) for d in dump["decks"]}
for note in dump["notes"]:
    decks[note["deck"]].add_note(genanki.Note(model=models[note["model"]], fields=note["fields"], tags=note["tags"],
                                              guid=note["guid"], due=note["due"]))
genanki.Package(list(decks.values())).write_to_file(sys.argv[2], timestamp=dump["timestamp"])
print(json.dumps({"load_seconds": loaded - started, "write_seconds": time.perf_counter() - loaded,
                  "notes": len(dump["notes"])}))
