"""The SMS police report dialog as data, on both engines, in English, Spanish, Polish and Chinese:
screened first (911 and district cases answered at once, nothing filed), then where, when, what
and its worth, serial numbers, YES; every reply within two SMS segments. "Connect me to my
district" gets the district's desk phone. A filed report is in no public list."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest

from backend.notify.segments import segments
from backend.service_requests.models import ListFilters, Subscriber
from sms.channel import sms_bot
from sms.dialog import Inbound
from tests.dates import last_noon_in_chicago

PHONE = "+13125550177"
_sids = itertools.count(1)


class Clock:
    def __init__(self) -> None:
        self.now = last_noon_in_chicago()

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


async def converse(bot, clock, dialog) -> list[str]:
    replies = []
    for sent, expected in dialog:
        clock.now += timedelta(seconds=30)
        reply = await bot.handle(Inbound(f"SM{next(_sids):032x}", PHONE, sent, received_at=clock()))
        assert reply is not None and expected.lower() in reply.lower(), (
            f"{sent!r}: expected {expected!r} in {reply!r}"
        )
        assert segments(reply) <= 2, reply
        replies.append(reply)
    return replies


async def _count(services) -> int:
    return (await services.reader.fetch("SELECT COUNT(*) AS n FROM police_report"))[0]["n"]


def _tracking_number(reply: str) -> str:
    return next(w.strip(".,") for w in reply.split() if w.startswith("SR"))


async def test_car_broken_into_last_night_is_a_police_report(services, bot, clock):
    replies = await converse(
        bot,
        clock,
        [
            ("car was broken into last night at 1845 w cortland", "still there"),
            ("no", "medical help"),
            ("no", "gun"),
            ("no", "when did it happen"),
            ("last night around 11", "what was taken"),
            ("nothing", "Alternate Response Section? Reply YES"),
            ("yes", "Sent to the Chicago Police Alternate Response Section as SR"),
        ],
    )
    report = await services.police.report(_tracking_number(replies[-1]))
    assert report.kind == "trespass_to_vehicle" and report.decision == "pending"
    assert report.answers["OCCURRED_AT"] == "last night around 11"
    assert report.request.address and "Cortland" in report.request.address
    # followed by the reporter's phone (told of the decision), yet in no public list
    assert await services.requests.subscribers(report.request.tracking_number) == [
        Subscriber.phone(PHONE, "en")
    ]
    page = await services.requests.search(ListFilters(followed_by=Subscriber.phone(PHONE)))
    assert page.items == []
    status = await converse(
        bot, clock, [(f"STATUS {report.request.tracking_number}", "can't find")]
    )
    assert "Cortland" not in status[0]


async def test_dangers_are_sent_to_911_and_guns_to_the_district(services, bot, clock):
    await converse(
        bot,
        clock,
        [
            ("someone is breaking into my car right now", "911"),
            ("my bike was stolen", "still there"),
            ("yes", "Call 911 now"),
            ("my wallet was stolen on the bus", "still there"),
            ("no", "medical"),
            ("no", "gun"),
            ("yes", "district station"),
            # any gun is an emergency to the SMS recogniser (sms/emergency.py), answered first
            ("someone stole my gun from my car at 1845 w cortland", "911"),
            ("a man pulled a knife and took my phone", "Call 911"),
            ("my neighbor stole my bike, i know who it was", "district station"),
            ("people are selling drugs in the alley", "Call your police district station"),
            ("i need to file a police report", "what happened"),
            ("someone took my wallet", "still there"),
        ],
    )
    assert await _count(services) == 0


async def test_a_report_in_spanish(services, bot, clock):
    replies = await converse(
        bot,
        clock,
        [
            ("me robaron el carro anoche", "la persona que lo hizo"),
            ("no", "atención médica"),
            ("no", "arma de fuego"),
            ("no", "Dónde pasó"),
            ("1845 W Cortland", "Cuándo pasó"),
            ("anoche como a las 10", "Qué se llevaron"),
            ("un honda civic gris, vale 8000 dolares", "Números de serie"),
            ("placa CH 55123", "Vehículo robado"),
            ("sí", "Enviado a la Policía de Chicago"),
        ],
    )
    report = await services.police.report(_tracking_number(replies[-1]))
    assert report.kind == "vehicle_theft"
    assert report.answers["ESTIMATED_VALUE"] == 8000
    assert report.answers["SERIAL_NUMBERS"] == "placa CH 55123"


async def test_a_report_in_polish(services, bot, clock):
    replies = await converse(
        bot,
        clock,
        [
            ("ukradli mi rower spod domu", "Czy sprawca"),
            ("nie", "pomocy medycznej"),
            ("nie", "broń palna"),
            ("nie", "Gdzie"),
            ("1845 W Cortland", "Kiedy"),
            ("wczoraj wieczorem", "Co zabrano"),
            ("rower trek, 400 dolarow", "Numery seryjne"),
            ("nie", "Zgłoszenie"),
            ("tak", "Wysłano do policji Chicago"),
        ],
    )
    report = await services.police.report(_tracking_number(replies[-1]))
    assert report.kind == "theft_under_500" and report.answers["ESTIMATED_VALUE"] == 400


async def test_a_report_in_chinese(services, bot, clock):
    replies = await converse(
        bot,
        clock,
        [
            ("我的自行车昨天被偷了", "作案人"),
            ("否", "医疗"),
            ("否", "枪支"),
            ("否", "在哪里"),
            ("1845 W Cortland", "什么时候"),
            ("昨天晚上", "被偷"),
            ("一辆红色自行车", "序列号"),
            ("无", "警察报告"),
            ("是", "芝加哥警察局"),
        ],
    )
    report = await services.police.report(_tracking_number(replies[-1]))
    assert report.kind == "theft_under_500"


async def test_connect_me_to_my_district(services, bot, clock):
    await converse(
        bot,
        clock,
        [
            # "my district" is first a where-I-live question (sms/where.py): the station's phone
            ("connect me to my district", "Send an address"),
            ("connect me to my police district, i live at 1845 w cortland", "312-"),
            # the district desk in other words: asked where, then the desk phone
            ("i need to talk to the desk sergeant", "Send your address"),
            ("1845 W Cortland", "Desk: 312-"),
        ],
    )


async def test_another_report_instead_of_an_answer_starts_that_one(services, bot, clock):
    await converse(
        bot,
        clock,
        [
            ("my car was broken into last night", "police report"),
            ("fire hydrant leaking at 1845 w cortland", "- right?"),
        ],
    )
    assert await _count(services) == 0


@pytest.mark.parametrize("language", ["en", "es", "pl", "zh"])
async def test_the_confirmation_fits_two_segments_with_any_kind_and_a_long_address(bot, language):
    from datetime import UTC

    from backend.police.screening import Kind
    from sms.dialog import Turn
    from sms.parse import Parsed
    from sms.police import _confirm_prompt
    from sms.store import Conversation

    for kind in Kind:
        draft = {
            "police": {"kind": kind.value},
            "address": "S Dr Martin Luther King Jr Dr & E 47th St",
        }
        conv = Conversation(PHONE, language=language, state="police_confirm", draft=draft)
        turn = Turn(conv, "", Parsed("answer", language), "SM1", datetime.now(UTC))
        assert segments(_confirm_prompt(bot, turn)) <= 2, _confirm_prompt(bot, turn)
