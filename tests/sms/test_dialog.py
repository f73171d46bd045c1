"""Whole SMS dialogs as data, through SmsBot on both engines: what a resident texts, and what the
bot must answer (a fragment of the reply, or None for silence), in English, Spanish, Polish and
Chinese; then what was filed."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.notify.tables import SmsConsent
from backend.service_requests.models import ListFilters, Subscriber
from sms.channel import sms_bot
from sms.dialog import Inbound
from tests.dates import CHICAGO, last_noon_in_chicago
from tests.factories import pothole

PHONE = "+13125550100"
_sids = itertools.count(1)


# The bot and the requests it files share one clock, starting at the latest noon in Chicago
# (outside the quiet hours, less than a day ago); tracking numbers carry its year.
START = last_noon_in_chicago()
SR = f"SR{START.astimezone(CHICAGO):%y}-"


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(services, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(services.requests, "clock", clock)
    return clock


@pytest.fixture
def bot(services, clock):
    bot = sms_bot(services)
    bot.clock = clock
    return bot


async def converse(bot, dialog, phone=PHONE, clock=None) -> list[str | None]:
    """Sends each text of `dialog` ([(text, expected fragment or None), …]) and checks each reply."""
    replies = []
    for sent, expected in dialog:
        if clock is not None:
            clock.now += timedelta(seconds=30)
        reply = await bot.handle(
            Inbound(f"SM{next(_sids):032x}", phone, sent, received_at=clock() if clock else None)
        )
        replies.append(reply)
        if expected is None:
            assert reply is None, f"{sent!r} got {reply!r}"
        else:
            assert reply is not None and expected.lower() in reply.lower(), (
                f"{sent!r}: expected {expected!r} in {reply!r}"
            )
    return replies


async def _filed(services, phone=PHONE):
    page = await services.requests.search(
        ListFilters(followed_by=Subscriber.phone(phone), limit=10)
    )
    return page.items


def _tracking_number(reply: str) -> str:
    return re.search(r"SR\d\d-\d{8}", reply).group()


# -- reports in four languages ------------------------------------------------------------------

REPORTS = {
    "en": [
        # type and place shown together, and the photo offered with them: YES files
        (
            "rats all over the alley behind 1845 W Cortland",
            "at 1845 W Cortland St - right? Reply YES, send a photo",
        ),
        ("yes", f"Your request is {SR}"),
    ],
    "es": [
        (
            "hay un bache muy hondo en 3300 W Fullerton",
            "en 3300 W Fullerton Ave, ¿correcto? Responda SI, envíe foto",
        ),
        ("si", "Responda con el número"),
        ("2", f"Su caso es {SR}"),
    ],
    "pl": [
        (
            "latarnia nie świeci na rogu Milwaukee i Belmont",
            "N Milwaukee Ave & W Belmont Ave - zgadza się? TAK, wyślij zdjęcie",
        ),
        ("tak", "Odpisz numerem"),
        ("1", f"Zgłoszenie {SR}"),
    ],
    "zh": [
        ("垃圾没有收 1500 W Chicago Ave", "在 1500 W Chicago Ave，对吗？请回复 是，发送照片"),
        ("是", "请回复数字"),
        ("1", f"您的编号是 {SR}"),
    ],
}
EXPECTED = {"en": "SGA", "es": "PHF", "pl": "SFD", "zh": "SCC"}


@pytest.mark.parametrize("language", sorted(REPORTS))
async def test_a_texted_report_becomes_a_request(services, bot, clock, language):
    replies = await converse(bot, REPORTS[language], clock=clock)
    (request,) = await _filed(services)
    assert request.tracking_number == _tracking_number(replies[-1] or "")
    assert request.service_code == EXPECTED[language]
    assert request.ward is not None and request.police_beat is not None
    subscribers = await services.requests.subscribers(request.tracking_number)
    assert subscribers == [Subscriber.phone(PHONE, language)]
    history = await services.requests.history(request.tracking_number, public_only=False)
    assert history[0].channel == "sms" and PHONE not in history[0].actor


async def test_what_the_text_already_says_is_not_asked(services, bot, clock):
    await converse(bot, REPORTS["en"], clock=clock)
    (request,) = await _filed(services)
    row = await services.reader.fetchrow(
        "SELECT answers, reporter_phone, description FROM service_request WHERE id = $1",
        request.id,
    )
    assert "alley" in row["answers"]  # "…the alley…": rats seen in the alley, not asked
    assert row["reporter_phone"] == PHONE  # kept privately with the request
    assert row["description"].startswith("rats all over")
    assert PHONE not in str(request)  # the public view never carries it


async def test_an_unclear_problem_gets_numbered_choices(services, bot, clock):
    await converse(
        bot,
        [
            ("garbage", "Which fits best? 1) Fly Dumping Complaint 2) Garbage Cart Maintenance"),
            ("9", "Please reply with one of the numbers"),
            ("2", "Where is it?"),
            ("Damen and Division", "at N Damen Ave & W Division St - right?"),
            ("no", "Where is it?"),
            ("1845 w cortland", "at 1845 W Cortland St - right?"),
            ("y", "Reply with a number"),
            ("1", "How many"),
            ("lots", "reply with a number"),
            ("2", SR),  # the photo was offered with the confirmation
        ],
        clock=clock,
    )
    (request,) = await _filed(services)
    assert request.service_code == "SIE" and request.address == "1845 W Cortland St"


async def test_a_place_without_a_problem_asks_what_it_is(services, bot, clock):
    await converse(
        bot,
        [
            ("there's a problem at 1845 w cortland", "What is the problem?"),
            ("a deep pothole", "at 1845 W Cortland St - right?"),
        ],
        clock=clock,
    )


async def test_an_ambiguous_address_is_a_question(services, bot, clock):
    await converse(
        bot,
        [
            ("pothole at 4500 Kedzie", "Which one?"),
            ("2", "Pothole in Street Complaint at 4500 N Kedzie Ave - right?"),  # the type too
            ("yes", "Reply with a number"),
            ("1", SR),
        ],
        clock=clock,
    )
    (request,) = await _filed(services)
    assert request.address == "4500 N Kedzie Ave"


async def test_a_first_text_placed_outside_chicago_says_so(services, bot, clock):
    await converse(
        bot,
        [
            ("pothole at 10600 S Pulaski Rd", "outside Chicago"),
            ("1845 w cortland", "at 1845 W Cortland St - right?"),
        ],
        clock=clock,
    )


async def test_a_place_outside_chicago_is_refused(services, bot, clock):
    await converse(bot, [("pothole", "Where is it?")], clock=clock)
    # Evanston's Main St is not in Chicago's street files: not found, asked again.
    await converse(bot, [("1000 Nowhere Blvd", "couldn't find")], clock=clock)
    assert await _filed(services) == []


# -- never a ticket for an emergency, never a text after STOP -----------------------------------


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("my neighbors house is on fire", "call 911"),
        ("a live wire is down on my street at 1845 W Cortland", "call 911"),
        ("huele a gas en la cocina", "911"),
        ("ktoś jest ranny, wypadek na rogu Milwaukee i Belmont", "911"),
    ],
)
async def test_an_emergency_is_never_filed(services, bot, clock, text, fragment):
    await converse(bot, [(text, fragment)], clock=clock)
    assert await _filed(services) == []


async def test_stop_means_silence_until_start(services, bot, clock):
    await converse(
        bot,
        [
            ("pothole at 1845 w cortland", "- right?"),
            ("STOP", "NEVERMIND"),  # how to come back, and how to drop just a report
            ("yes", "City311 texts again"),  # YES after a STOP opts back in
            ("pothole at 1845 w cortland", "- right?"),  # the draft was dropped at STOP
            ("unsubscribe", "START"),
            ("pothole at 1845 w cortland", None),
            ("status", None),
            ("START", "City311 texts again"),
        ],
        clock=clock,
    )
    consent = await SmsConsent.select().where(SmsConsent.phone == PHONE).first()
    assert consent["opted_out"] is False
    assert await _filed(services) == []


# -- one resident across channels: follow, status, duplicates -----------------------------------


async def _existing_pothole(services) -> str:
    return (await services.requests.submit(pothole())).request.tracking_number


async def test_a_report_already_filed_nearby_is_offered_to_follow(services, bot, clock):
    existing = await _existing_pothole(services)
    view = await services.requests.get(existing)
    await converse(
        bot,
        [
            # offered as soon as type and place are known: before the confirmation and its photo
            (
                f"pothole on {view.address.removeprefix('near ')}",
                f"already reported near {view.address.removeprefix('near ')}: {existing}",
            ),
            ("FOLLOW", f"updates on {existing}"),
        ],
        clock=clock,
    )
    assert [r.tracking_number for r in await _filed(services)] == [existing]


async def test_new_files_anyway(services, bot, clock):
    existing = await _existing_pothole(services)
    view = await services.requests.get(existing)
    await converse(
        bot,
        [
            # the offer names the type and the place: NEW says both are right
            (
                f"pothole on {view.address.removeprefix('near ')}",
                f"already reported near {view.address.removeprefix('near ')}: {existing}",
            ),
            ("NEW", "Reply with a number"),  # the type's question; the photo is not asked
            ("2", f"Your request is {SR}"),
        ],
        clock=clock,
    )
    assert len(await _filed(services)) == 1  # its own (the other is not followed)


async def test_no_to_the_offer_goes_on_to_the_confirmation(services, bot, clock):
    existing = await _existing_pothole(services)
    view = await services.requests.get(existing)
    await converse(
        bot,
        [
            (f"pothole on {view.address.removeprefix('near ')}", "already reported"),
            ("no", "- right? Reply YES, send a photo"),
            ("no, it's rats", "Rodent Baiting/Rat Complaint"),  # no rats reported there
            ("yes", "Where have you seen rats?"),
            ("alley", SR),
        ],
        clock=clock,
    )


async def test_status_and_follow_by_tracking_number(services, bot, clock):
    existing = await _existing_pothole(services)
    short = f"sr {existing[2:4]} " + existing.split("-")[1].lstrip("0")
    await converse(
        bot,
        [
            ("STATUS", "No requests from this number"),
            (f"STATUS {existing}", f"{existing} Pothole in Street Complaint: received"),
            (f"what's the status of {short}", existing),
            ("FOLLOW SR26-09999999", "can't find SR26-09999999"),
            (f"FOLLOW {existing}", f"updates on {existing}"),
            ("STATUS", f"Your latest: {existing}"),
        ],
        clock=clock,
    )
    await services.requests.transition(existing, "in_progress", actor="staff:1", channel="staff")
    await converse(bot, [(f"status {existing}", "in progress")], clock=clock)


async def test_keywords_in_each_language(services, bot, clock):
    await converse(
        bot,
        [
            ("LANG ES", "español"),
            ("HELP", "diga el problema"),
            ("bache", "¿Dónde está?"),
            ("RESET", "el reporte se borró"),
            ("LANG PL", "po polsku"),
            ("dziura w jezdni", "Gdzie?"),
            ("LANG ZH", "中文"),
            ("RESET", "报告已取消"),
            ("LANG EN", "English"),
            ("what is this", "Sorry, I didn't get that"),
        ],
        clock=clock,
    )


async def test_information_and_police_reports_get_a_pointer(services, bot, clock):
    await converse(
        bot,
        [
            ("how much is a city sticker", "chicago.gov/311"),
            # a police report has a dialog of its own (tests/police/test_sms_police.py)
            ("someone stole my bike last night", "Police report: is the person"),
        ],
        clock=clock,
    )
    assert await _filed(services) == []


# -- the conversation itself --------------------------------------------------------------------


async def test_a_retried_message_is_answered_once(services, bot, clock):
    await converse(bot, REPORTS["en"][:1], clock=clock)
    last = Inbound("SM" + "f" * 32, PHONE, "yes", received_at=clock())
    first = await bot.handle(last)
    again = await bot.handle(last)  # Twilio's retry: same MessageSid
    assert first == again and SR in first
    assert len(await _filed(services)) == 1


async def test_a_draft_expires_after_30_idle_minutes(services, bot, clock):
    await converse(bot, [("pothole at 1845 w cortland", "- right?")], clock=clock)
    clock.now += timedelta(minutes=31)
    await converse(bot, [("yes", "Sorry, I didn't get that")], clock=clock)


async def test_too_many_messages_get_one_polite_reply(services, bot, clock):
    replies = await converse(bot, [("what", "Sorry")] * 20, clock=None)
    assert len(replies) == 20
    await converse(bot, [("what", "many messages"), ("what", None)])
    await converse(bot, [("STOP", "START")])  # STOP is honoured even then
    assert await bot.store.opted_out(PHONE)


async def test_the_rate_limit_counts_only_the_last_ten_minutes(services, bot, clock):
    await converse(bot, [("what", "Sorry")] * 20 + [("what", "many messages")], clock=clock)
    clock.now += timedelta(minutes=10)  # the first 20 texts are now more than 10 minutes old
    await converse(bot, [("what", "Sorry")], clock=clock)


async def test_messages_since_counts_from_the_very_moment(services, bot):
    at = datetime(2026, 11, 29, 15, 0, 0, 123456, tzinfo=UTC)  # any date
    await bot.store.claim("SMedge", PHONE, "hi", 0, at, "holder", at)
    chicago = at.astimezone(ZoneInfo("America/Chicago"))  # the same moment, another offset
    assert await bot.store.messages_since(PHONE, at - timedelta(seconds=1)) == 1
    assert await bot.store.messages_since(PHONE, chicago) == 1
    assert await bot.store.messages_since(PHONE, at + timedelta(microseconds=1)) == 0
    assert await bot.store.messages_since("+13125550199", at - timedelta(days=1)) == 0


async def test_a_long_text_is_read_up_to_twilios_limit(services, bot, clock):
    text = "pothole at 1845 w cortland " + "very deep " * 400
    await converse(bot, [(text, "at 1845 W Cortland St - right?")], clock=clock)


async def test_conversations_survive_a_restart(services, clock):
    first = sms_bot(services)
    first.clock = clock
    await converse(first, [("pothole at 1845 w cortland", "- right?")], clock=clock)
    second = sms_bot(services)  # a new process: only the database remembers
    second.clock = clock
    await converse(second, [("yes", "Reply with a number")], clock=clock)


async def test_a_long_list_of_answers_comes_in_pages(services, bot, clock):
    replies = await converse(
        bot,
        [
            ("graffiti on the wall at 1845 w cortland", "at 1845 W Cortland St - right?"),
            ("yes", "0) more"),
            ("0", "0) more"),  # the next page
            ("99", "one of the numbers: 1-"),
        ],
        clock=clock,
    )
    first, second = replies[1], replies[2]
    assert "1) " in first and "1) " not in second  # numbering runs on across pages
    number = int(re.search(r"(\d+)\) ", second or "").group(1))
    reply = await converse(bot, [(str(number), "Reply with a number")], clock=clock)
    assert reply


# -- every path in every language ---------------------------------------------------------------

WORDS = {
    "en": {"pothole": "pothole at", "garbage": "garbage", "yes": "yes", "skip": "skip",
           "follow": "FOLLOW", "new": "NEW", "status": "status"},
    "es": {"pothole": "bache en", "garbage": "basura", "yes": "si", "skip": "omitir",
           "follow": "SEGUIR", "new": "NUEVO", "status": "estado"},
    "pl": {"pothole": "dziura na", "garbage": "drzewo", "yes": "tak", "skip": "pomiń",
           "follow": "OBSERWUJ", "new": "NOWE", "status": "status"},
    "zh": {"pothole": "坑洞", "garbage": "垃圾", "yes": "是", "skip": "跳过",
           "follow": "关注", "new": "新", "status": "查询"},
}  # fmt: skip


POTHOLE = {  # the type's name in each language (backend/i18n, catalog.po)
    "en": "Pothole in Street Complaint",
    "es": "Bache en la calle",
    "pl": "Dziura w jezdni",
    "zh": "街道坑洞",
}


def said(language: str, key: str) -> str:
    """The fixed start of a reply in that language (up to its first blank)."""
    from backend.i18n.catalogs import translation
    from backend.i18n.messages import MESSAGES

    return translation("messages", language).pgettext(key, MESSAGES[key]).split("{")[0][:14]


def _at(language: str, what: str, place: str) -> str:
    return f"{place} 有{what}" if language == "zh" else f"{what} {place}"


@pytest.mark.parametrize("language", sorted(WORDS))
async def test_every_path_in_every_language(services, bot, clock, language):
    w = WORDS[language]
    # an address that fits two places: a numbered choice, the confirmation (which offers the
    # photo), the type's question, filed
    await converse(
        bot,
        [
            (_at(language, w["pothole"], "4500 Kedzie"), said(language, "pick_location")),
            ("2", "4500 N Kedzie Ave"),  # the type and the place picked, to confirm
            (w["yes"], said(language, "question_choices")[-6:] or "1)"),
            ("1", f"{SR}00000001"),
        ],
        clock=clock,
    )
    # a problem that could be several types: numbered choices, then where
    await converse(
        bot,
        [(w["garbage"], said(language, "choose_type")), ("2", said(language, "ask_location"))],
        clock=clock,
    )
    await converse(bot, [("RESET", said(language, "dropped"))], clock=clock)
    # already reported within 50 m: FOLLOW it
    address = "4500 N Kedzie Ave"
    await converse(
        bot,
        [
            # offered once type and place are known, before the confirmation and its photo
            (_at(language, w["pothole"], address), f"{SR}00000001"),
            (w["follow"], f"{SR}00000001"),
        ],
        clock=clock,
    )
    # status of it, by number; STOP and START
    await converse(
        bot,
        [
            (f"{w['status']} {SR}00000001", f"{SR}00000001 {POTHOLE[language]}"),
            ("STOP", "START"),
            (w["status"], None),
            ("START", said(language, "start")),
        ],
        clock=clock,
    )
    assert [r.tracking_number for r in await _filed(services)] == [f"{SR}00000001"]
