"""Who serves a place, by text, on both engines: ward and alderman, police district and station,
beat, and the beat's next meeting, in English, Spanish, Polish and Chinese; the place named in the
text or the resident's latest request; never filed as a request; two SMS segments at most."""

from __future__ import annotations

import itertools
import re
from datetime import datetime

import pytest

from backend.geo.city import city_map
from backend.notify.segments import segments
from backend.police.beat_pattern import LOCAL
from backend.service_requests.models import ListFilters, Subscriber
from sms.channel import sms_bot
from sms.dialog import Inbound
from sms.where import asked

PHONE = "+13125550177"
NOW = datetime(2027, 2, 10, 12, 0, tzinfo=LOCAL)  # any date; the bot's clock: never today
_sids = itertools.count(1)


@pytest.fixture
def bot(services, beat_history, monkeypatch):
    monkeypatch.setattr(services.requests, "clock", lambda: NOW)
    bot = sms_bot(services)
    bot.clock = lambda: NOW
    return bot


async def text(bot, body: str, phone: str = PHONE) -> str:
    reply = await bot.handle(Inbound(f"SM{next(_sids):032x}", phone, body, received_at=NOW))
    assert reply is not None
    assert segments(reply) <= 2, (body, reply, segments(reply))
    return reply


async def _nothing_filed(services, phone=PHONE) -> None:
    page = await services.requests.search(ListFilters(followed_by=Subscriber.phone(phone)))
    assert page.items == []


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("who is my alderman? i live at 2100 w north ave", "ward"),
        ("what ward am I in", "ward"),
        ("what is my police district", "police"),
        ("where is my police station", "police"),
        ("what is my police beat", "beat"),
        ("when is the next beat meeting for 1845 w cortland", "meeting"),
        ("¿Quién es mi concejal? Vivo en 2100 W North Ave", "ward"),
        ("¿cuál es mi distrito policial?", "police"),
        ("¿Cuándo es la próxima reunión del beat en 1845 W Cortland?", "meeting"),
        ("Kto jest moim radnym? 2100 W North Ave", "ward"),
        ("gdzie jest mój komisariat", "police"),
        ("kiedy jest następne spotkanie rewiru dla 1845 W Cortland", "meeting"),
        ("我的市议员是谁？我住在 2100 W North Ave", "ward"),
        ("我的警区是哪个", "police"),
        ("1845 W Cortland 下次社区会议是什么时候", "meeting"),
        ("what ward and police district is 2100 w north ave", "all"),
        ("pothole at 1600 N Milwaukee", None),
        ("the car went toward the forward lane", None),
        ("someone beat me to it, rats in the alley", None),
    ],
)
def test_what_a_text_asks(body, kind):
    assert asked(body) == kind


async def test_who_is_my_alderman_with_an_address(bot, services):
    reply = await text(bot, "who is my alderman? i live at 2100 w north ave")
    ward = city_map().places(41.9104, -87.6787).ward  # 2100 W North Ave
    assert f"Ward {ward.number}" in reply and "2100 W North Ave" in reply
    first, last = ward.alderman.split(", ")[1], ward.alderman.split(", ")[0]
    assert f"Alderman {last.split()[0]}" not in reply and f"{first} {last}" in reply
    assert ward.office_phone in reply and "Chicago, IL" not in reply
    await _nothing_filed(services)


async def test_police_district_station_and_beat(bot, services):
    reply = await text(bot, "what is my police district? 1845 W Cortland")
    assert "Police District 14 (Shakespeare)" in reply and "beat 1434" in reply
    assert "2150 N California" in reply
    station = await text(bot, "where is my police station, damen and division")
    assert "Police District 12" in station or "Police District 14" in station
    beat = await text(bot, "what is my police beat at 1845 w cortland")
    assert "police beat 1434" in beat
    both = await text(bot, "what ward and police district is 1845 W Cortland")
    assert "Ward 32" in both or "Ward 1" in both
    assert "Police District 14" in both and "Beat 1434" in both
    await _nothing_filed(services)


async def test_the_next_beat_meeting_in_every_language(bot, services):
    en = await text(bot, "when is the next beat meeting for 1845 w cortland")
    assert en == (
        "Next beat 1434 meeting (projected from past meetings, not yet announced): "
        "Wednesday, March 24, 6:30 PM, at 1701 N. Milwaukee - Bucktown Library."
    )
    assert segments(en) == 1
    es = await text(
        bot, "¿Cuándo es la próxima reunión del beat en 1845 W Cortland?", "+13125550178"
    )
    assert "miércoles, 24 de marzo" in es and "18:30" in es and "estimada" in es
    pl = await text(bot, "kiedy jest następne spotkanie rewiru dla 1845 W Cortland", "+13125550179")
    assert "środa, 24 marca" in pl and "18:30" in pl and "prognoza" in pl
    zh = await text(bot, "1845 W Cortland 下次社区会议是什么时候", "+13125550180")
    assert "3月24日星期三" in zh and "18:30" in zh and "推算" in zh
    for phone in ("+13125550178", "+13125550179", "+13125550180"):
        await _nothing_filed(services, phone)


async def test_a_confirmed_meeting_is_given_as_confirmed(bot, services):
    moved = datetime(2027, 3, 31, 19, 0, tzinfo=LOCAL)  # any date
    await services.meetings.confirm("1434", moved, "Holstein Park, 2200 N Oakley")
    reply = await text(bot, "next beat meeting 1845 W Cortland")
    assert "Wednesday, March 31" in reply and "Holstein Park" in reply
    assert "projected" not in reply


async def test_the_latest_request_is_the_place_when_the_text_names_none(bot, services):
    assert "Send an address" in await text(bot, "what ward am I in")
    filed = await text(bot, "pothole at 1845 W Cortland")
    for _ in range(10):  # answer what the report asks, taking the first choice each time
        if "SR" in filed:
            break
        filed = await text(bot, "1" if re.search(r"1\)", filed) else "skip" if "photo" in
                           filed.lower() else "yes")  # fmt: skip
    assert "SR" in filed
    reply = await text(bot, "what is my police district")
    assert "1845 W Cortland" in reply and "Police District 14" in reply


async def test_help_and_a_place_outside_the_city_give_the_outside_number(bot):
    from backend.i18n.messages import say

    for language in ("en", "es", "pl", "zh"):
        assert "(312) 744-5000" in say(language, "outside_city")
        assert "(312) 744-5000" in say(language, "help")
    assert "(312) 744-5000" in await text(bot, "HELP", "+13125550181")
    assert "(312) 744-5000" in await text(bot, "ayuda", "+13125550182")


async def test_every_ward_and_district_answer_fits_two_segments(services, beat_history):
    """Every ward's alderman and office, every district's station and every 7th beat's next
    meeting place, with a long address, in every language: two segments at most."""
    from dataclasses import replace

    from sms.dialog import Turn
    from sms.parse import Parsed
    from sms.store import Conversation
    from sms.where import _reply

    bot = sms_bot(services)
    city = city_map()
    downtown = city.places(41.8781, -87.6298)
    assert downtown is not None
    address = "S Dr Martin Luther King Jr Dr & E 47th St"
    wards = list(city.wards.values)
    districts = [d for d in city.police_districts.values if d]
    beats = sorted(b for b in city.beats.values if b)[::7]
    checked = 0
    for language in ("en", "es", "pl", "zh"):
        turn = Turn(Conversation(PHONE, language=language), "", Parsed("unknown", language),
                    "SM1", NOW)  # fmt: skip
        for i in range(max(len(wards), len(districts), len(beats))):
            places = replace(downtown, ward=wards[i % len(wards)],
                             police_district=districts[i % len(districts)],
                             beat=beats[i % len(beats)])  # fmt: skip
            for kind in ("ward", "police", "beat", "all", "meeting"):
                reply = await _reply(bot, turn, kind, address, places)
                assert segments(reply) <= 2, (language, kind, reply)
                checked += 1
    assert checked == 4 * 5 * max(len(wards), len(districts), len(beats))
