"""Load a bank folder into the validated model, reporting every problem with its file and line."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from ..errors import Problem, QuizgenError
from .model import (
    RECORD_TYPES,
    BankInfo,
    Entity,
    Event,
    Number,
    Quote,
    Record,
    Restriction,
    Source,
)
from .readers import read_in_order
from .validation import display_path, locate, suggest, validation_problems
from .vocabulary import VOCABULARY_FIELDS, VOCABULARY_FILE, Vocabulary
from .yamlio import LineList, LineMap, load_mapping

BANK_FILE = "bank.yaml"
TEMPLATES_DIR = "templates"
BANKS_DIR = "questions"


def _banks_in(folder: Path) -> list[Path]:
    return sorted(p.parent for p in folder.glob(f"*/{BANK_FILE}")) if folder.is_dir() else []


def default_bank_path() -> Path:
    """The bank in ./questions/ when run in a project checkout (so edits there count, whatever was installed);
    otherwise the bank installed with quizgen (the wheel's copy, or the source tree's for an editable install)."""
    here = _banks_in(Path(BANKS_DIR))
    if here:
        return here[0]
    from importlib import resources    # only outside a checkout: 3 ms at every start otherwise

    packaged = _banks_in(Path(str(resources.files("quizgen"))) / "banks")
    if packaged:
        return packaged[0]
    source_tree = _banks_in(Path(__file__).resolve().parents[2] / BANKS_DIR)
    if source_tree:
        return source_tree[0]
    raise QuizgenError("no bank given and none installed: pass --bank PATH (`quizgen new PATH` makes one)")


def bank_path_or_default(path: Path | None) -> Path:
    return Path(path) if path else default_bank_path()


@dataclass(frozen=True)
class Location:
    file: str
    line: int = 0
    col: int = 0


@dataclass
class Bank:
    """A loaded, cross-checked bank: facts by id, in file order, with where each record was written."""

    path: Path
    info: BankInfo
    entities: dict[str, Entity] = field(default_factory=dict)
    restrictions: dict[str, Restriction] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    numbers: dict[str, Number] = field(default_factory=dict)
    vocabulary: Vocabulary | None = None
    locations: dict[str, Location] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def templates_path(self) -> Path:
        return self.path / TEMPLATES_DIR

    def source(self, source_id: str | None) -> Source:
        """A record's source; records without one cite the bank's first source."""
        for source in self.info.sources:
            if source.id == source_id:
                return source
        return self.info.sources[0]

    def name(self, record_id: str) -> str:
        """Display name of an entity or restriction id."""
        if record_id in self.entities:
            return self.entities[record_id].name
        if record_id in self.restrictions:
            return self.restrictions[record_id].name
        raise KeyError(record_id)

    def events_in_order(self, events: Iterable[Event] | None = None) -> list[Event]:
        """Events (all, or these) by date (start, then end), then id: a stable order for display."""
        return sorted(self.events.values() if events is None else events, key=lambda e: (e.date.sort_key, e.id))

    def where(self, record_id: str) -> str:
        loc = self.locations.get(record_id)
        return f"{loc.file}:{loc.line}" if loc else ""


def _validate(model: type[BaseModel], raw: Any, label: str, what: str, pos: tuple[int, int],
              problems: list[Problem]) -> Any:
    if not isinstance(raw, LineMap):
        problems.append(Problem(f"{what}: expected a mapping of fields, found {type(raw).__name__}",
                                label, *pos))
        return None
    try:
        return model.model_validate(dict(raw))
    except ValidationError as exc:
        problems.extend(validation_problems(exc, model, raw, label, what))
        return None


# record type -> (field, what it may refer to) for cross-reference checks
_REFERENCES: dict[type[Record], list[tuple[str, str]]] = {
    Entity: [("country", "entity"), ("origin", "entity"), ("source", "source")],
    Restriction: [("imposed_by", "entity"), ("concerns", "entity"), ("source", "source")],
    Event: [("actors", "entity"), ("subject", "entity or restriction"), ("restriction", "restriction"),
            ("concerns", "entity"), ("source", "source")],
    Quote: [("speaker", "entity"), ("to", "entity"), ("source", "source")],
    Number: [("about", "entity"), ("source", "source")],
}


class _BankReader:
    """Reads every file of a bank, collecting problems instead of stopping at the first."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        #: record id -> (file, section, index, label): where to find its YAML again to point at a bad reference
        #: (re-read only then: holding every record's position tree would double a big bank's memory)
        self.origin: dict[str, tuple[Path, str, int, str]] = {}
        self._reread: tuple[Path | None, LineMap | None] = (None, None)
        self._vocabulary_raw: LineMap = LineMap()
        self._fields_given: dict[frozenset[str], set[str]] = {}

    def read(self) -> Bank | None:
        if not self.path.is_dir():
            raise QuizgenError(f"no bank folder at {self.path}")
        bank_file = self.path / BANK_FILE
        if not os.path.lexists(bank_file):
            raise QuizgenError(f"not a bank: {self.path} has no {BANK_FILE}", display_path(self.path))
        info = self._read_info(bank_file)
        vocabulary = self._read_vocabulary(self.path / VOCABULARY_FILE)
        bank = Bank(path=self.path, info=info, vocabulary=vocabulary) if info and vocabulary else None
        data_files = [f for f in sorted(self.path.glob("*.yaml")) + sorted(self.path.glob("*.yml"))
                      if f.name not in (BANK_FILE, VOCABULARY_FILE)]
        for data_file, entries in read_in_order(data_files, parse_data_file):
            self._take(data_file, entries, bank)
        if bank is not None:
            self._check_references(bank)
            self._check_vocabulary(bank)
        return bank

    def _read_info(self, bank_file: Path) -> BankInfo | None:
        label = display_path(bank_file)
        try:
            raw = load_mapping(bank_file, label)
        except QuizgenError as exc:
            self.problems.extend(exc.problems)
            return None
        return _validate(BankInfo, raw, label, "bank", (raw.line, raw.col), self.problems)

    def _read_vocabulary(self, path: Path) -> Vocabulary | None:
        label = display_path(path)
        if not path.is_file():
            self.problems.append(Problem(
                f"no {VOCABULARY_FILE}: a bank declares the actions, effects, statuses and kinds its records use "
                f"there (`quizgen new PATH` writes one to start from)", label))
            return None
        try:
            raw = load_mapping(path, label)
        except QuizgenError as exc:
            self.problems.extend(exc.problems)
            return None
        self._vocabulary_raw = raw
        return _validate(Vocabulary, raw, label, "vocabulary", (raw.line, raw.col), self.problems)

    def _check_vocabulary(self, bank: Bank) -> None:
        """Every action, effect, status and kind must be one the bank declared: say which are, and where to add one."""
        vocab_label = display_path(self.path / VOCABULARY_FILE)
        raw_vocab = self._vocabulary_raw
        words = {section: frozenset(bank.vocabulary.allowed(section))
                 for fields in VOCABULARY_FIELDS.values() for section in fields.values()}
        for record_id, (_, key, _, _) in self.origin.items():
            record = getattr(bank, key)[record_id]
            for field_name, section in VOCABULARY_FIELDS.get(key, {}).items():
                value = getattr(record, field_name)
                if value in words[section]:
                    continue
                allowed = bank.vocabulary.allowed(section)
                raw, label = self._raw_again(record_id)
                line, col = locate(raw, (field_name,))
                declared = raw_vocab.key_pos.get(section, (raw_vocab.line, raw_vocab.col))[0]
                where = (f"under '{section}:' in {vocab_label}:{declared}" if section in raw_vocab
                         else f"in a '{section}:' section of {vocab_label}")
                self.problems.append(Problem(
                    f"'{record_id}': {field_name} '{value}' is not in this bank's vocabulary{suggest(value, allowed)}; "
                    f"{section}: {', '.join(allowed)}. To use a new one, declare it {where}",
                    label, line, col))

    def _take(self, data_file: Path, entries: list[tuple], bank: Bank | None) -> None:
        """A data file's problems and records (parse_data_file), in its order, into the bank."""
        label = display_path(data_file)
        for entry in entries:
            if entry[0] == "problem":
                self.problems.append(entry[1])
                continue
            _, key, index, record, id_pos, date_text_pos = entry
            if bank is not None and self._add(bank, key, record, id_pos, date_text_pos, label):
                self.origin[record.id] = (data_file, key, index, label)

    def _add(self, bank: Bank, key: str, record: Record, id_pos: tuple[int, int],
             date_text_pos: tuple[int, int] | None, label: str) -> bool:
        line, col = id_pos
        if record.id in bank.locations:
            first = bank.locations[record.id]
            self.problems.append(Problem(
                f"duplicate id '{record.id}' (first defined at {first.file}:{first.line})", label, line, col))
            return False
        if isinstance(record, (Event, Quote)) and record.date_text and not record.date_note:
            self.problems.append(Problem(
                f"'{record.id}': date_text needs a date_note saying how it was resolved", label, *date_text_pos))
        getattr(bank, key)[record.id] = record
        bank.locations[record.id] = Location(label, line, col)
        self._share_fields_given(record)
        return True

    def _share_fields_given(self, record: Record) -> None:
        """pydantic keeps a set of the fields each record was given (about 700 bytes, a quarter of an event's
        memory); records given the same fields share one: they are frozen, so nothing adds to it."""
        given = record.__pydantic_fields_set__
        object.__setattr__(record, "__pydantic_fields_set__", self._fields_given.setdefault(frozenset(given), given))

    def _raw_again(self, record_id: str) -> tuple[LineMap, str]:
        data_file, key, index, label = self.origin[record_id]
        if self._reread[0] != data_file:
            self._reread = (data_file, load_mapping(data_file, label))
        return self._reread[1][key][index], label

    def _check_references(self, bank: Bank) -> None:
        sources = {s.id for s in bank.info.sources}
        pools = {"entity": bank.entities, "restriction": bank.restrictions,
                 "entity or restriction": {**bank.entities, **bank.restrictions}, "source": sources}
        for record_id, (_, key, _, _) in self.origin.items():
            record = getattr(bank, key)[record_id]
            for field_name, target in _REFERENCES[type(record)]:
                value = getattr(record, field_name)
                refs = value if isinstance(value, list) else ([value] if value else [])
                for index, ref in enumerate(refs):
                    if ref in pools[target]:
                        continue
                    loc = (field_name, index) if isinstance(value, list) else (field_name,)
                    raw, label = self._raw_again(record_id)
                    line, col = locate(raw, loc)
                    self.problems.append(Problem(
                        f"'{record_id}': {field_name} refers to unknown {target} '{ref}'"
                        f"{suggest(ref, pools[target])}", label, line, col))


def parse_data_file(data_file: Path) -> list[tuple]:
    """A data file's validated records and its problems, in the order they come: ("problem", Problem), or
    ("record", section, index, record, position of its id, position of its date_text). It reads that file alone
    and keeps no position tree, so another process can read some of a big bank's files (readers.py)."""
    label = display_path(data_file)
    try:
        raw = load_mapping(data_file, label)
    except QuizgenError as exc:
        return [("problem", problem) for problem in exc.problems]
    entries: list[tuple] = []
    problems: list[Problem] = []
    for key, items in raw.items():
        model = RECORD_TYPES.get(key)
        line, col = raw.key_pos[key]
        if model is None:
            entries.append(("problem", Problem(f"unknown section '{key}'{suggest(key, RECORD_TYPES)}; a data file "
                                               "holds " + ", ".join(RECORD_TYPES), label, line, col)))
            continue
        if not isinstance(items, LineList):
            entries.append(("problem", Problem(f"'{key}' must be a list of records", label, line, col)))
            continue
        for index, item in enumerate(items):
            raw_id = item.get("id") if isinstance(item, LineMap) else None
            what = f"{key}[{index}]" + (f" '{raw_id}'" if isinstance(raw_id, str) else "")
            record = _validate(model, item, label, what, items.item_pos[index], problems)
            entries += [("problem", problem) for problem in problems]
            problems.clear()
            if record is not None:
                entries.append(("record", key, index, record, item.value_pos.get("id", (item.line, item.col)),
                                item.key_pos.get("date_text")))
    return entries


def read_bank(path: Path) -> tuple[Bank | None, list[Problem]]:
    """Load a bank and return it with every problem found (the bank is None if unusable)."""
    from ..gcpause import bulk

    reader = _BankReader(Path(path))
    with bulk():
        bank = reader.read()
    return bank, reader.problems


def load_bank(path: Path | None = None) -> Bank:
    """Load a bank, raising QuizgenError listing every problem if it is not clean."""
    bank, problems = read_bank(Path(path) if path else default_bank_path())
    if problems or bank is None:
        raise QuizgenError(problems=problems or [Problem("bank could not be read")])
    return bank
