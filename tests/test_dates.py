import pytest

from quizgen.bank.dates import PartialDate, Precision


@pytest.mark.parametrize("text,precision,label,iso", [
    ("2024-05-30", Precision.day, "30 May 2024", "2024-05-30"),
    ("2023-08", Precision.month, "August 2023", "2023-08"),
    ("2023", Precision.year, "2023", "2023"),
    ("2024-05-late", Precision.part_of_month, "late May 2024", "2024-05"),
    ("2022-early", Precision.part_of_year, "early 2022", "2022"),
    ("2024-spring", Precision.season, "spring 2024", "2024"),
])
def test_parse_label_iso(text, precision, label, iso):
    date = PartialDate.parse(text)
    assert (date.precision, date.label, date.iso) == (precision, label, iso)


@pytest.mark.parametrize("bad", ["2023-02-29", "2023-13", "May 2023", "2023-05-32", "", "2024-winterish"])
def test_bad_dates_are_refused(bad):
    with pytest.raises(ValueError):
        PartialDate.parse(bad)


def test_leap_day_is_fine():
    assert PartialDate.parse("2024-02-29").label == "29 February 2024"


@pytest.mark.parametrize("a,b,a_before_b,b_before_a", [
    ("2023", "2023-08", False, False),          # a year contains its months: neither is first
    ("2023-08", "2023-08-15", False, False),
    ("2022-early", "2022-08", True, False),
    ("2024-05-mid", "2024-05-30", True, False),
    ("2024-spring", "2024-05-30", False, False),
    ("2023-01", "2023-08", True, False),
    ("2024-05-30", "2024-05-31", True, False),
])
def test_precision_aware_order(a, b, a_before_b, b_before_a):
    da, db = PartialDate.parse(a), PartialDate.parse(b)
    assert da.before(db) is a_before_b
    assert db.before(da) is b_before_a


def test_months_between_needs_month_precision():
    assert PartialDate.parse("2023-01").months_until(PartialDate.parse("2023-08")) == 7
    assert PartialDate.parse("2023-01").months_until(PartialDate.parse("2024-05-30")) == 16
    assert PartialDate.parse("2023").months_until(PartialDate.parse("2024-05")) is None
    assert PartialDate.parse("2024-spring").months_until(PartialDate.parse("2024-05")) is None
