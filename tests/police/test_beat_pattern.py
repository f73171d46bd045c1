"""A beat's meeting pattern read from its past meetings, and the dates it projects (pure)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from backend.police.beat_pattern import EVEN, EVERY, LOCAL, ODD, Past, clean_place, infer


def _met(*days: str, at: str = "18:30", place: str = "Bucktown Library1701 N. Milwaukee"):
    return [Past(datetime.fromisoformat(f"{d}T{at}").replace(tzinfo=LOCAL), place) for d in days]


def test_fourth_wednesday_of_odd_months_from_beat_1434s_last_year():
    # beat 1434's published meetings of 2018, and an older regime (third Wednesdays) before it
    older = _met("2017-06-21", "2017-08-16", "2017-10-18", at="18:00", place="Old place 1 N State")
    latest = _met(
        "2018-01-24", "2018-03-28", "2018-05-23", "2018-07-25", "2018-09-26", "2018-11-28"
    )
    pattern = infer(older + latest)
    assert (pattern.weekday, pattern.week, pattern.months, pattern.at) == (2, 4, ODD, time(18, 30))
    assert pattern.location == "Bucktown Library 1701 N. Milwaukee"
    assert pattern.describe() == (
        "fourth Wednesday of odd months, 6:30 pm, at Bucktown Library 1701 N. Milwaukee"
    )
    after = datetime(2027, 1, 28, 9, 0, tzinfo=LOCAL)  # any date; the day after January's
    assert [d.date().isoformat() for d in pattern.after(after, 3)] == [
        "2027-03-24", "2027-05-26", "2027-07-28",
    ]  # fmt: skip
    assert all(d > after and d.hour == 18 and d.minute == 30 for d in pattern.after(after, 3))


def test_the_same_day_projects_only_when_the_meeting_is_still_ahead():
    pattern = infer(_met("2018-01-24", "2018-03-28", "2018-05-23"))
    morning = datetime(2027, 1, 27, 8, 0, tzinfo=LOCAL)  # any date
    assert pattern.after(morning, 1)[0] == datetime(2027, 1, 27, 18, 30, tzinfo=LOCAL)  # any date
    assert pattern.after(morning + timedelta(hours=11), 1)[0].month == 3


def test_last_weekday_even_months_and_monthly():
    # 2018: the last Wednesday of even months (one of them the fifth)
    last = infer(_met("2018-02-28", "2018-04-25", "2018-06-27", "2018-08-29", "2018-12-26"))
    assert (last.week, last.months) == (-1, EVEN)
    assert last.day_in(2027, 6).isoformat() == "2027-06-30"
    assert "last Wednesday of even months" in last.describe()
    monthly = infer(_met("2018-01-02", "2018-02-06", "2018-03-06", "2018-04-03", at="19:00"))
    assert (monthly.week, monthly.months, monthly.at) == (1, EVERY, time(19))
    assert "first Tuesday of each month, 7:00 pm" in monthly.describe()


def test_too_little_history_has_no_pattern():
    assert infer([]) is None
    assert infer(_met("2018-01-24")) is None
    assert infer(_met("2018-01-24", "2018-01-24")) is None  # the same meeting in two calendars


def test_places_are_cleaned_up():
    assert clean_place("Pulaski Park1419 W. Blackhawk") == "Pulaski Park 1419 W. Blackhawk"
    assert clean_place("  St. Ferdinand's3115   N. Mason ") == "St. Ferdinand's 3115 N. Mason"
    assert len(clean_place("x" * 500)) == 80
