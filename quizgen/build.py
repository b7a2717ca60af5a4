"""`quizgen build`: the main job. Everything is generated and rendered in memory first, then written,
so a failure anywhere leaves output/ as it was."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .output import DEFAULT_FOLDER, check_writable, prepare_folder, safe_filename

DEFAULT_VERSIONS = 4


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path = DEFAULT_FOLDER
    seed: int = 0
    versions: int = DEFAULT_VERSIONS
    questions: int | None = None
    paper: str = "a4"
    timestamp: int | None = None


def _size(n: int) -> str:
    return f"{n / 1024:,.1f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MiB"


def build(bank_path: Path | None, options: BuildOptions, progress: Callable[[str], None] = lambda _: None
          ) -> list[str]:
    """Write the deck, the quiz (all versions), its answer sheets, the answer key (PDF, and JSON for
    `quizgen mark`) and the timeline; return one line per file."""
    from .anki.package import render_apkg, write_rendered as write_apkg
    from .bank import load_bank
    from .generate import generate
    from .pdf.build import PdfOptions, output_paths, render_pdfs, write_rendered as write_pdfs

    started = time.monotonic()

    def step(message: str) -> None:
        progress(f"[{time.monotonic() - started:5.2f}s] {message}")

    bank = load_bank(bank_path)
    step(f"loaded bank '{bank.id}': {len(bank.events)} events, {len(bank.entities)} entities")
    folder = prepare_folder(options.out_dir)
    stem = safe_filename(bank.id, "bank")
    deck_path = check_writable(folder / f"{stem}.apkg")
    quiz_path = folder / f"{stem}-quiz.pdf"
    pdf_options = PdfOptions(questions=options.questions, versions=options.versions, seed=options.seed,
                             paper=options.paper, key=True, timeline=True, answer_sheet=True)
    for path in output_paths(quiz_path).values():
        check_writable(path)

    generated = generate(bank, seed=options.seed)
    step(f"generated {len(generated.questions)} questions ({len(generated.skipped)} skipped)")
    deck = render_apkg(generated.questions, generated.meta, deck_path, timestamp=options.timestamp)
    step(f"rendered the Anki deck: {deck.notes} notes, {deck.cards} cards")
    pdfs = render_pdfs(generated.meta, generated.questions, quiz_path, pdf_options)
    step(f"rendered {len(pdfs)} files")

    summary = write_apkg(deck, deck_path)
    lines = [f"{summary.path}  Anki deck: {summary.notes} notes, {summary.cards} cards, "
             f"{len(summary.decks)} decks, {_size(summary.size)}"]
    for written in write_pdfs(pdfs):
        pages = f"{written.pages} page{'s' * (written.pages != 1)}, " if written.pages else ""
        lines.append(f"{written.path}  {written.what}: {pages}{_size(written.size)}")
    step("wrote everything")
    return lines
