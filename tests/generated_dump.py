"""What `generate()` makes, digested: every question (id and a SHA-256 of its JSON), skips, per-template counts
and the review flags, in order, for the shipped bank, the lockdown test bank and a 400-event synthetic bank.

`tests/test_generated_same.py` holds the generator to tests/data/generated.json, recorded from main (a1d4fa6, the
question-quality work) before the speed work (issue 20) was merged; `python tests/generated_dump.py` records it
again after a change meant to alter questions."""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURE = HERE / "data" / "generated.json"
SEEDS = (0, 7)
SYNTHETIC_EVENTS = 400


def bank_paths(tmp: Path) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    from make_bank import write_bank

    return {"red-lines": ROOT / "questions" / "red_lines", "lockdown": HERE / "banks" / "lockdown",
            f"synthetic-{SYNTHETIC_EVENTS}": write_bank(SYNTHETIC_EVENTS, tmp / "synthetic")}


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:24]


def digest(result) -> dict:
    """A generated set as comparable JSON: full flags, a digest per question, digests of the rest."""
    return {
        "questions": [[q.id, _digest(q.to_dict())] for q in result.questions],
        "skipped": _digest([asdict(s) for s in result.skipped]),
        "reports": _digest([[r.template, r.selected, r.made, len(r.skipped), len(r.flags)] for r in result.reports]),
        "meta": _digest(asdict(result.meta)),
        "flags": [str(f) for f in result.flags],
    }


def case(bank: str, seed: int, strict: bool) -> str:
    return f"{bank} seed {seed}{'' if strict else ' review'}"


def record(tmp: Path) -> dict:
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate

    cases = {}
    for name, path in bank_paths(tmp).items():
        bank = load_bank(path)
        for seed in SEEDS:
            for strict in (True, False):
                cases[case(name, seed, strict)] = digest(generate(bank, seed=seed, strict=strict))
    return cases


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        FIXTURE.write_text(json.dumps(record(Path(tmp)), indent=1) + "\n", encoding="utf-8")
