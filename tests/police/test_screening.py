"""Police report screening: the rules on answers, and the labelled texts (no 911 or firearm case
ever accepted; eligible incidents accepted at least 90% of the time)."""

from __future__ import annotations

import pytest

from backend.police.screening import Kind, Outcome, Reason, decide, read, screen_text, theft_kind
from tests.police.labelled import labelled_texts

CALM = {"offender_present": False, "needs_medical": False, "firearm": False}


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_is_taken_when_calm(kind):
    assert decide(kind, **CALM).outcome == Outcome.ELIGIBLE


@pytest.mark.parametrize(
    ("answers", "outcome", "reason"),
    [
        ({"offender_present": True}, Outcome.CALL_911, Reason.OFFENDER_PRESENT),
        ({"needs_medical": True}, Outcome.CALL_911, Reason.MEDICAL),
        ({"offender_known": True}, Outcome.DISTRICT, Reason.OFFENDER_KNOWN),
    ],
)
def test_what_rules_a_report_out(answers, outcome, reason):
    found = decide(Kind.VEHICLE_THEFT, **{**CALM, **answers})
    assert (found.outcome, found.reason) == (outcome, reason)


def test_a_firearm_is_never_taken():
    for kind in Kind:
        assert not decide(kind, **{**CALM, "firearm": True}).eligible
    # lost or stolen: the district station; used in the incident: 911
    assert decide(Kind.LOST_PROPERTY, **{**CALM, "firearm": True}).reason == Reason.FIREARM_LOST
    assert decide(Kind.SIMPLE_ASSAULT, **{**CALM, "firearm": True}).outcome == Outcome.CALL_911


def test_domestic_assault_is_911_and_an_unlisted_incident_goes_to_the_district():
    assert decide(Kind.SIMPLE_ASSAULT, **CALM, domestic=True).outcome == Outcome.CALL_911
    assert decide(None, **CALM).reason == Reason.NOT_TAKEN


def test_theft_under_or_over_500_by_value():
    assert theft_kind(None) == Kind.THEFT_UNDER_500
    assert theft_kind(500) == Kind.THEFT_UNDER_500
    assert theft_kind(500.01) == Kind.THEFT_OVER_500
    assert read("someone stole my $1,200 laptop").kind == Kind.THEFT_OVER_500


def test_a_car_broken_into_last_night_is_a_report_and_one_in_progress_is_911():
    assert screen_text("car was broken into last night").kind == Kind.TRESPASS_TO_VEHICLE
    assert screen_text("car was broken into last night").eligible
    assert screen_text("someone is breaking into my car right now").outcome == Outcome.CALL_911


def test_what_a_text_leaves_open_is_asked():
    facts = read("my bike was stolen, no one was hurt, they're long gone")
    assert (facts.offender_present, facts.needs_medical, facts.firearm) == (False, False, None)


def test_the_labelled_set():
    rows = labelled_texts()
    assert len(rows) >= 150
    assert {r.group for r in rows} == {"eligible", "911", "firearm", "district"}
    assert {r.language for r in rows} == {"en", "es", "pl", "zh"}
    results = [(r, screen_text(r.text)) for r in rows]
    dangerous = [r.text for r, s in results if r.group in ("911", "firearm") and s.eligible]
    assert dangerous == []  # never, in either part
    eligible = [s.eligible for r, s in results if r.group == "eligible"]
    assert sum(eligible) / len(eligible) >= 0.90
    held_out = [s.eligible for r, s in results if r.group == "eligible" and r.part == "held_out"]
    assert sum(held_out) / len(held_out) >= 0.90
