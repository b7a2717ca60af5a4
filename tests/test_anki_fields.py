"""Note fields are built as lists in each note type's field order (no dict by name): every value must be
under the name its note type gives that position, and the GUIDs' five-division base 91 must be genanki's."""
from samples import sample_questions

from quizgen.anki.fields import note_fields, text
from quizgen.anki.ids import note_guid
from quizgen.anki.models import NOTE_TYPES, SOURCE_FIELDS
from quizgen.question import Kind


def test_every_note_type_ends_with_the_source_fields_after_label():
    for note_type in NOTE_TYPES:
        assert note_type.fields[-len(SOURCE_FIELDS):] == SOURCE_FIELDS
        assert note_type.fields[1] == "Label"


def test_each_value_is_under_its_fields_name():
    questions = sample_questions()
    assert {q.kind for q in questions} == set(Kind)
    for q in questions:
        note_type, values = note_fields(q)
        assert len(values) == len(note_type.fields), q.kind
        named = dict(zip(note_type.fields, values))
        assert named["Explanation"] == text(q.explanation)
        assert (named["SourceTitle"], named["SourcePublisher"], named["SourceQuote"]) == (
            text(q.source.title), text(q.source.publisher), text(q.source.quote))
        assert named["Label"] and "<" not in named["Label"]
        if "Prompt" in named:
            assert named["Prompt"] == text(q.prompt)
        else:
            assert "{{c1::" in named["Text"]
        if "Key" in named:
            assert named["Choices"].count("<li>") == len(q.choices)
            assert named["Key"].count('class="right"') == len(q.answers)
        if "Order" in named:
            assert named["Order"].startswith('<ol class="qz-key">') and named["Items"].startswith("<ul>")
        if "Pairs" in named:
            assert named["Options"].startswith("Options: ") and named["Pairs"].startswith("<table")
        if "Answer" in named:
            assert q.answers[0] in named["Answer"]


def test_text_escapes_exactly_like_html_escape_when_needed():
    import html

    for value in ["plain words", "it's", 'a "quote"', "<b>&</b>", "two\nlines", "crlf\r\nend", "lone\rcr", ""]:
        assert text(value) == html.escape(value).replace("\r\n", "\n").replace("\n", "<br>")


def test_guids_agree_with_genanki_for_many_ids():
    """About one id in fifty hashes to a number with fewer than ten base-91 digits (a leading 'a' dropped)."""
    from genanki import guid_for

    ids = [f"q{i}" for i in range(5000)]
    guids = [note_guid(i) for i in ids]
    assert guids == [guid_for("quizgen", i) for i in ids]
    assert any(len(g) < 10 for g in guids)
