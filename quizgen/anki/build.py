"""`quizgen anki`: bank -> questions -> .apkg, in one call the CLI can make."""
from __future__ import annotations

from pathlib import Path

from ..errors import QuizgenError
from ..output import check_writable, prepare_folder, safe_filename
from ..question import Kind
from .package import AnkiSummary, write_apkg

DEFAULT_FOLDER = Path("output")


def parse_kinds(names: list[str] | tuple[str, ...] | None) -> list[Kind] | None:
    """Kind names from the command line (repeatable, or comma-separated); None means every kind."""
    wanted = [n.strip() for name in names or () for n in name.split(",") if n.strip()]
    if not wanted:
        return None
    known = {kind.value: kind for kind in Kind}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise QuizgenError(f"unknown question kind(s): {', '.join(unknown)} "
                           f"(choose from {', '.join(sorted(known))})")
    return [known[n] for n in dict.fromkeys(wanted)]


def parse_names(names: list[str] | tuple[str, ...] | None) -> list[str] | None:
    wanted = [n.strip() for name in names or () for n in name.split(",") if n.strip()]
    return list(dict.fromkeys(wanted)) or None


def build_anki(bank_path: Path | None, output: Path | None = None, *, seed: int = 0,
               kinds: list[str] | tuple[str, ...] | None = None,
               templates: list[str] | tuple[str, ...] | None = None,
               timestamp: int | None = None) -> AnkiSummary:
    """Load the bank, generate its questions and write them as an Anki package."""
    kind_list, template_list = parse_kinds(kinds), parse_names(templates)
    if output is not None:
        check_writable(output)
    from ..bank import load_bank
    from ..generate import generate

    bank = load_bank(bank_path)
    if output is None:
        output = check_writable(prepare_folder(DEFAULT_FOLDER) / f"{safe_filename(bank.id)}.apkg")
    result = generate(bank, seed=seed, kinds=kind_list, templates=template_list)
    return write_apkg(result.questions, result.meta, output, timestamp=timestamp)
