"""Hand-made questions of every kind, with hostile text, for renderer tests that need no bank."""
from __future__ import annotations

from quizgen.question import (
    BankMeta,
    ClozePart,
    Kind,
    Pair,
    Question,
    RestrictionStatus,
    SourceRef,
    TimelineEntry,
    stable_id,
)

SOURCE = SourceRef("From Leopard tanks to attacks on Russian soil", "a short <quote> & more", "EL PAÍS")
HOSTILE = "<script>alert(1)</script> & <b>bold</b> Зеленський"


def _q(template: str, kind: Kind, prompt: str, answer, **kw) -> Question:
    facts = kw.pop("facts", (template,))
    return Question(id=stable_id("sample", template, facts), bank="sample", template=template,
                    group=kw.pop("group", "Samples"), kind=kind, prompt=prompt, answer=answer,
                    facts=facts, source=SOURCE, tags=("quizgen::sample", f"kind::{kind.value}"),
                    explanation=kw.pop("explanation", "Because the article says so."), **kw)


def sample_questions() -> list[Question]:
    return [
        _q("mc", Kind.multiple_choice, "Who approved the F-16 transfer in August 2023?", "Joe Biden",
           choices=("Olaf Scholz", "Joe Biden", "Emmanuel Macron", "Antony Blinken")),
        _q("ms", Kind.multiple_select, "Which of these red lines were still in force as of 31 May 2024?",
           ("Taurus missiles", "NATO troops"),
           choices=("Taurus missiles", "Leopard tanks", "NATO troops", "F-16 fighters")),
        _q("tf", Kind.true_false, "True or false: Germany supplied Taurus missiles to Ukraine.", "False",
           choices=("True", "False")),
        _q("order", Kind.ordering, "Put these events in chronological order.",
           ("Berlin authorizes Leopard tanks", "Biden approves F-16s", "Biden authorizes strikes near Kharkiv"),
           choices=("Biden approves F-16s", "Biden authorizes strikes near Kharkiv",
                    "Berlin authorizes Leopard tanks")),
        _q("first", Kind.which_first, "Which came first?", "Berlin authorizes Leopard tanks",
           choices=("Biden approves F-16s", "Berlin authorizes Leopard tanks")),
        _q("match", Kind.matching, "Match each decision to the person who made it.",
           ("Leopard tanks → Olaf Scholz", "F-16s → Joe Biden"),
           pairs=(Pair("Leopard tanks", "Olaf Scholz"), Pair("F-16s", "Joe Biden")),
           choices=("Joe Biden", "Olaf Scholz")),
        _q("cloze", Kind.cloze, "In August 2023, Joe Biden approved the F-16 transfer.",
           ("August 2023", "Joe Biden"),
           cloze=(ClozePart("In "), ClozePart("August 2023", 1), ClozePart(", "), ClozePart("Joe Biden", 2),
                  ClozePart(" approved the F-16 transfer."))),
        _q("short", Kind.short_answer, "Which country donated the first six F-16s?", "Denmark",
           accepted=("Danish government",)),
        _q("num", Kind.numeric, "How many F-16s will Ukraine receive?", "90", unit="F-16s"),
        _q("quote", Kind.quote, "Who said: “This half-hearted step is better than nothing”?", "John Herbst",
           choices=("John Herbst", "Mikola Bielieskov", "Antony Blinken")),
        _q("hostile", Kind.multiple_choice, f"Which text is this: {HOSTILE}?", HOSTILE,
           choices=(HOSTILE, "plain & simple", "a < b > c"), explanation=f"Explained: {HOSTILE}"),
    ]


def sample_meta() -> BankMeta:
    return BankMeta(
        id="sample", title="Sample bank: red lines", deck_name="Sample", description="Hand-made questions.",
        language="en", as_of="2024-05-31", as_of_label="31 May 2024", source=SOURCE,
        timeline=(
            TimelineEntry("August 2022", "2022-08-01", "2022-08-31", "Strikes on Crimea", ("Joe Biden",),
                          "ends", "Biden's position on Crimea shifted.", "lifted"),
            TimelineEntry("January 2023", "2023-01-01", "2023-01-31", "Leopard tanks", ("Germany",),
                          "ends", "Berlin authorized the transfer of Leopard tanks.", "lifted"),
            TimelineEntry("August 2023", "2023-08-01", "2023-08-31", "F-16 fighters", ("Joe Biden",),
                          "ends", "Biden approved the F-16s.", "lifted"),
            TimelineEntry("30 May 2024", "2024-05-30", "2024-05-30", "Strikes on Russian soil", ("Joe Biden",),
                          "eases", "Biden authorized strikes near Kharkiv.", "partly lifted"),
        ),
        restrictions=(
            RestrictionStatus("Taurus missiles", "holds", "still in force", ("Germany",), "Scholz rules it out."),
            RestrictionStatus("NATO troops", "holds", "still in force", ("NATO",), "Macron proposed it."),
        ),
        restriction_word="red line", restrictions_word="red lines",
    )
