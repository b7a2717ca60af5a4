"""`quizgen anki`: bank -> questions -> .apkg, in one call the CLI can make."""
from __future__ import annotations

from pathlib import Path

from ..output import DEFAULT_FOLDER, check_writable, prepare_folder, safe_filename
from .package import AnkiSummary, write_apkg



def build_anki(bank_path: Path | None, output: Path | None = None, *, seed: int = 0,
               kinds: list[str] | tuple[str, ...] | None = None,
               templates: list[str] | tuple[str, ...] | None = None,
               timestamp: int | None = None) -> AnkiSummary:
    """Load the bank, generate its questions and write them as an Anki package."""
    if output is not None:
        check_writable(output)
    from ..bank import load_bank
    from ..generate import generate

    bank = load_bank(bank_path)
    if output is None:
        output = check_writable(prepare_folder(DEFAULT_FOLDER) / f"{safe_filename(bank.id)}.apkg")
    result = generate(bank, seed=seed, kinds=kinds, templates=templates)
    del bank  # a big bank's records are not needed to write the deck: free them first
    return write_apkg(result.questions, result.meta, output, timestamp=timestamp)
