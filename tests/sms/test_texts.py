"""The bot's replies: every key in every language, and their length in SMS segments with realistic
values filled in — English in one segment wherever possible, no reply in any language over two."""

from __future__ import annotations

import string

import pytest

from backend.i18n.catalogs import LANGUAGES
from backend.i18n.messages import MESSAGES, say
from backend.notify.segments import segments

SAMPLE = {
    "tracking_number": "SR26-00012345",
    "original": "SR26-00012344",  # note.duplicate_of: the request it duplicates
    "service": "Rodent Baiting/Rat Complaint",
    "first": "Pothole in Street Complaint",  # two problems in one text
    "second": "Street Light Out Complaint",
    "status": "in progress",
    "address": "1845 W Cortland St",
    "label": "Where have you seen rats?",
    "options": "1) Alley 2) Yard 3) Inside a building 4) Sewer",
    "reason": "answers.NUMBER_OF_CARTS: must be a whole number",
    "note": " Note: crew sent",
    "hours": "22:00-07:00",
    "time": "08:00",
    "lines": "SR26-00012345 Pothole in Street Complaint: received; "
    "SR26-00012299 Graffiti Removal Request: completed",
    "outside_phone": "(312) 744-5000",
    # who serves 1845 W Cortland St
    "ward": 32,
    "alderman": "Scott Waguespack",
    "office": "2657 N Clybourn Ave",
    "phone": "(773) 248-1330",
    "ward_phone": "(773) 248-1330",
    "district": 14,
    "name": "Shakespeare",
    "station": "2150 N California Ave",
    "station_phone": "312-744-8250",
    "beat": "1434",
    "date": "Wednesday, March 24",
    "place": "1701 N. Milwaukee - Bucktown Library",
    # a police report
    "kind": "Theft from a vehicle",
    "rd_number": "JK100042",
}
# Not texted: what the operator console reads out to a caller on the phone.
SPOKEN = ("console.",)
# Replies that carry a list (of types, places, answers or requests): two segments allowed in English.
LISTS = {"choose_type", "pick_location", "question_choices", "bad_choice", "status_many"}
# ... and HELP (with the number for callers outside the city), and who serves a place (names,
# offices and phones)
LISTS |= {"help"} | {k for k in MESSAGES if k.startswith("where_") and k != "where_ask_place"}


def _filled(language: str, key: str) -> str:
    names = {f for _, f, _, _ in string.Formatter().parse(MESSAGES[key]) if f}
    return say(language, key, **{name: SAMPLE[name] for name in names})


@pytest.mark.parametrize(
    "key",
    sorted(k for k in MESSAGES if not k.startswith(("status.", "notify.", "digest.", *SPOKEN))),
)
def test_english_replies_fit_one_segment(key):
    assert segments(_filled("en", key)) <= (2 if key in LISTS else 1), _filled("en", key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_reply_exceeds_two_segments(language):
    too_long = {
        key: segments(_filled(language, key))
        for key in MESSAGES
        if not key.startswith(("status.", "notify.", "digest.", *SPOKEN))
        and segments(_filled(language, key)) > 2
    }
    assert not too_long, too_long


def test_segments_are_counted_as_carriers_do():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("ż" * 70) == 1 and segments("ż" * 71) == 2  # Polish letters: UCS-2
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2  # extended GSM: two units


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_question_is_asked_in_pages_of_two_segments(services, language):
    from datetime import UTC, datetime

    from sms.parse import Parsed
    from sms.steps import _pages, question_text
    from sms.store import Conversation
    from sms.turns import Turn

    conv = Conversation("+13125550100", language=language)
    turn = Turn(conv, "", Parsed("answer", language), "SM1", datetime.now(UTC))
    asked = 0
    from backend.catalog.translate import localized

    for service in (localized(s, language) for s in services.catalog.types):
        for q in (q for q in service.questions if q.choices):
            pages = _pages(turn, q)
            assert sorted(i for page in pages for i in page) == list(range(len(q.choices)))
            for page in range(len(pages)):
                conv.draft = {"page": page}
                text = question_text(turn, q)
                assert segments(text) <= 2, (service.code, q.code, text)
                asked += 1
    assert asked >= 50
