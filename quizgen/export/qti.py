"""QTI 1.2 as Canvas imports it: a zip with imsmanifest.xml, the assessment and Canvas's quiz settings.

The item shapes follow Canvas's own exports (and text2qti's, which Canvas users rely on): question type
in itemmetadata, HTML in mattext, scoring in resprocessing, general feedback as itemfeedback "general_fb".
Cloze and ordering have no Canvas QTI form and are skipped.

Canvas's importer takes an answer's id from the first run of digits in its `ident` (Ruby `/(\\d+)/`), so every
ident that names an answer, a matching item or a matching option is a plain number, unique within its
question (FIRST_ID, FIRST_ID + 1, ...), as in Canvas's own exports.
"""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from typing import Sequence

from ..question import BankMeta, Kind, Question
from .common import (
    SINGLE_CHOICE,
    clean,
    distractors,
    feedback_html,
    not_a_number,
    one_line,
    paragraphs,
    question_name,
    stable_zip,
    unit_hint,
)

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
IMSMD_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"

QUESTION_TYPES = {
    Kind.multiple_choice: "multiple_choice_question", Kind.which_first: "multiple_choice_question",
    Kind.quote: "multiple_choice_question", Kind.multiple_select: "multiple_answers_question",
    Kind.true_false: "true_false_question", Kind.matching: "matching_question",
    Kind.short_answer: "short_answer_question", Kind.numeric: "numerical_question",
}
FIRST_ID = 1001     # above the digit run of the choice questions' "response1"


def numbered(count: int, start: int = FIRST_ID) -> list[str]:
    return [str(number) for number in range(start, start + count)]


def skip_reason(question: Question) -> str | None:
    if question.kind not in QUESTION_TYPES:
        return f"Canvas QTI cannot express {question.kind.label}"
    return not_a_number(question, "Canvas QTI")


def render(questions: Sequence[Question], meta: BankMeta) -> bytes:
    digest = hashlib.sha256("\x1f".join([meta.id, *(q.id for q in questions)]).encode()).hexdigest()[:32]
    ident = f"quizgen_assessment_{digest}"
    files = {
        "imsmanifest.xml": _manifest(ident, digest, meta),
        f"{ident}/{ident}.xml": _assessment(ident, questions, meta),
        f"{ident}/assessment_meta.xml": _quiz_meta(ident, questions, meta),
    }
    return stable_zip(files)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = clean(text)
    return element


def _mattext(parent: ET.Element, html: str, texttype: str = "text/html") -> None:
    _sub(_sub(parent, "material"), "mattext", html, texttype=texttype)


def _assessment(ident: str, questions: Sequence[Question], meta: BankMeta) -> bytes:
    root = ET.Element("questestinterop", {
        "xmlns": QTI_NS, "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"})
    assessment = _sub(root, "assessment", ident=ident, title=one_line(meta.title))
    field = _sub(_sub(assessment, "qtimetadata"), "qtimetadatafield")
    _sub(field, "fieldlabel", "cc_maxattempts")
    _sub(field, "fieldentry", "1")
    section = _sub(assessment, "section", ident="root_section")
    for question in questions:
        _item(section, question)
    return _xml(root)


def _item(section: ET.Element, q: Question) -> None:
    item = _sub(section, "item", ident=f"quizgen_question_{q.id}", title=one_line(question_name(q)))
    metadata = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    presentation = _sub(item, "presentation")
    _mattext(presentation, paragraphs(q.prompt, unit_hint(q)))
    processing = _sub(item, "resprocessing")
    decvar = _sub(_sub(processing, "outcomes"), "decvar")
    decvar.attrib.update(maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    feedback = feedback_html(q)
    if feedback:
        shown = _sub(processing, "respcondition", **{"continue": "Yes"})
        _sub(_sub(shown, "conditionvar"), "other")
        _sub(shown, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    answer_ids = BODIES[q.kind](presentation, processing, q)
    for label, entry in (("question_type", QUESTION_TYPES[q.kind]), ("points_possible", "1"),
                         ("original_answer_ids", ",".join(answer_ids)),
                         ("assessment_question_identifierref", f"quizgen_question_ref_{q.id}")):
        field = _sub(metadata, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)
    if feedback:
        flow = _sub(_sub(item, "itemfeedback", ident="general_fb"), "flow_mat")
        _mattext(flow, feedback)


def _score(processing: ET.Element, action: str = "Set", value: str = "100", stop: bool = True) -> ET.Element:
    """A respcondition that gives `value` points; returns its conditionvar for the test to go in."""
    condition = _sub(processing, "respcondition", **{"continue": "No" if stop else "Yes"})
    test = _sub(condition, "conditionvar")
    _sub(condition, "setvar", value, action=action, varname="SCORE")
    return test


def _choices(presentation: ET.Element, processing: ET.Element, q: Question) -> list[str]:
    single = q.kind in SINGLE_CHOICE or q.kind is Kind.true_false
    idents = numbered(len(q.choices))
    cardinality = "Single" if single else "Multiple"
    response = _sub(presentation, "response_lid", ident="response1", rcardinality=cardinality)
    render_choice = _sub(response, "render_choice")
    for ident, choice in zip(idents, q.choices):
        _mattext(_sub(render_choice, "response_label", ident=ident), paragraphs(choice))
    right = set(q.answers)
    test = _score(processing)
    if single:
        _sub(test, "varequal", idents[q.choices.index(q.answer)], respident="response1")
    else:
        every = _sub(test, "and")
        for ident, choice in zip(idents, q.choices):
            _sub(every if choice in right else _sub(every, "not"), "varequal", ident, respident="response1")
    return idents


def _matching(presentation: ET.Element, processing: ET.Element, q: Question) -> list[str]:
    options = list(dict.fromkeys([pair.right for pair in q.pairs] + distractors(q)))
    left_numbers = numbered(len(q.pairs))
    option_ids = dict(zip(options, numbered(len(options), FIRST_ID + len(q.pairs))))
    left_ids = [f"response_{number}" for number in left_numbers]
    share = f"{100 / len(q.pairs):.2f}"
    for left_id, pair in zip(left_ids, q.pairs):
        response = _sub(presentation, "response_lid", ident=left_id)
        _mattext(response, pair.left, "text/plain")
        render_choice = _sub(response, "render_choice")
        for option in options:
            _mattext(_sub(render_choice, "response_label", ident=option_ids[option]), option, "text/plain")
    for left_id, pair in zip(left_ids, q.pairs):
        _sub(_score(processing, "Add", share, stop=False), "varequal", option_ids[pair.right], respident=left_id)
    return left_numbers


def _short(presentation: ET.Element, processing: ET.Element, q: Question) -> list[str]:
    texts = list(dict.fromkeys(q.answers + q.accepted))
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(_sub(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    test = _score(processing)
    for text in texts:
        _sub(test, "varequal", text, respident="response1")
    return numbered(len(texts))


def _numeric(presentation: ET.Element, processing: ET.Element, q: Question) -> list[str]:
    number = str(q.answer).strip()
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(_sub(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    either = _sub(_score(processing), "or")
    _sub(either, "varequal", number, respident="response1")
    between = _sub(either, "and")
    _sub(between, "vargte", number, respident="response1")
    _sub(between, "varlte", number, respident="response1")
    return numbered(1)


BODIES = {
    Kind.multiple_choice: _choices, Kind.which_first: _choices, Kind.quote: _choices,
    Kind.multiple_select: _choices, Kind.true_false: _choices, Kind.matching: _matching,
    Kind.short_answer: _short, Kind.numeric: _numeric,
}


def _quiz_meta(ident: str, questions: Sequence[Question], meta: BankMeta) -> bytes:
    """Canvas's quiz settings: title, description, points; unpublished, answers not reshuffled."""
    root = ET.Element("quiz", {
        "identifier": ident, "xmlns": CANVAS_NS, "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd"})
    description = paragraphs(meta.description, f"Facts as of {meta.as_of_label or meta.as_of}.")
    for tag, text in (("title", one_line(meta.title)), ("description", description), ("shuffle_answers", "false"),
                      ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"),
                      ("points_possible", f"{len(questions)}.0"), ("show_correct_answers", "true"),
                      ("allowed_attempts", "1"), ("one_question_at_a_time", "false"), ("cant_go_back", "false"),
                      ("available", "false")):
        _sub(root, tag, text)
    return _xml(root)


def _manifest(ident: str, digest: str, meta: BankMeta) -> bytes:
    root = ET.Element("manifest", {
        "identifier": f"quizgen_manifest_{digest}", "xmlns": MANIFEST_NS, "xmlns:imsmd": IMSMD_NS,
        "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{MANIFEST_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
                              f"{IMSMD_NS} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd"})
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    lom = _sub(metadata, "imsmd:lom")
    _sub(_sub(_sub(lom, "imsmd:general"), "imsmd:title"), "imsmd:string", one_line(meta.title))
    date = _sub(_sub(_sub(lom, "imsmd:lifeCycle"), "imsmd:contribute"), "imsmd:date")
    _sub(date, "imsmd:dateTime", meta.as_of)
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    dependency = f"quizgen_dependency_{digest}"
    resource = _sub(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    _sub(resource, "file", href=f"{ident}/{ident}.xml")
    _sub(resource, "dependency", identifierref=dependency)
    meta_href = f"{ident}/assessment_meta.xml"
    extra = _sub(resources, "resource", identifier=dependency,
                 type="associatedcontent/imscc_xmlv1p1/learning-application-resource", href=meta_href)
    _sub(extra, "file", href=meta_href)
    return _xml(root)
