"""Load a bank folder into the validated model, reporting every problem with its file and line."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

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
from .validation import display_path, locate, suggest, validation_problems
from .yamlio import LineList, LineMap, load_mapping

BANK_FILE = "bank.yaml"
TEMPLATES_DIR = "templates"
DEFAULT_BANK = "red_lines"


def default_bank_path() -> Path:
    """The shipped red-lines bank: inside the installed wheel, or in the source tree's questions/."""
    packaged = Path(str(resources.files("quizgen"))) / "banks" / DEFAULT_BANK
    if (packaged / BANK_FILE).is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "questions" / DEFAULT_BANK


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

    def events_in_order(self) -> list[Event]:
        """Events by date (start, then end), then id: a stable order for display."""
        return sorted(self.events.values(), key=lambda e: (e.date.sort_key, e.id))

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
            ("weapons", "entity"), ("source", "source")],
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

    def read(self) -> Bank | None:
        if not self.path.is_dir():
            raise QuizgenError(f"no bank folder at {self.path}")
        bank_file = self.path / BANK_FILE
        if not os.path.lexists(bank_file):
            raise QuizgenError(f"not a bank: {self.path} has no {BANK_FILE}", display_path(self.path))
        info = self._read_info(bank_file)
        bank = Bank(path=self.path, info=info) if info else None
        for data_file in sorted(self.path.glob("*.yaml")) + sorted(self.path.glob("*.yml")):
            if data_file.name != BANK_FILE:
                self._read_data_file(data_file, bank)
        if bank is not None:
            self._check_references(bank)
        return bank

    def _read_info(self, bank_file: Path) -> BankInfo | None:
        label = display_path(bank_file)
        try:
            raw = load_mapping(bank_file, label)
        except QuizgenError as exc:
            self.problems.extend(exc.problems)
            return None
        return _validate(BankInfo, raw, label, "bank", (raw.line, raw.col), self.problems)

    def _read_data_file(self, data_file: Path, bank: Bank | None) -> None:
        label = display_path(data_file)
        try:
            raw = load_mapping(data_file, label)
        except QuizgenError as exc:
            self.problems.extend(exc.problems)
            return
        for key, items in raw.items():
            model = RECORD_TYPES.get(key)
            line, col = raw.key_pos[key]
            if model is None:
                self.problems.append(Problem(
                    f"unknown section '{key}'{suggest(key, RECORD_TYPES)}; a data file holds "
                    + ", ".join(RECORD_TYPES), label, line, col))
                continue
            if not isinstance(items, LineList):
                self.problems.append(Problem(f"'{key}' must be a list of records", label, line, col))
                continue
            for index, item in enumerate(items):
                raw_id = item.get("id") if isinstance(item, LineMap) else None
                what = f"{key}[{index}]" + (f" '{raw_id}'" if isinstance(raw_id, str) else "")
                record = _validate(model, item, label, what, items.item_pos[index], self.problems)
                if record is None or bank is None:
                    continue
                if self._add(bank, key, record, item, label):
                    self.origin[record.id] = (data_file, key, index, label)

    def _add(self, bank: Bank, key: str, record: Record, raw: LineMap, label: str) -> bool:
        line, col = raw.value_pos.get("id", (raw.line, raw.col))
        if record.id in bank.locations:
            first = bank.locations[record.id]
            self.problems.append(Problem(
                f"duplicate id '{record.id}' (first defined at {first.file}:{first.line})", label, line, col))
            return False
        if isinstance(record, (Event, Quote)) and record.date_text and not record.date_note:
            self.problems.append(Problem(
                f"'{record.id}': date_text needs a date_note saying how it was resolved",
                label, *raw.key_pos["date_text"]))
        getattr(bank, key)[record.id] = record
        bank.locations[record.id] = Location(label, line, col)
        return True

    def _raw_again(self, record_id: str) -> tuple[LineMap, str]:
        data_file, key, index, label = self.origin[record_id]
        if self._reread[0] != data_file:
            self._reread = (data_file, load_mapping(data_file, label))
        return self._reread[1][key][index], label

    def _check_references(self, bank: Bank) -> None:
        sources = {s.id for s in bank.info.sources}
        pools = {"entity": bank.entities, "restriction": bank.restrictions,
                 "entity or restriction": {**bank.entities, **bank.restrictions}, "source": sources}
        for record_id in self.origin:
            record = next(getattr(bank, k)[record_id] for k in RECORD_TYPES if record_id in getattr(bank, k))
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
