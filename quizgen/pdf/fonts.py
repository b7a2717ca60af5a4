"""The shipped DejaVu Sans fonts, registered with reportlab once per process.

DejaVu covers Latin with accents, Greek and Cyrillic, so names like EL PAÍS and Зеленський print as
written; reportlab's built-in Helvetica would print black boxes for them.

reportlab parses a TrueType file in Python on every start (cmap, widths, glyph offsets): the first
`quizgen pdf` of a machine keeps what it parsed in the user's cache folder, and later ones read that back
instead (see docs/pdf.md). The font file's bytes are still read each time: subsetting copies glyphs from them.
"""
from __future__ import annotations

import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
#: what the cache cannot hold: the per-document state, the font file's bytes, and a lambda reportlab makes
_NOT_CACHED = ("state", "_ttf_data", "_pdfScale")
_FORMAT = 1


def font_path(file_name: str) -> Path:
    return Path(__file__).resolve().parent / "ttf" / file_name


def cache_folder() -> Path | None:
    """$XDG_CACHE_HOME/quizgen/fonts, or ~/.cache/quizgen/fonts; None when there is no home to put it in."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "quizgen" / "fonts"


@cache
def register_fonts() -> tuple[str, str]:
    """Register regular and bold (also as the family, so <b> in a Paragraph works); returns their names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    folder = cache_folder()
    for name, file_name in _FILES.items():
        pdfmetrics.registerFont(load_font(name, font_path(file_name), folder))
    # No italic face is shipped: italic requests fall back to the upright faces.
    for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, face)
    return REGULAR, BOLD


def load_font(name: str, path: Path, folder: Path | None):
    """The TTFont reportlab would make from `path`, from the cache in `folder` when it holds this very file
    (same size and modification time) parsed by this reportlab and Python; parsed and cached otherwise."""
    from reportlab.pdfbase.ttfonts import TTFont

    data = path.read_bytes()
    cached = _cache_file(name, path, folder)
    if cached is not None:
        try:
            return _from_parts(pickle.loads(cached.read_bytes()), str(path), data)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, KeyError, AttributeError):
            pass    # missing, half-written by an older quizgen, or from elsewhere: parse again
    font = TTFont(name, str(path))
    if cached is not None:
        _write_quietly(cached, font)
    return font


def _cache_file(name: str, path: Path, folder: Path | None) -> Path | None:
    import reportlab

    if folder is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (f"{_FORMAT}-{name}-{stat.st_size}-{stat.st_mtime_ns}-rl{reportlab.Version}"
           f"-py{sys.version_info[0]}.{sys.version_info[1]}")
    return folder / f"{key}.pickle"


def _parts(font) -> tuple[dict, dict]:
    return ({k: v for k, v in vars(font).items() if k not in _NOT_CACHED and k != "face"},
            {k: v for k, v in vars(font.face).items() if k not in _NOT_CACHED})


def _from_parts(parts: tuple[dict, dict], filename: str, data: bytes):
    """A TTFont and its face with the attributes reportlab's own parse gives them, without parsing."""
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

    font_attributes, face_attributes = parts
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(face_attributes)
    face.filename = filename
    face._ttf_data = data
    face._pdfScale = _scale(face.unitsPerEm)
    font = TTFont.__new__(TTFont)
    vars(font).update(font_attributes)
    font.face = face
    font.state = WeakKeyDictionary()
    return font


def _scale(units_per_em: int):
    """Font units to PDF's thousandths of an em, computed as reportlab's TTFontFile.extractInfo does."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _write_quietly(target: Path, font) -> None:
    """Write the cache atomically (a parallel run reads the old file or the new one, never half of one); a
    folder that cannot be written, or a font reportlab gives attributes pickle cannot hold, just means no cache."""
    try:
        blob = pickle.dumps(_parts(font), protocol=pickle.HIGHEST_PROTOCOL)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass
