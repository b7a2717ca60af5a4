"""Where a command's memory goes over time: every half second, the resident memory (RSS) and proportional share
(PSS: a page shared by two processes counts half in each) of it and of each worker process it starts.

    python bench/memory_timeline.py quizgen anki --bank BANK -o OUT.apkg

Ends with the peak of the summed RSS (what bench/run.py reports, which counts a page the worker still shares with
its parent twice) and of the summed PSS (each page once). Reading PSS makes the kernel walk every page of a
process (about 5 ms for 350 MB), too slow for bench/run.py's 10 ms samples during timed runs: this run is for
memory, not time."""
import os
import subprocess
import sys
import time
from pathlib import Path

from run import T, descendants     # bench/run.py, beside this script

INTERVAL = 0.5


def rollup_mib(pid: int) -> tuple[int, int]:
    """RSS and PSS of a process, in MiB (OSError once it is gone)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) // 1024
    return fields["Rss"], fields["Pss"]


def main(command: list[str]) -> None:
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, "SOURCE_DATE_EPOCH": T})
    peak_rss = peak_pss = 0
    while process.poll() is None:
        figures = {}
        for pid in descendants(process.pid):
            try:
                figures[pid] = rollup_mib(pid)
            except OSError:
                continue
        rss, pss = sum(r for r, _ in figures.values()), sum(p for _, p in figures.values())
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        each = "  ".join(f"{pid}: {r}/{p}" for pid, (r, p) in figures.items())
        print(f"{time.perf_counter() - started:6.1f} s  all: RSS {rss} MiB, PSS {pss} MiB  (RSS/PSS {each})", flush=True)
        time.sleep(INTERVAL)
    print(f"peak of all processes: RSS {peak_rss} MiB, PSS {peak_pss} MiB; exit {process.returncode}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1:])
