"""One `quizgen anki` run split into its steps, timed in one process; prints the seconds as JSON, and this
process's resident memory after each step ("mib": now and peak so far; worker processes not included).

    python bench/phases.py BANK OUT.apkg TIMESTAMP
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def memory() -> dict:
    """VmRSS and VmHWM (the peak so far) of this process, in MiB."""
    from run import status_kib   # bench/run.py, beside this script

    try:
        kib = status_kib()
    except OSError:         # no /proc
        return {}
    return {"now": round(kib["VmRSS"] / 1024), "peak": round(kib["VmHWM"] / 1024)}


started = time.perf_counter()
from quizgen.anki import write_apkg  # noqa: E402
from quizgen.bank.loader import load_bank  # noqa: E402
from quizgen.generate.generator import generate  # noqa: E402

imported = time.perf_counter()
bank = load_bank(Path(sys.argv[1]))
loaded = time.perf_counter()
after_load = memory()
result = generate(bank, seed=0)
generated = time.perf_counter()
events = len(bank.events)
del bank    # as `quizgen anki` does
after_generate = memory()
summary = write_apkg(result.questions, result.meta, Path(sys.argv[2]), timestamp=int(sys.argv[3]))
written = time.perf_counter()
print(json.dumps({"import": imported - started, "load": loaded - imported, "generate": generated - loaded,
                  "write": written - generated, "questions": len(result.questions), "notes": summary.notes,
                  "cards": summary.cards, "events": events, "size": summary.size,
                  "mib": {"load": after_load, "generate": after_generate, "write": memory()}}))
