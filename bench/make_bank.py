"""Write a synthetic bank of N events, same schema as the red-lines bank, for the benchmarks.

    python bench/make_bank.py 10000 /tmp/synth-10000

Entities, red lines, quotes and numbers grow with N; events get a realistic mix of actions, actor
kinds, subjects, effects and date precisions, and summaries that name their actor and subject (so
the templates' blanks and holes have something to hide). The red-lines templates are copied in.
Deterministic: the same N gives the same files. Events are split over several files, since the
loader refuses files over 5 MiB.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "questions" / "red_lines" / "templates"
EVENTS_PER_FILE = 5000

_SYLLABLES = ["al", "bar", "cor", "dan", "el", "fir", "gal", "hem", "is", "jor", "kel", "lum", "mar", "nor",
              "os", "pel", "quin", "ras", "sol", "tor", "ul", "val", "wen", "xan", "yor", "zel", "ber", "cas",
              "dor", "fen", "gor", "hal", "ith", "kar", "lin", "mor", "nev", "or", "pra", "ros", "sev", "tam"]
_COUNTRY_ENDS = ["ia", "land", "stan", "onia", "ica", "ary", "ea"]
_FIRST = ["Anna", "Boris", "Clara", "David", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Karin",
          "Lukas", "Maria", "Nils", "Olga", "Pavel", "Rosa", "Stefan", "Tanja", "Viktor", "Wanda", "Yusuf"]
_ROLES = ["President", "Prime Minister", "Defence Minister", "Foreign Minister", "Chancellor",
          "Army Chief of Staff", "Ambassador to NATO"]
_WEAPON_TYPES = [("tank", "tanks"), ("long-range missile", "missiles"), ("fighter aircraft", "jets"),
                 ("air defence system", "air defence systems"), ("howitzer", "howitzers"), ("drone", "drones"),
                 ("rocket launcher", "rocket launchers"), ("armored vehicle", "armored vehicles")]
#: action, weight, summary verb phrase ({s}: subject phrase), effects it may have
_ACTIONS = [
    ("authorized", 10, "authorized the transfer of {s} to Ukraine", ["lifted", "partly_lifted", "none"]),
    ("approved", 8, "approved the delivery of {s}", ["lifted", "partly_lifted", "none"]),
    ("refused", 7, "refused to send {s}, citing the risk of escalation", ["kept", "none"]),
    ("ruled_out", 4, "ruled out sending {s} for the time being", ["kept", "imposed"]),
    ("prohibited", 3, "prohibited the use of {s} against targets inside Russia", ["imposed", "kept"]),
    ("opposed", 3, "opposed any use of {s} across the border", ["imposed", "none"]),
    ("supplied", 12, "supplied {s} to the Ukrainian army", ["lifted", "none"]),
    ("used", 6, "used {s} on the eastern front", ["none"]),
    ("attacked", 5, "attacked military targets with {s}", ["none"]),
    ("requested", 6, "requested more {s} from its allies", ["none"]),
    ("proposed", 3, "proposed a joint purchase of {s}", ["none"]),
    ("warned", 5, "warned of serious consequences if {s} were used", ["none"]),
    ("said", 8, "said that {s} would not change the course of the war", ["none"]),
    ("reported", 5, "reported that {s} had reached the front", ["none"]),
    ("confirmed", 4, "confirmed the arrival of {s}", ["none"]),
    ("denied", 3, "denied the request for {s}", ["kept", "none"]),
    ("shifted", 2, "shifted its position on {s}", ["lifted", "partly_lifted"]),
    ("pressed", 3, "pressed its partners to provide {s}", ["none"]),
    ("visited", 2, "visited a factory producing {s}", ["none"]),
]
_STATUSES = ["lifted", "partly_lifted", "in_force", "requested_by_ukraine", "disregarded"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_WORDS = ("we will not allow this war to end with a victory for the aggressor every decision comes too late "
          "our partners must understand that time matters more than anything the weapons we receive save "
          "lives on the front line").split()


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class Names:
    """Unique made-up names, reproducible from the seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def word(self, syllables: int, end: str = "") -> str:
        while True:
            w = "".join(self.rng.choice(_SYLLABLES) for _ in range(syllables)) + end
            w = w[:1].upper() + w[1:]
            if w not in self.used:
                self.used.add(w)
                return w


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "_" for c in text.lower())
    return "_".join(p for p in out.split("_") if p)


def make_entities(n: int, rng: random.Random) -> dict[str, list[dict]]:
    names = Names(rng)
    countries = [{"id": "", "name": names.word(2, rng.choice(_COUNTRY_ENDS)), "kind": "country"}
                 for _ in range(max(12, n // 200))]
    countries.append({"name": "Ukraine", "kind": "country"})
    people = []
    for _ in range(max(30, n // 40)):
        country = rng.choice(countries)
        surname = names.word(3)
        people.append({"name": f"{rng.choice(_FIRST)} {surname}", "kind": "person", "aliases": [surname],
                       "role": f"{rng.choice(_ROLES)} of {country['name']}", "country": country})
    weapons = []
    for _ in range(max(20, n // 80)):
        wtype, plural = rng.choice(_WEAPON_TYPES)
        base = names.word(2)
        weapons.append({"name": f"{base} {plural}", "kind": "weapon", "aliases": [base], "category": wtype,
                        "origin": [rng.choice(countries)] if rng.random() < 0.7 else []})
    orgs = [{"name": f"{names.word(2)} Alliance", "kind": "organisation"} for _ in range(max(4, n // 1000))]
    media = [{"name": f"The {names.word(2)} Times", "kind": "media"} for _ in range(max(3, n // 2000))]
    places = [{"name": names.word(2, "grad"), "kind": "place"} for _ in range(max(6, n // 300))]
    groups = {"country": countries, "person": people, "weapon": weapons, "organisation": orgs,
              "media": media, "place": places}
    seen: set[str] = set()
    for items in groups.values():
        for e in items:
            e["id"] = _slug(e["name"])
            assert e["id"] not in seen, e["id"]
            seen.add(e["id"])
    return groups


def _date(rng: random.Random) -> tuple[str, str]:
    """(bank date text, how a summary would say it), precisions mixed as in a real article."""
    year = rng.randint(2014, 2024)
    month = rng.randint(1, 12)
    kind = rng.choices(["day", "month", "part_of_month", "season", "part_of_year", "year"],
                       [50, 25, 6, 5, 4, 10])[0]
    if kind == "day":
        day = rng.randint(1, 28)
        return f"{year}-{month:02d}-{day:02d}", f"on {day} {_MONTHS[month - 1]} {year}"
    if kind == "month":
        return f"{year}-{month:02d}", f"in {_MONTHS[month - 1]} {year}"
    if kind == "part_of_month":
        part = rng.choice(["early", "mid", "late"])
        return f"{year}-{month:02d}-{part}", f"in {part} {_MONTHS[month - 1]} {year}"
    if kind == "season":
        season = rng.choice(["spring", "summer", "autumn"])
        return f"{year}-{season}", f"in the {season} of {year}"
    if kind == "part_of_year":
        part = rng.choice(["early", "mid", "late"])
        return f"{year}-{part}", f"in {part} {year}"
    return str(year), f"in {year}"


def write_bank(n: int, folder: Path, seed: int = 1) -> Path:
    rng = random.Random(f"quizgen-bench:{seed}:{n}")
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    groups = make_entities(n, rng)
    (folder / "bank.yaml").write_text(
        f"id: synth_{n}\ntitle: {q(f'Synthetic bank of {n} events')}\ndeck_name: {q(f'Synthetic {n}')}\n"
        'language: en\nas_of: "2024-12-31"\n'
        'description: "Made-up countries, people and weapons for measuring quizgen\'s speed."\n'
        "sources:\n  - id: synthetic\n    title: \"The quizgen benchmark generator\"\n"
        "    publisher: \"quizgen\"\n    published: \"2024-12\"\n"
        "templates:\n  include: [timeline]\n  leave_out: [in_force_as_of]\n", encoding="utf-8")
    _write_entities(folder, groups)
    restrictions = _write_restrictions(folder, n, groups, rng)
    _write_events(folder, n, groups, restrictions, rng)
    _write_quotes(folder, n, groups, rng)
    _write_numbers(folder, n, groups, rng)
    shutil.copytree(TEMPLATES, folder / "templates")
    shutil.copy(TEMPLATES.parent / "vocabulary.yaml", folder / "vocabulary.yaml")
    return folder


def _write_entities(folder: Path, groups: dict[str, list[dict]]) -> None:
    lines = ["entities:", ""]
    for items in groups.values():
        for e in items:
            lines += [f"  - id: {e['id']}", f"    name: {q(e['name'])}", f"    kind: {e['kind']}"]
            if e.get("aliases"):
                lines.append(f"    aliases: [{', '.join(q(a) for a in e['aliases'])}]")
            if e.get("role"):
                lines.append(f"    role: {q(e['role'])}")
            if e.get("country"):
                lines.append(f"    country: {e['country']['id']}")
            if e.get("category"):
                lines.append(f"    category: {q(e['category'])}")
            if e.get("origin"):
                lines.append(f"    origin: [{', '.join(o['id'] for o in e['origin'])}]")
            lines.append("")
    (folder / "entities.yaml").write_text("\n".join(lines), encoding="utf-8")


def _write_restrictions(folder: Path, n: int, groups: dict, rng: random.Random) -> list[dict]:
    restrictions = []
    lines = ["restrictions:", ""]
    for i in range(max(12, n // 100)):
        weapon = rng.choice(groups["weapon"])
        country = rng.choice(groups["country"][:-1])
        r = {"id": f"red_line_{i:05d}", "name": f"Using {weapon['name']} from {country['name']} "
             f"against targets inside Russia (line {i})", "weapon": weapon, "country": country}
        restrictions.append(r)
        status = rng.choice(_STATUSES)
        note = f"As of 31 December 2024 this red line was {status.replace('_', ' ')}."
        quote = f"{country['name']} set limits on the {weapon['name']}"
        lines += [f"  - id: {r['id']}", f"    name: {q(r['name'])}", f"    imposed_by: [{country['id']}]",
                  f"    concerns: [{weapon['id']}]", f"    status: {status}", f"    status_note: {q(note)}",
                  "    source: synthetic", f"    quote: {q(quote)}", ""]
    (folder / "restrictions.yaml").write_text("\n".join(lines), encoding="utf-8")
    return restrictions


def _write_events(folder: Path, n: int, groups: dict, restrictions: list[dict], rng: random.Random) -> None:
    weights = [a[1] for a in _ACTIONS]
    actor_pool = {"country": groups["country"], "person": groups["person"],
                  "organisation": groups["organisation"], "media": groups["media"]}
    for start in range(0, n, EVENTS_PER_FILE):
        lines = ["events:", ""]
        for i in range(start, min(n, start + EVENTS_PER_FILE)):
            action, _, phrase, effects = rng.choices(_ACTIONS, weights)[0]
            kind = rng.choices(["country", "person", "organisation", "media"], [45, 42, 8, 5])[0]
            actors = [rng.choice(actor_pool[kind])]
            if rng.random() < 0.12:
                other = rng.choice(actor_pool["country"])
                if other is not actors[0]:
                    actors.append(other)
            roll = rng.random()
            restriction = None
            weapons: list[dict] = []
            if roll < 0.55:
                subject = rng.choice(groups["weapon"])
                subject_text = subject["name"]
                if rng.random() < 0.3:
                    restriction = rng.choice(restrictions)
            elif roll < 0.75:
                red = rng.choice(restrictions)
                subject, subject_text = red, red["weapon"]["name"]
                weapons = [red["weapon"]]
            else:
                subject = rng.choice(groups["place"] + groups["country"])
                subject_text = f"weapons bound for {subject['name']}"
            date, said = _date(rng)
            effect = rng.choice(effects) if (restriction or subject in restrictions) else "none"
            who = " and ".join(a["name"] for a in actors)
            summary = f"{who} {phrase.format(s=subject_text)}."
            lines += [f"  - id: event_{i:06d}", f"    date: {q(date)}"]
            if rng.random() < 0.08:
                lines += [f"    date_text: {q(said)}", "    date_note: \"Resolved from the report's own dating.\""]
            lines += [f"    actors: [{', '.join(a['id'] for a in actors)}]", f"    action: {action}",
                      f"    subject: {subject['id']}"]
            if restriction:
                lines.append(f"    restriction: {restriction['id']}")
            if weapons:
                lines.append(f"    concerns: [{', '.join(w['id'] for w in weapons)}]")
            if effect != "none":
                lines.append(f"    effect: {effect}")
            quote = f"{who} {phrase.format(s=subject_text)} {said}"
            lines += [f"    summary: {q(summary)}", "    source: synthetic", f"    quote: {q(quote)}", ""]
        (folder / f"events_{start // EVENTS_PER_FILE:03d}.yaml").write_text("\n".join(lines), encoding="utf-8")


def _write_quotes(folder: Path, n: int, groups: dict, rng: random.Random) -> None:
    lines = ["quotes:", ""]
    for i in range(max(12, n // 20)):
        speaker = rng.choice(groups["person"])
        words = rng.sample(_WORDS, rng.randint(4, 14))
        text = " ".join(words)
        text = text[:1].upper() + text[1:]
        date, said = _date(rng)
        lines += [f"  - id: quote_{i:06d}", f"    speaker: {speaker['id']}", f"    date: {q(date)}"]
        if rng.random() < 0.3:
            lines.append(f"    to: {rng.choice(groups['media'])['id']}")
        context = f"{speaker['name']} speaking {said}."
        lines += [f"    text: {q(text)}", f"    context: {q(context)}", "    source: synthetic", ""]
    (folder / "quotes.yaml").write_text("\n".join(lines), encoding="utf-8")


def _write_numbers(folder: Path, n: int, groups: dict, rng: random.Random) -> None:
    lines = ["numbers:", ""]
    for i in range(max(8, n // 100)):
        weapon = rng.choice(groups["weapon"])
        country = rng.choice(groups["country"])
        value = rng.choice([rng.randint(2, 500), round(rng.uniform(1, 50), 1)])
        question = f"How many {weapon['name']} did {country['name']} promise (pledge {i})?"
        summary = f"{country['name']} promised {value} {weapon['name']}."
        quote = f"{value} {weapon['name']}"
        lines += [f"  - id: number_{i:06d}", f"    value: {value}", "    unit: units", f"    about: {weapon['id']}",
                  f"    question: {q(question)}", f"    summary: {q(summary)}", "    source: synthetic",
                  f"    quote: {q(quote)}", ""]
    (folder / "numbers.yaml").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=int, help="number of events")
    parser.add_argument("folder", type=Path, help="where to write the bank (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(write_bank(args.events, args.folder, args.seed))


if __name__ == "__main__":
    main()
