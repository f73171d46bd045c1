"""validate_answers: each datatype valid and invalid, required, unknown codes, collected errors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backend.catalog.answers import validate_answers
from backend.catalog.snapshot import Choice, Question
from backend.errors import InvalidInput


def question(code: str, datatype: str, required: bool = False, *keys: str) -> Question:
    choices = tuple(Choice(k, k.replace("_", " ").title()) for k in keys)
    return Question(code, f"{code.title()}?", "", datatype, required, 0, choices)


SURFACE = question("SURFACE", "singlevaluelist", True, "brick_unpainted", "cement",
                   "marble_granite")  # fmt: skip
WHERE_SEEN = question("WHERE_SEEN", "multivaluelist", False, "alley", "yard", "sewer")
DAYS_PARKED = question("DAYS_PARKED", "number", True)
MAKE = question("VEHICLE_MAKE", "string")
DETAILS = question("DETAILS", "text")
SEEN_AT = question("SEEN_AT", "datetime")
ALL = [SURFACE, WHERE_SEEN, DAYS_PARKED, MAKE, DETAILS, SEEN_AT]


def errors(questions, answers) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        validate_answers(questions, answers)
    return {e.field: e.message for e in caught.value.errors}


def test_all_datatypes_valid_and_normalized():
    result = validate_answers(
        ALL,
        {
            "SURFACE": "cement",
            "WHERE_SEEN": ["yard", "alley", "yard"],
            "DAYS_PARKED": "30",
            "VEHICLE_MAKE": "  Chevrolet ",
            "DETAILS": "Blue sedan,\nflat tires.",
            "SEEN_AT": "2025-06-01T14:30:00-05:00",
        },
    )
    assert result == {
        "SURFACE": "cement",
        "WHERE_SEEN": ["yard", "alley"],
        "DAYS_PARKED": 30,
        "VEHICLE_MAKE": "Chevrolet",
        "DETAILS": "Blue sedan,\nflat tires.",
        "SEEN_AT": "2025-06-01T14:30:00-05:00",
    }


def test_optional_answers_may_be_left_out_or_empty():
    result = validate_answers(
        ALL, {"SURFACE": "cement", "DAYS_PARKED": 7, "VEHICLE_MAKE": "  ", "WHERE_SEEN": []}
    )
    assert result == {"SURFACE": "cement", "DAYS_PARKED": 7}
    assert validate_answers([MAKE, SEEN_AT], None) == {}


@pytest.mark.parametrize(
    ("given", "stored"),
    [(12, 12), (2.5, 2.5), ("2.5", 2.5), (" 14 ", 14), ("1e2", 100), (3.0, 3), ("0", 0)]
    + [(2**53 - 1, 2**53 - 1), ("9007199254740991", 2**53 - 1)],
)
def test_numbers(given, stored):
    assert validate_answers([DAYS_PARKED], {"DAYS_PARKED": given}) == {"DAYS_PARKED": stored}


@pytest.mark.parametrize(
    "given",
    [True, False, "ten", "1,000", "NaN", float("inf"), -3, [1], {}]
    # too large to keep or to read: 2**53, a 5,000-digit string (int() refuses past 4,300)
    + [2**53, 10**30, 1e300, "9" * 33, "9" * 5000, "1e300"],
)
def test_bad_numbers(given):
    assert list(errors([DAYS_PARKED], {"DAYS_PARKED": given})) == ["answers.DAYS_PARKED"]


def test_datetime_needs_a_time_zone_and_is_stored_with_its_offset():
    assert validate_answers([SEEN_AT], {"SEEN_AT": "2025-06-01T19:30:00Z"}) == {
        "SEEN_AT": "2025-06-01T19:30:00+00:00"
    }
    moment = datetime(2025, 6, 1, 14, 30, tzinfo=timezone(timedelta(hours=-5)))  # any date
    assert validate_answers([SEEN_AT], {"SEEN_AT": moment}) == {
        "SEEN_AT": "2025-06-01T14:30:00-05:00"
    }
    for bad in [
        "2025-06-01T14:30:00",
        "2025-06-01",
        "yesterday",
        1748806200,
        datetime(2025, 6, 1),  # any date: no time zone is the fault
    ]:
        message = errors([SEEN_AT], {"SEEN_AT": bad})["answers.SEEN_AT"]
        assert message.startswith("answers.SEEN_AT: ")


def test_single_choice_accepts_key_or_name_and_stores_the_key():
    assert validate_answers([SURFACE], {"SURFACE": "Marble Granite"}) == {
        "SURFACE": "marble_granite"
    }
    assert validate_answers([SURFACE], {"SURFACE": "BRICK_UNPAINTED"}) == {
        "SURFACE": "brick_unpainted"
    }


def test_single_choice_rejects_other_values_listing_the_choices():
    message = errors([SURFACE], {"SURFACE": "marble"})["answers.SURFACE"]
    assert message == (
        "answers.SURFACE: 'marble' is not one of: brick_unpainted, cement, marble_granite"
    )
    assert "answers.SURFACE" in errors([SURFACE], {"SURFACE": ["cement"]})


def test_multi_choice():
    assert validate_answers([WHERE_SEEN], {"WHERE_SEEN": "alley, Sewer"}) == {
        "WHERE_SEEN": ["alley", "sewer"]
    }
    assert validate_answers([WHERE_SEEN], {"WHERE_SEEN": "yard"}) == {"WHERE_SEEN": ["yard"]}
    bad = errors([WHERE_SEEN], {"WHERE_SEEN": ["alley", "roof", "attic"]})
    message = bad["answers.WHERE_SEEN"]
    assert "'roof', 'attic' are not among: alley, yard, sewer" in message
    assert "answers.WHERE_SEEN" in errors([WHERE_SEEN], {"WHERE_SEEN": 3})


def test_required_multi_choice_must_not_be_empty():
    required = question("WHERE_SEEN", "multivaluelist", True, "alley", "yard")
    assert errors([required], {"WHERE_SEEN": []}) == {
        "answers.WHERE_SEEN": "answers.WHERE_SEEN is required (Where_Seen?)"
    }


def test_string_and_text_limits():
    assert validate_answers([MAKE], {"VEHICLE_MAKE": "x" * 500}) == {"VEHICLE_MAKE": "x" * 500}
    assert "at most 500" in errors([MAKE], {"VEHICLE_MAKE": "x" * 501})["answers.VEHICLE_MAKE"]
    assert validate_answers([DETAILS], {"DETAILS": "y" * 4000}) == {"DETAILS": "y" * 4000}
    assert "at most 4000" in errors([DETAILS], {"DETAILS": "y" * 4001})["answers.DETAILS"]
    assert "answers.VEHICLE_MAKE" in errors([MAKE], {"VEHICLE_MAKE": {"make": "Ford"}})
    assert validate_answers([MAKE], {"VEHICLE_MAKE": 1234567}) == {"VEHICLE_MAKE": "1234567"}


def test_required_missing():
    assert errors(ALL, {"SURFACE": "cement"}) == {
        "answers.DAYS_PARKED": "answers.DAYS_PARKED is required (Days_Parked?)"
    }
    assert set(errors(ALL, None)) == {"answers.SURFACE", "answers.DAYS_PARKED"}


def test_unknown_code():
    assert errors([MAKE], {"FOO": "bar"}) == {
        "answers.FOO": "answers.FOO: this service type has no question FOO"
    }


def test_answers_must_be_an_object():
    assert list(errors([MAKE], ["Ford"])) == ["answers"]


def test_all_errors_are_collected():
    with pytest.raises(InvalidInput) as caught:
        validate_answers(
            ALL,
            {"SURFACE": "marble", "WHERE_SEEN": ["roof"], "SEEN_AT": "noon", "FOO": 1},
        )
    fields = [e.field for e in caught.value.errors]
    assert sorted(fields) == sorted(
        ["answers.FOO", "answers.SURFACE", "answers.WHERE_SEEN", "answers.DAYS_PARKED",
         "answers.SEEN_AT"]
    )  # fmt: skip
    assert caught.value.status == 422
    assert all(e.message in caught.value.detail for e in caught.value.errors)
