"""Read quizgen's PDFs back into the JSON that bench/plain_reportlab.py lays out again with reportlab alone.

    python bench/pdf_dump.py OUT.json QUIZ.pdf [KEY.pdf ...]

Per document, per page, the lines of text pypdf extracts: the same words on the same number of pages,
without quizgen's layout (boxes, columns, rules), which is what a minimal reportlab script would print.
"""
import json
import sys
from pathlib import Path


def dump(paths: list[Path]) -> dict:
    from pypdf import PdfReader

    documents = []
    for path in paths:
        reader = PdfReader(str(path))
        box = reader.pages[0].mediabox
        pages = [[line for line in (page.extract_text() or "").splitlines() if line.strip()] for page in reader.pages]
        documents.append({"name": Path(path).name, "pagesize": [float(box.width), float(box.height)], "pages": pages})
    return {"documents": documents}


if __name__ == "__main__":
    data = dump([Path(p) for p in sys.argv[2:]])
    Path(sys.argv[1]).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    print(sum(len(d["pages"]) for d in data["documents"]), "pages")
