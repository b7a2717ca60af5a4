"""Canvas QTI export: the zip, its manifest, each item's answers, and the same shape as text2qti makes."""
from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from lxml import html as lxml_html
from samples import HOSTILE, SOURCE, sample_meta, sample_questions
from test_export_samples import all_questions

from quizgen.export import render
from quizgen.question import Kind, Question, stable_id

NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2", "m": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"}
TYPES = {Kind.multiple_choice: "multiple_choice_question", Kind.which_first: "multiple_choice_question",
         Kind.quote: "multiple_choice_question", Kind.multiple_select: "multiple_answers_question",
         Kind.true_false: "true_false_question", Kind.matching: "matching_question",
         Kind.short_answer: "short_answer_question", Kind.numeric: "numerical_question"}


def html_text(fragment: str) -> str:
    return lxml_html.fragment_fromstring(fragment, create_parent="div").text_content()


def assessment_of(data: bytes):
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    href = manifest.find("m:resources/m:resource[@type='imsqti_xmlv1p2']/m:file", NS).get("href")
    return archive, manifest, etree.fromstring(archive.read(href))


def metadata(item) -> dict[str, str]:
    return {f.findtext("q:fieldlabel", namespaces=NS): f.findtext("q:fieldentry", namespaces=NS) or ""
            for f in item.iterfind("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", NS)}


def shown(mattext) -> str:
    """The text a mattext shows: HTML rendered, plain text as is."""
    return mattext.text if mattext.get("texttype") == "text/plain" else html_text(mattext.text)


def label_texts(item) -> dict[str, str]:
    return {label.get("ident"): shown(label.find("q:material/q:mattext", NS))
            for label in item.iterfind(".//q:response_label", NS) if label.find("q:material", NS) is not None}


def right_answers(item, kind: Kind):
    """What Canvas would score as right, read from resprocessing."""
    labels = label_texts(item)
    conditions = item.iterfind("q:resprocessing/q:respcondition", NS)
    scoring = [c for c in conditions if c.find("q:setvar", NS) is not None]
    if kind is Kind.matching:
        lefts = {r.get("ident"): shown(r.find("q:material/q:mattext", NS))
                 for r in item.iterfind("q:presentation/q:response_lid", NS)}
        tests = [v for c in scoring for v in c.iterfind(".//q:varequal", NS)]
        return [(lefts[v.get("respident")], labels[v.text]) for v in tests]
    (condition,) = scoring
    if kind is Kind.multiple_select:
        return [labels[v.text] for v in condition.iterfind("q:conditionvar/q:and/q:varequal", NS)]
    if kind is Kind.numeric:
        return [condition.findtext(f".//q:{test}", namespaces=NS) for test in ("varequal", "vargte", "varlte")]
    if kind is Kind.short_answer:
        return [v.text for v in condition.iterfind(".//q:varequal", NS)]
    return [labels[v.text] for v in condition.iterfind(".//q:varequal", NS)]


@pytest.fixture(scope="module")
def exported():
    data, kept, skipped = render(all_questions(), sample_meta(), "qti")
    return data, kept, skipped


def test_zip_is_deterministic_sorted_deflated_and_dated_1980(exported):
    data, _, _ = exported
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names == sorted(names) and names[0] == "imsmanifest.xml" and len(names) == 3
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    assert archive.testzip() is None
    assert render(all_questions(), sample_meta(), "qti")[0] == data


def test_manifest_points_at_files_in_the_zip(exported):
    archive, manifest, _ = assessment_of(exported[0])
    hrefs = [f.get("href") for f in manifest.iterfind(".//m:file", NS)]
    assert hrefs and all(href in archive.namelist() for href in hrefs)
    quiz = etree.fromstring(archive.read(next(h for h in hrefs if h.endswith("assessment_meta.xml"))))
    assert quiz.findtext("{*}title") == sample_meta().title


def test_each_item_has_its_canvas_type_prompt_and_right_answers(exported):
    data, kept, skipped = exported
    _, _, assessment = assessment_of(data)
    items = assessment.findall(".//q:item", NS)
    assert len(items) == len(kept) == len(all_questions()) - 4
    assert skipped == {(Kind.cloze, "Canvas QTI cannot express cloze"): 2,
                       (Kind.ordering, "Canvas QTI cannot express chronological order"): 2}
    for q, item in zip(kept, items):
        assert metadata(item)["question_type"] == TYPES[q.kind]
        assert html_text(item.findtext("q:presentation/q:material/q:mattext", namespaces=NS)).startswith(q.prompt)
        expected = {Kind.matching: [(p.left, p.right) for p in q.pairs],
                    Kind.short_answer: list(q.answers + q.accepted),
                    Kind.numeric: [str(q.answer)] * 3}.get(q.kind, list(q.answers))
        assert right_answers(item, q.kind) == expected, q.template
        feedback = html_text(item.findtext("q:itemfeedback[@ident='general_fb']//q:mattext", namespaces=NS))
        assert q.explanation in feedback and q.source.quote in feedback


def test_hostile_text_round_trips(exported):
    _, _, assessment = assessment_of(exported[0])
    hostile = next(q for q in sample_questions() if q.template == "hostile")
    item = assessment.find(f".//q:item[@ident='quizgen_question_{hostile.id}']", NS)
    raw = item.findtext("q:presentation/q:material/q:mattext", namespaces=NS)
    assert "&lt;script&gt;" in raw and html_text(raw) == hostile.prompt
    assert right_answers(item, Kind.multiple_choice) == [HOSTILE]


# --- the same small quiz through text2qti, to compare element structure ---

T2Q_QUIZ = """\
Quiz title: Compare

1.  Who approved the F-16 transfer?
... Because the article says so.
a)  Olaf Scholz
*b) Joe Biden
c)  Emmanuel Macron

2.  Which red lines were still in force?
... Because the article says so.
[*] Taurus missiles
[ ] Leopard tanks
[*] NATO troops

3.  True or false: Germany supplied Taurus missiles.
... Because the article says so.
a) True
*b) False

4.  Which country donated the first six F-16s?
... Because the article says so.
*   Denmark
*   Danish government

5.  How many F-16s will Ukraine receive?
... Because the article says so.
=   90
"""


def shape(element, prefix: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """Element structure: each descendant's path and attribute names, no texts or identifiers."""
    out = []
    for child in element:
        path = f"{prefix}/{etree.QName(child).localname}"
        out.append((path, tuple(sorted(child.attrib))))
        out += shape(child, path)
    return out


def text2qti_items() -> list:
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    _, _, assessment = assessment_of(QTI(Quiz(T2Q_QUIZ, config=Config())).zip_bytes())
    return assessment.findall(".//q:item", NS)


def comparable_questions() -> list[Question]:
    def make(template, kind, prompt, answer, **kw):
        return Question(id=stable_id("cmp", template, (template,)), bank="cmp", template=template, group="g",
                        kind=kind, prompt=prompt, answer=answer, source=SOURCE, explanation="Because.", **kw)
    return [
        make("mc", Kind.multiple_choice, "Who approved?", "Joe Biden", choices=("Olaf", "Joe Biden", "E M")),
        make("ms", Kind.multiple_select, "Which?", ("Taurus", "NATO"), choices=("Taurus", "Leopard", "NATO")),
        make("tf", Kind.true_false, "True or false?", "False", choices=("True", "False")),
        make("sa", Kind.short_answer, "Which country?", "Denmark", accepted=("Danish government",)),
        make("num", Kind.numeric, "How many F-16s?", "90", unit="F-16s"),
    ]


def test_items_have_the_same_element_structure_as_text2qti():
    theirs = text2qti_items()
    data, kept, _ = render(comparable_questions(), sample_meta(), "qti")
    ours = assessment_of(data)[2].findall(".//q:item", NS)
    assert len(ours) == len(theirs) == 5
    for q, mine, reference in zip(kept, ours, theirs):
        assert shape(mine) == shape(reference), q.kind
        assert metadata(mine).keys() == metadata(reference).keys()
        assert metadata(mine)["question_type"] == metadata(reference)["question_type"]
