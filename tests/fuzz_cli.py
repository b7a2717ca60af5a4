"""CLI fuzzing of what quizgen reads on the output side: previous packages, answer keys and scans.

    python tests/fuzz_cli.py [--packages N] [--keys N] [--scans N] [--budget SECONDS]

Hypothesis mutates real files (a deck quizgen wrote, its answer key, a filled-in answer sheet as PNG and
PDF) at the byte level and at the structure level (JSON values swapped for hostile ones and re-checksummed;
the sheet's QR code reprinted to carry a forged key's checksum, as a student could), and runs `quizgen anki`
or `quizgen mark` on each, in this process. Any traceback, any input over the time budget, ends the run
with exit 1 and the input saved for reproduction. The last line printed is JSON: inputs run, slowest input
and the process's peak memory (VmHWM), which tests/test_fuzz_cli.py bounds. Run by that test as a child
process, so the peak is this run's alone.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_files as hostile  # noqa: E402

HOSTILE_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70), st.just(10 ** 6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30), st.just("x" * 100_000),
    st.just([[[[[[[[[[]]]]]]]]]]), st.just({}), st.just([]), st.lists(st.text(max_size=3), max_size=300),
    st.just(["A"] * 5000), st.just("ZZZZ"), st.just("letter"), st.just("\0\ud800"),
)


class Failed(Exception):
    pass


class Fuzzer:
    def __init__(self, work: Path, budget: float):
        from click.testing import CliRunner

        from quizgen.cli import cli

        self.work, self.budget, self.cli, self.runner = work, budget, cli, CliRunner()
        self.runs, self.slowest = 0, (0.0, "")
        self._seeds()

    def _seeds(self) -> None:
        """A real deck, key and filled-in sheet to mutate."""
        import cv2
        import pypdfium2 as pdfium

        from quizgen.classset.answer_key import load_key
        from quizgen.classset.sheet_layout import sheet_layout

        self._invoke("anki", "--templates", "name_the_decider", "-o", str(self.work / "seed.apkg"),
                     "--timestamp", "1717200000", label="seed deck")
        self.deck = (self.work / "seed.apkg").read_bytes()
        self.hostile = [hostile.recursive_view(self.work / "view.apkg").read_bytes(),
                        hostile.zip_bomb(self.work / "bomb.apkg", 0.5).read_bytes()]
        self._invoke("pdf", "--answer-sheet", "--questions", "8", "-o", str(self.work / "seed-quiz.pdf"),
                     label="seed quiz")
        self.key_path = self.work / "seed-answer-key.json"
        self.key = json.loads(self.key_path.read_text())
        real = load_key(self.key_path)
        self.qr_at = sheet_layout(real.paper, real.student_digits, real.versions[0]).qr
        self.sheet_pdf = (self.work / "seed-answer-sheets.pdf").read_bytes()
        page = pdfium.PdfDocument(self.sheet_pdf)[0]
        self.dpi = 100
        self.image = page.render(scale=self.dpi / 72, grayscale=True).to_numpy().copy()
        cv2.circle(self.image, (300, 600), 8, 30, -1)
        self.png = cv2.imencode(".png", self.image)[1].tobytes()

    def _invoke(self, *args: str, label: str, payload: bytes = b"") -> None:
        started = time.monotonic()
        result = self.runner.invoke(self.cli, list(args))
        seconds = time.monotonic() - started
        self.runs += 1
        if seconds > self.slowest[0]:
            self.slowest = (seconds, label)
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        if crashed or "Traceback" in result.output or seconds > self.budget:
            saved = Path(tempfile.gettempdir()) / f"quizgen-fuzz-failure-{self.runs}.bin"
            saved.write_bytes(payload)
            trace = "".join(traceback.format_exception(result.exception)) if crashed else result.output
            raise Failed(f"{label}: {'traceback' if crashed else f'{seconds:.1f} s'} (input saved to {saved})\n"
                         f"{trace}")

    # --- mutations --------------------------------------------------------------------------------------

    @staticmethod
    def mutate_bytes(data: bytes, draw) -> bytes:
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 6))):
            how = draw(st.sampled_from(["flip", "truncate", "insert", "duplicate", "zero"]))
            at = draw(st.integers(0, max(len(out) - 1, 0)))
            if how == "flip" and out:
                out[at] ^= 1 << draw(st.integers(0, 7))
            elif how == "truncate":
                del out[at:]
            elif how == "insert":
                out[at:at] = draw(st.binary(min_size=1, max_size=64))
            elif how == "duplicate":
                out[at:at] = out[at:at + draw(st.integers(1, 4096))]
            elif how == "zero":
                out[at:at + draw(st.integers(1, 512))] = bytes(min(512, len(out) - at))
        return bytes(out)

    def mutate_key(self, draw) -> dict:
        """The real key with a few values swapped for hostile ones, checksummed again (a forgery)."""
        key = json.loads(json.dumps(self.key))
        for _ in range(draw(st.integers(1, 3))):
            node, path = key, []
            while isinstance(node, (dict, list)) and node and draw(st.booleans()):
                where = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
                if not isinstance(node[where], (dict, list)):
                    break
                node, path = node[where], path + [where]
            if isinstance(node, dict) and node:
                node[draw(st.sampled_from(sorted(node)))] = copy.deepcopy(draw(HOSTILE_VALUES))
            elif isinstance(node, list) and node:   # a copy: `st.just` hands out one object, which could nest in itself
                node[draw(st.integers(0, len(node) - 1))] = copy.deepcopy(draw(HOSTILE_VALUES))
        key.pop("checksum", None)
        return key

    def sheet_for(self, checksum: str, version: str, draw) -> bytes:
        """The filled-in sheet with its QR code reprinted for `checksum`, then bent: cropped, scaled, noised."""
        import cv2
        import numpy as np
        import segno

        from quizgen.classset.sheet_layout import QR_SIZE

        image = self.image.copy()
        scale = self.dpi / 72
        x0, top = self.qr_at
        matrix = np.array(segno.make(f"quizgen:1:{checksum}:{version}:0:x", error="m", micro=False).matrix, bool)
        side = int(QR_SIZE * scale)
        symbol = cv2.resize(np.where(matrix, 0, 255).astype(np.uint8), (side, side), interpolation=cv2.INTER_NEAREST)
        y, x = int(top * scale), int(x0 * scale)
        image[y - 4:y + side + 4, x - 4:x + side + 4] = 255
        image[y:y + side, x:x + side] = symbol
        how = draw(st.sampled_from(["none", "crop", "resize", "noise", "rotate", "blank"]))
        if how == "crop":
            h, w = image.shape
            top_, left = draw(st.integers(0, h - 1)), draw(st.integers(0, w - 1))
            image = image[top_:top_ + draw(st.integers(1, h)), left:left + draw(st.integers(1, w))]
        elif how == "resize":
            image = cv2.resize(image, (draw(st.integers(1, 1200)), draw(st.integers(1, 1600))))
        elif how == "noise":
            rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
            image = np.clip(image.astype(np.int16) + rng.integers(-120, 120, image.shape), 0, 255).astype(np.uint8)
        elif how == "rotate":
            image = cv2.rotate(image, draw(st.sampled_from([cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180])))
        elif how == "blank":
            image[:, :] = draw(st.integers(0, 255))
        return cv2.imencode(".png", image)[1].tobytes()

    # --- targets ----------------------------------------------------------------------------------------

    def package(self, draw) -> None:
        data = self.mutate_bytes(self.deck, draw)
        if draw(st.integers(0, 9)) == 0:
            data = draw(st.sampled_from(self.hostile))
        target = self.work / "previous.apkg"
        target.write_bytes(data)
        self._invoke("anki", "--templates", "name_the_decider", "-o", str(target), label="previous package",
                     payload=data)

    def answer_key(self, draw) -> None:
        if draw(st.booleans()):
            body = self.mutate_key(draw)
            data = hostile.with_checksum(body) if draw(st.integers(0, 3)) else json.dumps(body).encode()
            try:
                checksum, version = json.loads(data)["checksum"], "A"
            except (ValueError, KeyError, TypeError):
                checksum, version = "0", "A"
            scan = self.sheet_for(checksum, version, draw)
        else:
            data = self.mutate_bytes(self.key_path.read_bytes(), draw)
            scan = self.png
        (self.work / "k.json").write_bytes(data)
        (self.work / "s.png").write_bytes(scan)
        self._invoke("mark", str(self.work / "s.png"), "--key", str(self.work / "k.json"), "-o",
                     str(self.work / "r.csv"), label="answer key", payload=data)

    def scan(self, draw) -> None:
        kind = draw(st.sampled_from(["png bytes", "pdf bytes", "png image"]))
        if kind == "png bytes":
            name, data = "s.png", self.mutate_bytes(self.png, draw)
        elif kind == "pdf bytes":
            name, data = "s.pdf", self.mutate_bytes(self.sheet_pdf, draw)
        else:
            name, data = "s.png", self.sheet_for(self.key["checksum"], "A", draw)
        (self.work / name).write_bytes(data)
        self._invoke("mark", str(self.work / name), "--key", str(self.key_path), "-o", str(self.work / "r.csv"),
                     label=f"scan ({kind})", payload=data)


def run(fuzzer: Fuzzer, target, examples: int) -> None:
    if not examples:
        return

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def case(data):
        target(data.draw)

    case()


def peak_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            return int(next(ln for ln in status if ln.startswith("VmHWM")).split()[1]) / 1024
    except (OSError, StopIteration):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packages", type=int, default=600)
    parser.add_argument("--keys", type=int, default=800)
    parser.add_argument("--scans", type=int, default=600)
    parser.add_argument("--budget", type=float, default=10.0)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="quizgen-fuzz-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        fuzzer = Fuzzer(work, args.budget)
        try:
            run(fuzzer, fuzzer.package, args.packages)
            run(fuzzer, fuzzer.answer_key, args.keys)
            run(fuzzer, fuzzer.scan, args.scans)
        except Failed as exc:
            print(exc, file=sys.stderr)
            return 1
        print(json.dumps({"inputs": fuzzer.runs, "slowest_seconds": round(fuzzer.slowest[0], 3),
                          "slowest": fuzzer.slowest[1], "peak_mb": round(peak_mb(), 1),
                          "seconds": round(time.monotonic() - started, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
