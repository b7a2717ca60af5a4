"""The machine-readable answer key (`<stem>-answer-key.json`): what `quizgen mark` scores scanned sheets against.

Pure data (no reportlab, no OpenCV). The checksum covers everything in the key, and the QR code on each
answer sheet carries it, so a sheet is only ever scored against the exact key printed with it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import QuizgenError
from ..question import SINGLE_CHOICE_KINDS, BankMeta, Kind, Question
from .selection import QuizVersion

FORMAT = "quizgen-answer-key"
FORMAT_VERSION = 1
#: kinds answered by filling bubbles on the answer sheet; the others are answered on the quiz paper
BUBBLE_KINDS = SINGLE_CHOICE_KINDS | {Kind.multiple_select}
QR_PREFIX = "quizgen:1"


@dataclass(frozen=True)
class KeyQuestion:
    """One question of a version: its printed number, and for bubble kinds the printed letters and the right ones."""

    number: int
    id: str
    kind: str
    letters: tuple[str, ...]    # bubble labels in printed order; () when answered on the quiz paper
    right: tuple[str, ...]      # the right letters (several for multiple select)
    answer: tuple[str, ...]     # the right answer in words

    @property
    def on_sheet(self) -> bool:
        return bool(self.letters)

    @property
    def multiple(self) -> bool:
        return self.kind == Kind.multiple_select.value


@dataclass(frozen=True)
class KeyVersion:
    label: str
    questions: tuple[KeyQuestion, ...]

    @property
    def on_sheet(self) -> tuple[KeyQuestion, ...]:
        return tuple(q for q in self.questions if q.on_sheet)

    @property
    def on_paper(self) -> tuple[KeyQuestion, ...]:
        return tuple(q for q in self.questions if not q.on_sheet)


def bubble_letters(question: Question) -> tuple[str, ...]:
    """The labels printed in the bubbles: T and F for true/false, else A, B, C, ... in printed order."""
    if question.kind not in BUBBLE_KINDS:
        return ()
    if question.kind is Kind.true_false:
        initials = tuple(c[:1].upper() for c in question.choices)
        if len(set(initials)) == len(initials) and all(initials):
            return initials
    return tuple(chr(ord("A") + i) for i in range(len(question.choices)))


def key_question(number: int, question: Question) -> KeyQuestion:
    letters = bubble_letters(question)
    right = tuple(sorted(letters[question.choices.index(a)] for a in question.answers)) if letters else ()
    return KeyQuestion(number, question.id, question.kind.value, letters, right, question.answers)


def _checksum(body: dict) -> str:
    """Against accidents (a key edited by hand, a sheet from another print run), not forgery: see
    docs/threat-model.md."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:12]


@dataclass(frozen=True)
class AnswerKey:
    bank: str
    title: str
    seed: int
    paper: str
    student_digits: int
    versions: tuple[KeyVersion, ...]

    @classmethod
    def from_versions(cls, versions: Sequence[QuizVersion], meta: BankMeta, title: str, seed: int,
                      paper: str, student_digits: int) -> AnswerKey:
        return cls(meta.id, title, seed, paper, student_digits,
                   tuple(KeyVersion(v.label, tuple(key_question(n, q) for n, q in enumerate(v.questions, 1)))
                         for v in versions))

    def _body(self) -> dict:
        return {"format": FORMAT, "format_version": FORMAT_VERSION, "bank": self.bank, "title": self.title,
                "seed": self.seed, "paper": self.paper, "student_digits": self.student_digits,
                "versions": [{"version": v.label, "questions": [
                    {"number": q.number, "id": q.id, "kind": q.kind, "letters": list(q.letters),
                     "right": list(q.right), "answer": list(q.answer)} for q in v.questions]}
                    for v in self.versions]}

    @property
    def checksum(self) -> str:
        return _checksum(self._body())

    def to_json(self) -> bytes:
        data = {**self._body(), "checksum": self.checksum}
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def version(self, label: str) -> KeyVersion:
        for version in self.versions:
            if version.label == label:
                return version
        raise QuizgenError(f"the answer key has no version {label!r}")

    def qr_text(self, label: str) -> str:
        """What the sheet's QR code holds: format, checksum, version, seed and (the start of) the bank id."""
        return f"{QR_PREFIX}:{self.checksum}:{label}:{self.seed}:{self.bank[:24]}"


@dataclass(frozen=True)
class QrData:
    checksum: str
    version: str
    seed: str
    bank: str


def parse_qr(value: str) -> QrData | None:
    """The fields of a quizgen sheet's QR text, or None if the text is not one."""
    if not value.startswith(QR_PREFIX + ":"):
        return None
    parts = value[len(QR_PREFIX) + 1:].split(":", 3)
    return QrData(*parts) if len(parts) == 4 else None


#: A key is read from a file anyone can edit (and its checksum is no signature: see docs/threat-model.md), so
#: its size and every field are checked against what `quizgen pdf` can write before anything is built from it.
MAX_KEY_BYTES = 16 << 20        # 26 versions of 500 questions with long answers stay under 10 MB
MAX_VERSIONS = 702              # A .. ZZ
MAX_QUESTIONS = 5000            # per version
MAX_TEXT = 20_000               # characters in one string
MAX_ITEMS = 200                 # letters, right letters or answer parts of one question
KINDS = frozenset(kind.value for kind in Kind)


class _Malformed(Exception):
    pass


def _text(value, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise _Malformed(f"{what} must be text of at most {limit:,} characters")
    return value


def _whole(value, what: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise _Malformed(f"{what} must be a whole number from {low} to {high}")
    return value


def _texts(value, what: str, limit: int = MAX_TEXT) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise _Malformed(f"{what} must be a list of at most {MAX_ITEMS} items")
    return tuple(_text(v, what, limit) for v in value)


def _question(data, number: int) -> KeyQuestion:
    where = f"question {number}"
    if not isinstance(data, dict):
        raise _Malformed(f"{where} is not a mapping")
    _whole(data.get("number"), f"{where}: number", number, number)
    kind = _text(data.get("kind"), f"{where}: kind", 40)
    if kind not in KINDS:
        raise _Malformed(f"{where}: unknown kind {kind[:40]!r}")
    letters = _texts(data.get("letters"), f"{where}: letters", 1)
    right = _texts(data.get("right"), f"{where}: right", 1)
    if len(set(letters)) != len(letters) or not set(right) <= set(letters):
        raise _Malformed(f"{where}: its right letters must be some of its distinct letters")
    return KeyQuestion(number, _text(data.get("id"), f"{where}: id", 200), kind, letters, right,
                       _texts(data.get("answer"), f"{where}: answer"))


def _version(data) -> KeyVersion:
    if not isinstance(data, dict):
        raise _Malformed("a version is not a mapping")
    label = _text(data.get("version"), "a version label", 3)
    questions = data.get("questions")
    if not isinstance(questions, list) or not 0 < len(questions) <= MAX_QUESTIONS:
        raise _Malformed(f"version {label}: questions must be a list of 1 to {MAX_QUESTIONS:,}")
    return KeyVersion(label, tuple(_question(q, n) for n, q in enumerate(questions, 1)))


def _key(data: dict) -> AnswerKey:
    versions = data.get("versions")
    if not isinstance(versions, list) or not 0 < len(versions) <= MAX_VERSIONS:
        raise _Malformed(f"versions must be a list of 1 to {MAX_VERSIONS}")
    key = AnswerKey(_text(data.get("bank"), "bank", 200), _text(data.get("title"), "title", 2000),
                    _whole(data.get("seed"), "seed", -(2 ** 63), 2 ** 63 - 1), _text(data.get("paper"), "paper", 20),
                    _whole(data.get("student_digits"), "student_digits", 1, 12), tuple(_version(v) for v in versions))
    if len({v.label for v in key.versions}) != len(key.versions):
        raise _Malformed("two versions have the same label")
    return key


def _read_text(path: Path) -> str:
    from ..files import NotRegularFile, TooLarge, read_capped

    try:
        return read_capped(path, MAX_KEY_BYTES).decode("utf-8")
    except NotRegularFile:
        raise _Malformed("not a regular file") from None
    except TooLarge:
        raise _Malformed(f"over {MAX_KEY_BYTES >> 20} MiB, far bigger than any key `quizgen pdf` writes") from None


def load_key(path: Path) -> AnswerKey:
    """Read a key the pdf command wrote; refuse anything else, or a key edited since (checksum)."""
    path = Path(path)
    try:
        data = json.loads(_read_text(path))
    except OSError as exc:
        raise QuizgenError(f"cannot read answer key: {exc.strerror or exc}", path) from None
    except _Malformed as exc:
        raise QuizgenError(f"not an answer key: {exc}", path) from None
    except RecursionError:
        raise QuizgenError("not a JSON answer key: nested far deeper than a key", path) from None
    except ValueError as exc:
        raise QuizgenError(f"not a JSON answer key: {str(exc)[:200]}", path) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise QuizgenError("not a quizgen answer key (write one with `quizgen pdf`)", path)
    if data.get("format_version") != FORMAT_VERSION:
        shown = data.get("format_version")
        raise QuizgenError(f"answer key format {str(shown)[:20] if shown is not None else 'missing'} is not "
                           f"supported (this quizgen reads {FORMAT_VERSION})", path)
    if _checksum({k: v for k, v in data.items() if k != "checksum"}) != data.get("checksum"):
        raise QuizgenError("answer key was changed after it was written (checksum does not match)", path)
    try:
        key = _key(data)
    except _Malformed as exc:
        raise QuizgenError(f"answer key is incomplete or malformed: {exc}", path) from None
    if key.checksum != data.get("checksum"):
        raise QuizgenError("answer key has fields quizgen does not write (its checksum covers them)", path)
    return key
