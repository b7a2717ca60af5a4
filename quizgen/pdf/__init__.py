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
from .timeline import timeline_pdf

__all__ = ["PdfOptions", "Written", "output_paths", "render_key", "render_quiz", "timeline_pdf",
           "write_pdfs"]
