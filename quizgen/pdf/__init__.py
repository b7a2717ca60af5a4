"""Printable PDF quizzes (reportlab): class sets in versions, a separate answer key, a timeline handout.

Import this package only inside the commands that print: it loads reportlab.
"""
from .build import (
           PdfOptions,
           Written,
           output_paths,
           render_key,
           render_quiz,
           write_pdfs,
)

__all__ = ["PdfOptions", "Written", "output_paths", "render_key", "render_quiz", "timeline_pdf",
           "write_pdfs"]


def __getattr__(name: str):
    """The timeline handout loads reportlab.graphics: only when it is asked for."""
    if name == "timeline_pdf":
        from .timeline import timeline_pdf

        return timeline_pdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
