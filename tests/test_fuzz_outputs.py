"""The CLI fuzz run (tests/fuzz_cli.py) in a child process: 2,000 mutated previous packages, answer keys and
scans, with no traceback, no input over 10 s, and the child's peak memory under 1 GiB."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PEAK_MB = 1024


def test_fuzzed_packages_keys_and_scans_never_crash_hang_or_blow_up(tmp_path):
    pytest.importorskip("cv2")
    pytest.importorskip("hypothesis")
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "fuzz_cli.py"), "--packages", "600", "--keys", "800",
                           "--scans", "600", "--budget", "10"], capture_output=True, text=True, timeout=480,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-4000:]
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    assert stats["inputs"] >= 2000, stats
    assert stats["peak_mb"] < PEAK_MB, stats
    assert not list(tmp_path.glob("quizgen-anki-*")), "no scratch folder left behind"
