"""The floor for PDF output: the same text, page for page, laid out by reportlab alone, no quizgen.

    python bench/plain_reportlab.py pages.json OUT_FOLDER

pages.json comes from bench/pdf_dump.py. Each page's lines become Paragraphs in the same DejaVu Sans
fonts quizgen embeds (subset), followed by a page break; each document is one SimpleDocTemplate
build. Loading the JSON is not measured: the script prints the seconds spent loading it and the
seconds from then on (importing reportlab, laying out, writing).
"""
import json
import sys
import time
from pathlib import Path

started = time.perf_counter()
dump = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
loaded = time.perf_counter()

from xml.sax.saxutils import escape  # noqa: E402

from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate  # noqa: E402

FONTS = Path(__file__).resolve().parent.parent / "quizgen" / "pdf" / "ttf"
pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
styles = {}


def style(leading: float, bold: bool) -> ParagraphStyle:
    """Body text, its leading squeezed so that each page's lines fit on one page, as quizgen's do."""
    key = (leading, bold)
    if key not in styles:
        styles[key] = ParagraphStyle(f"s{len(styles)}", fontName="DejaVuSans-Bold" if bold else "DejaVuSans",
                                     fontSize=min(9.5, leading * 0.8), leading=leading)
    return styles[key]


pages_written = 0
for document in dump["documents"]:
    story = []
    room = document["pagesize"][1] - 48 - 56 - 24
    for index, lines in enumerate(document["pages"]):
        if index:
            story.append(PageBreak())
        leading = min(12.0, round(room / (max(len(lines), 1) * 1.15), 1))
        story.extend(Paragraph(escape(line), style(leading, i == 0)) for i, line in enumerate(lines))
    doc = SimpleDocTemplate(str(Path(sys.argv[2]) / document["name"]), pagesize=tuple(document["pagesize"]),
                            leftMargin=48, rightMargin=48, topMargin=48, bottomMargin=56, invariant=1)
    doc.build(story)
    pages_written += doc.page
print(json.dumps({"load_seconds": loaded - started, "write_seconds": time.perf_counter() - loaded,
                  "pages": pages_written}))
