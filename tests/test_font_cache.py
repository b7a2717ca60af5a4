"""The parsed DejaVu fonts kept in the user's cache folder: the same font as reportlab's own parse, the same PDF
bytes with a cold, a warm, a broken or no cache, and never a failure because of the cache."""
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from quizgen.pdf import fonts

ROOT = Path(__file__).resolve().parent.parent
REGULAR = fonts.font_path("DejaVuSans.ttf")


def _same_font(cached, parsed) -> None:
    assert vars(cached).keys() == vars(parsed).keys()
    assert vars(cached.face).keys() == vars(parsed.face).keys()
    for name, value in vars(parsed.face).items():
        if name == "_pdfScale":
            assert [cached.face._pdfScale(x) for x in (0, 1, -777, 2048, 123.5)] == [
                value(x) for x in (0, 1, -777, 2048, 123.5)]
        else:
            assert getattr(cached.face, name) == value, name
    for name in ("fontName", "_asciiReadable", "_shapable"):
        assert getattr(cached, name) == getattr(parsed, name)


def test_a_cached_font_is_what_reportlab_parses(tmp_path):
    first = fonts.load_font("DejaVuSans", REGULAR, tmp_path)
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and written[0].suffix == ".pickle", "one cache file, no temporary left behind"
    second = fonts.load_font("DejaVuSans", REGULAR, tmp_path)
    parsed = TTFont("DejaVuSans", str(REGULAR))
    _same_font(first, parsed)
    _same_font(second, parsed)
    assert second.face is not first.face and len(second.state) == 0


def test_the_cache_is_read_instead_of_parsing(tmp_path, monkeypatch):
    fonts.load_font("DejaVuSans", REGULAR, tmp_path)

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("parsed although cached")

    monkeypatch.setattr("reportlab.pdfbase.ttfonts.TTFont.__init__", no_parsing)
    assert fonts.load_font("DejaVuSans", REGULAR, tmp_path).face.charToGlyph[ord("Й")]


def test_a_changed_font_file_is_parsed_again(tmp_path):
    copy = tmp_path / "DejaVuSans.ttf"
    copy.write_bytes(REGULAR.read_bytes())
    fonts.load_font("DejaVuSans", copy, tmp_path / "cache")
    os.utime(copy, ns=(1_000_000_000, 1_000_000_000))
    fonts.load_font("DejaVuSans", copy, tmp_path / "cache")
    assert len(list((tmp_path / "cache").iterdir())) == 2, "a new key for the new modification time"


def test_a_broken_cache_file_is_replaced(tmp_path):
    fonts.load_font("DejaVuSans", REGULAR, tmp_path)
    (cache_file,) = tmp_path.iterdir()
    cache_file.write_bytes(b"\x80\x05not a pickle")
    _same_font(fonts.load_font("DejaVuSans", REGULAR, tmp_path), TTFont("DejaVuSans", str(REGULAR)))
    _same_font(fonts._from_parts(pickle.loads(cache_file.read_bytes()), str(REGULAR),
                                 REGULAR.read_bytes()), TTFont("DejaVuSans", str(REGULAR)))


def test_no_cache_folder_or_an_unwritable_one_still_works(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for folder in (None, blocker / "fonts"):
        _same_font(fonts.load_font("DejaVuSans", REGULAR, folder), TTFont("DejaVuSans", str(REGULAR)))


def test_cache_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert fonts.cache_folder() == tmp_path / "quizgen" / "fonts"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert fonts.cache_folder() == tmp_path / "home" / ".cache" / "quizgen" / "fonts"


@pytest.mark.parametrize("state", ["cold", "warm", "broken", "unwritable"])
def test_pdf_bytes_do_not_depend_on_the_cache(tmp_path, state):
    """Each run is its own process: the fonts are registered once per process."""
    def quiz(name: str, cache: Path) -> bytes:
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "SOURCE_DATE_EPOCH": "1717200000"}
        out = tmp_path / f"{name}-quiz.pdf"
        subprocess.run([sys.executable, "-m", "quizgen.cli", "pdf", "--questions", "8", "--no-key", "-o", str(out)],
                       cwd=ROOT, env=env, check=True, capture_output=True)
        return out.read_bytes()

    reference = quiz("reference", tmp_path / "reference-cache")
    cache = tmp_path / "cache"
    if state in ("warm", "broken"):
        quiz("first", cache)
        for cached in (cache / "quizgen" / "fonts").iterdir():
            if state == "broken":
                cached.write_bytes(cached.read_bytes()[:1000])
    if state == "unwritable":
        cache.write_text("a file where the cache folder would go")
    assert quiz(state, cache) == reference
