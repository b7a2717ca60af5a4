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
        canonical = json.dumps(self._body(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

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


def _question(data: dict) -> KeyQuestion:
    return KeyQuestion(int(data["number"]), str(data["id"]), str(data["kind"]), tuple(data["letters"]),
                       tuple(data["right"]), tuple(data["answer"]))


def load_key(path: Path) -> AnswerKey:
    """Read a key the pdf command wrote; refuse anything else, or a key edited since (checksum)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuizgenError(f"cannot read answer key: {exc.strerror or exc}", path) from None
    except ValueError as exc:
        raise QuizgenError(f"not a JSON answer key: {exc}", path) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise QuizgenError("not a quizgen answer key (write one with `quizgen pdf`)", path)
    if data.get("format_version") != FORMAT_VERSION:
        raise QuizgenError(f"answer key format {data.get('format_version')} is not supported "
                           f"(this quizgen reads {FORMAT_VERSION})", path)
    try:
        key = AnswerKey(str(data["bank"]), str(data["title"]), int(data["seed"]), str(data["paper"]),
                        int(data["student_digits"]),
                        tuple(KeyVersion(str(v["version"]), tuple(_question(q) for q in v["questions"]))
                              for v in data["versions"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise QuizgenError(f"answer key is incomplete or malformed ({exc!r})", path) from None
    if key.checksum != data.get("checksum"):
        raise QuizgenError("answer key was changed after it was written (checksum does not match)", path)
    return key
