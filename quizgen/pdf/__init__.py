"""Printable PDF quizzes (reportlab): class sets in versions, a separate answer key, a timeline handout.

The names below load on first use, so that a command can read the options and start its other process
(quizgen.pdf.background) before reportlab is imported.
"""
from importlib import import_module

_WHERE = {"PdfOptions": "options", "Written": "build", "output_paths": "build", "render_key": "build",
          "render_quiz": "build", "write_pdfs": "build", "timeline_pdf": "timeline"}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
