"""`quizgen check` on the shipped bank and on one small breakage per kind of mistake."""

import pytest
from bankcopy import edit, line_of
from click.testing import CliRunner

from quizgen.bank.loader import load_bank
from quizgen.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_shipped_bank_is_clean_and_every_quote_is_in_the_article(article):
    result = run("check", "--against", str(article))
    assert result.exit_code == 0, result.output
    assert "every quote found" in result.output


def test_shipped_bank_covers_the_article():
    bank = load_bank()
    assert len(bank.events) >= 40
    assert {"joe_biden", "olaf_scholz", "antony_blinken", "volodymyr_zelenskiy", "valerii_zaluzhnyi",
            "vladimir_putin", "emmanuel_macron", "john_herbst", "mikola_bielieskov"} <= set(bank.entities)
    assert {"leopard_tanks", "f16", "himars", "atacms", "taurus", "storm_shadow_scalp", "patriot",
            "caesar"} <= set(bank.entities)


# The status of every red line as of 31 May 2024, read from the article by hand.
EXPECTED_STATUS = {
    "strikes_on_russian_soil": "partly_lifted",      # Biden authorized strikes near Kharkiv and Sumi
    "atacms_against_russian_territory": "in_force",  # "Biden continues to prohibit its long-range ATACMS"
    "leopard_tank_supply": "lifted",                     # Berlin authorized them in January 2023
    "f16_transfer": "lifted",                        # "Biden finally gave his approval in August 2023"
    "taurus_supply": "in_force",                        # "Scholz continues to rule out sending German Taurus"
    "long_range_missile_supply": "lifted",                 # UK, France since 2023; U.S. ATACMS since spring
    "strikes_on_crimea": "lifted",                   # Biden's position shifted in August 2022
    "us_intelligence_on_russian_targets": "in_force",  # "something the White House refuses to provide"
    "nato_troops_in_action": "in_force",
    "ukraine_nato_membership": "in_force",           # "there will always be red lines"
    "nato_interception_from_poland_romania": "requested_by_ukraine",
    "attacks_on_russian_oil_facilities": "disregarded",   # "red lines that have also disappeared"
}


def test_status_of_every_red_line_as_of_the_bank_date():
    bank = load_bank()
    assert bank.info.as_of.label == "early June 2024"   # the article's own date; it gives none closer
    statuses = {r.id: r.status for r in bank.restrictions.values()}
    for rid, status in EXPECTED_STATUS.items():
        assert statuses.get(rid) == status, rid
    assert set(EXPECTED_STATUS) <= set(statuses)


def test_no_fact_more_precise_than_the_article():
    bank = load_bank()
    dates = {e.id: e.date.text for e in bank.events.values()}
    assert dates["biden_approves_f16"] == "2023-08"            # "in August 2023", not a day
    assert dates["germany_authorizes_leopard_tanks"] == "2023-01"
    # the press reported the secret authorization with Thursday's message of support; its own date is not given
    assert dates["biden_authorizes_strikes_near_kharkiv"] == "2024-05-late"
    assert bank.events["biden_authorizes_strikes_near_kharkiv"].date_inferred
    assert dates["us_supports_strikes_inside_russia"] == "2024-05-30"   # "finally, on Thursday"
    assert bank.events["us_supports_strikes_inside_russia"].date_note


def test_timeline_json_is_in_date_order():
    import json

    result = run("timeline", "--format", "json")
    rows = json.loads(result.stdout)
    assert {"id", "date", "date_label", "precision", "actors", "action", "subject", "summary",
            "source"} <= set(rows[0])
    bank = load_bank()
    events = [bank.events[r["id"]] for r in rows]
    for a, b in zip(events, events[1:]):
        assert not b.date.before(a.date), (a.id, b.id)
    f16 = next(r for r in rows if r["id"] == "biden_approves_f16")
    assert (f16["date"], f16["date_label"], f16["precision"]) == ("2023-08", "August 2023", "month")


def test_timeline_as_of_lists_every_red_line():
    result = run("timeline", "--as-of")
    assert result.exit_code == 0
    assert "as of early June 2024" in result.output
    assert "still in force" in result.output and "partly lifted" in result.output


BREAKAGES = [
    # (file, old text, new text, line to point at, words the message must contain)
    ("events.yaml", "actors: [joe_biden]", "actors: [joe_bidn]", "actors: [joe_bidn]",
     ["unknown entity 'joe_bidn'", "did you mean 'joe_biden'"]),
    ("events.yaml", "id: biden_approves_f16", "id: biden_opposes_crimea_attacks",
     "id: biden_opposes_crimea_attacks", ["duplicate id 'biden_opposes_crimea_attacks'"]),
    ("events.yaml", 'date: "2023-08"', 'date: "2023-02-30"', 'date: "2023-02-30"', ["impossible date"]),
    ("events.yaml", 'date: "2023-08"', 'date: "Aug 2023"', 'date: "Aug 2023"', ["cannot read date"]),
    ("events.yaml", "action: approved", "action: greenlit", "action: greenlit", ["action", "approved"]),
    ("events.yaml", "    action: approved\n", "    acter: approved\n", "acter: approved",
     ["unknown field 'acter'", "did you mean 'actors'"]),
    ("entities.yaml", "kind: person", "kind: 7", "kind: 7", ["kind"]),
]


@pytest.mark.parametrize("name,old,new,needle,words", BREAKAGES)
def test_each_mistake_is_reported_with_file_and_line(bank_copy, name, old, new, needle, words):
    bank = bank_copy
    edit(bank / name, old, new)
    result = run("check", "--bank", str(bank))
    assert result.exit_code == 1
    expected_line = line_of(bank / name, needle, last=True)
    matching = [line for line in result.output.splitlines() if f"{name}:{expected_line}:" in line]
    assert matching, result.output
    for word in words:
        assert word in matching[0], matching[0]


def test_event_without_a_quote_is_reported(bank_copy):
    bank = bank_copy
    edit(bank / "events.yaml", '    quote: "Biden finally gave his approval in August 2023"\n', "")
    result = run("check", "--bank", str(bank))
    assert result.exit_code == 1
    assert "missing required field 'quote'" in result.output
    assert "events.yaml:" in result.output


def test_quote_not_in_the_source_is_reported(article, bank_copy):
    bank = bank_copy
    edit(bank / "events.yaml", "Biden finally gave his approval in August 2023",
         "Biden finally gave his approval on 17 August 2023")
    result = run("check", "--bank", str(bank), "--against", str(article))
    assert result.exit_code == 1
    line = line_of(bank / "events.yaml", "id: biden_approves_f16")
    assert f"events.yaml:{line}:" in result.output
    assert "not found verbatim" in result.output


def test_every_problem_is_reported_at_once(bank_copy):
    bank = bank_copy
    edit(bank / "events.yaml", "actors: [joe_biden]", "actors: [nobody]", count=3)
    edit(bank / "entities.yaml", "kind: person", "kind: human")
    result = run("check", "--bank", str(bank))
    assert result.exit_code == 1
    assert result.output.count("error:") >= 4


def test_records_given_the_same_fields_share_one_set_of_them():
    """pydantic's set of the fields a record was given was over a quarter of a big bank's memory: one set per
    combination of fields now, and a copy that changes a field gets a set of its own."""
    events = list(load_bank().events.values())
    combinations = {frozenset(e.__pydantic_fields_set__) for e in events}
    assert len({id(e.__pydantic_fields_set__) for e in events}) == len(combinations) < len(events)
    record = next(e for e in events if "ongoing" not in e.__pydantic_fields_set__)
    before = set(record.__pydantic_fields_set__)
    assert "ongoing" in record.model_copy(update={"ongoing": True}).__pydantic_fields_set__
    assert record.__pydantic_fields_set__ == before
