"""Every reply and notification, in every language, filled in with realistic worst-case values —
the longest type name and status of that language, a long address, a long staff note, the longest
lists — costs at most two SMS segments in its real encoding (GSM-7 or UCS-2)."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest

from backend.catalog.translate import localized
from backend.i18n.catalogs import LANGUAGES
from backend.i18n.messages import MESSAGES, say, status_name
from backend.notify import templates
from backend.notify.segments import fits, segments
from backend.service_requests.models import RequestView
from sms.channel import sms_bot
from sms.dialog import STEPS, Turn
from sms.parse import Parsed
from sms.store import Conversation

TRACKING_NUMBER = "SR26-00012345"
ADDRESS = "S Dr Martin Luther King Jr Dr & E 47th St"  # among the longest a place is shown as
NOTE = "Crew inspected the site and scheduled the repair for next week; " * 8
# replies filled in by the dialog itself (lists, staff notes): walked below
BY_THE_DIALOG = {"choose_type", "pick_location", "question_choices", "status_many", "status_one",
                 "notify.status_changed", "offer_follow_place"}  # fmt: skip
# ... and who serves a place, shortened to fit by sms/where.py (tests/sms/test_where.py walks them)
BY_THE_DIALOG |= {key for key in MESSAGES if key.startswith("where_") and key != "where_ask_place"}
# ... and a police report's confirmation, its address shortened to fit by sms/police.py
# (tests/police/test_sms_police.py)
BY_THE_DIALOG |= {"police.confirm"}


def _longest(names) -> str:
    return max(names, key=lambda n: len(n.encode("utf-16-le")))


def _worst(services, language: str) -> dict[str, object]:
    types = [localized(t, language) for t in services.catalog.types if t.active]
    labels = [q.label for t in types for q in t.questions]
    statuses = [k.removeprefix("status.") for k in MESSAGES if k.startswith("status.")]
    return {
        "tracking_number": TRACKING_NUMBER,
        "original": TRACKING_NUMBER,  # note.duplicate_of: the request it duplicates
        "service": _longest(t.name for t in types),
        "first": _longest(t.name for t in types),
        "second": _longest(t.name for t in types),
        "status": _longest(status_name(language, s) for s in statuses),
        "address": ADDRESS,
        "label": _longest(labels),
        "options": "1-15",
        "note": NOTE[:80],
        "hours": "22:00-07:00",
        "time": "08:00",
        "n": 99,
        "outside_phone": "(312) 744-5000",
        **_police_worst(services, language),
    }


def _police_worst(services, language: str) -> dict[str, object]:
    """A police report's longest values: kind, decline reason, district station."""
    import json

    from backend.geo.areas import DATA

    ars = localized(services.catalog.by_code("ARS"), language)
    stations = json.loads((DATA / "police_stations.json").read_text())
    street = _longest(s["address"] for s in stations)
    reasons = [say(language, k) for k in MESSAGES if k.startswith("police.decline.")]
    return {
        "kind": _longest(c.name for c in ars.questions[0].choices),
        "rd_number": "JK100042",
        "reason": _longest(reasons),
        "station": say(
            language, "police.station", district=25, address=street, phone="312-746-8605"
        ),  # fmt: skip
        "district": 25,
        "name": _longest(s["name"] for s in stations),
        "phone": "312-746-8605",
    }


def _blanks(key: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(MESSAGES[key]) if f}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_fits_two_segments_at_its_longest(services, language):
    worst = _worst(services, language)
    too_long = {}
    for key in MESSAGES:
        if key in BY_THE_DIALOG or key.startswith("digest."):  # a digest is several updates
            continue
        if key.startswith("console."):  # read out by an operator on the phone, never texted
            continue
        text = say(language, key, **{name: worst[name] for name in _blanks(key)})
        if not fits(text):
            too_long[key] = (segments(text), len(text), text)
    assert not too_long, too_long


def _turn(language: str, draft: dict) -> Turn:
    conv = Conversation("+13125550100", language=language, state="choose_type", draft=draft)
    return Turn(conv, "", Parsed("answer", language), "SM1", datetime.now(UTC))


@pytest.mark.parametrize("language", LANGUAGES)
def test_lists_show_what_fits_and_answer_by_what_was_shown(services, language):
    bot = sms_bot(services)
    longest = sorted(
        (t for t in services.catalog.types if t.active),
        key=lambda t: -len(localized(t, language).name.encode("utf-16-le")),
    )[:3]
    turn = _turn(language, {"choices": [t.code for t in longest]})
    reply = STEPS["choose_type"].prompt(bot, turn)
    assert fits(reply), reply
    shown = turn.draft["choices"]
    assert 1 <= len(shown) <= 3 and f"{len(shown)}) " in reply
    assert f"{len(shown) + 1}) " not in reply

    places = [[f"{n}00 {ADDRESS}", 41.8, -87.6] for n in (1, 2, 3)]
    turn = _turn(language, {"candidates": places})
    reply = STEPS["pick_location"].prompt(bot, turn)
    assert fits(reply) and len(turn.draft["candidates"]) >= 1, reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_long_staff_note_is_cut_to_fit(services, language):
    worst = _worst(services, language)
    view = RequestView(
        id=1, tracking_number=TRACKING_NUMBER, service_code="XX", service_name=str(worst["service"]),
        status="closed_not_fixed", description="", address=ADDRESS, lat=41.8, long=-87.6,
        community_area=None, latest_public_note=NOTE, created_at=datetime.now(UTC),
        updated_at=datetime.now(UTC), closed_at=None, photo_uids=[],
    )  # fmt: skip
    text = templates.status_changed(language, view, NOTE)
    assert fits(text) and (language == "en" or "..." in text), text
    assert fits(templates.running_late(language, view))
    assert fits(templates.fixed_check(language, view))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_offer_to_follow_names_the_place_only_when_it_fits(services, language):
    bot, worst = sms_bot(services), _worst(services, language)
    duplicate = [TRACKING_NUMBER, worst["service"], "closed_not_fixed"]
    turn = _turn(language, {"duplicate": duplicate, "address": ADDRESS})
    reply = STEPS["offer_follow"].prompt(bot, turn)
    assert fits(reply) and TRACKING_NUMBER in reply, reply
    assert turn.draft["offer_placed"] == (ADDRESS in reply)
    turn = _turn(language, {"duplicate": [TRACKING_NUMBER, "Pothole", "open"], "address": ADDRESS})
    assert ADDRESS in STEPS["offer_follow"].prompt(bot, turn) and turn.draft["offer_placed"]
