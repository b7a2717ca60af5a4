"""What the printed quiz and the marker share: `Question`s in, a class set out.

`selection` picks the questions of each version (A, B, ...) and their order, `answer_key` is the key of those
versions (written as JSON beside the PDFs and read back by `quizgen mark`), and `sheet_layout` is the geometry
of the bubble answer sheet, which the PDF renderer draws and the marker reads from scans.
"""
