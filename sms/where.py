"""Who serves a place, by text: "who is my alderman? i live at 2100 w north ave", "what ward am I
in", "what is my police district", "where is my police station", "when is the next beat meeting
for 1845 w cortland" — and the same in Spanish, Polish and Chinese.

The place is the one the text names (an address, cross streets or a landmark, read as reports
are), else the place of the resident's latest request; without either the bot asks for one. The
answer is the ward and its alderman's office, the police district and its station, the beat, or
the beat's next meeting (a projected date says so), in the conversation's language, within two
SMS segments (the longest name or place is shortened to fit)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from babel.dates import format_date, format_time

from backend.geo.areas import Places
from backend.geo.geocoder import MIN_CONFIDENCE
from backend.notify.segments import shortened
from backend.police.beat_pattern import LOCAL
from backend.service_requests.location import pretty
from backend.service_requests.models import ListFilters, Subscriber
from sms.words import fold

if TYPE_CHECKING:
    from sms.bot import Bot
    from sms.turns import Turn

# What is asked, by kind; the text folded (lower case, no accents). A beat meeting first, then
# the police (a district, a station), a beat, a ward (its alderman).
ASKS = {
    "meeting": re.compile(
        r"\b(?:beat|caps|community|police|block club|neighbou?rhood)\s+(?:meeting|mtg)s?\b"
        r"|\b(?:reunion|reuniones|junta|juntas)\b.{0,25}\b(?:beat|caps|policia|policial|comunitaria"
        r"|vecinal|vecinos|sector)\b"
        r"|\b(?:spotkani\w*|zebrani\w*)\b.{0,25}(?:beat|rewir|caps|policj|dzielnicow|sasiedzk)"
        r"|(?:社区|警民|巡逻区|巡区|beat|caps|警区|街区)\s*(?:警务)?(?:会议|会)"
    ),
    "police": re.compile(
        r"\bpolice (?:district|station|precinct|dept|department|headquarters)\b|\bprecinct\b"
        r"|\b(?:my|which|what|whats|our) (?:police )?district\b|\bdistrict (?:station|am i|is)\b"
        r"|\b(?:distrito (?:policial|de policia)|estacion (?:de policia|policial)|comisaria"
        r"|delegacion de policia|precinto)\b"
        r"|\b(?:komisariat\w*|posterun\w*|dystrykt\w*|okreg\w* policyjn\w*)"
        r"|警区|警察局|警局|派出所|警署|警察分局"
    ),
    "beat": re.compile(
        r"\b(?:police beat|my beat|which beat|what beat|whats my beat|beat number|beat am i)\b"
        r"|\b(?:mi beat|que beat|cual beat|sector policial)\b|\brewir\w*"
        r"|巡逻区|巡区"
    ),
    "ward": re.compile(
        r"\b(?:alderm[ae]n|alderwoman|alderperson|my alder|ald|wards?|council ?(?:man|woman|member))\b"
        r"|\b(?:concejal\w*|regidor\w*|distrito electoral)\b"
        r"|\b(?:radn\w*|okreg\w* wyborcz\w*|(?:ktorym|jakim|jaki|moj|moim) okreg\w*)"
        r"|市议员|议员|选区"
    ),
}
_OFFICE_TAIL = re.compile(r",\s*Chicago,\s*IL\s*\d{5}$", re.IGNORECASE)
# "Wednesday, March 24", "miércoles, 24 de marzo", "środa, 24 marca", "3月24日星期三"
_DATE = {"en": "EEEE, MMMM d", "es": "EEEE, d 'de' MMMM", "pl": "EEEE, d MMMM", "zh": "M月d日EEEE"}


def asked(text: str) -> str | None:
    """What a text asks of who serves a place: meeting, police, beat, ward or all (a ward and the
    police); None when it asks none of these."""
    folded = fold(text or "")
    kinds = [kind for kind, pattern in ASKS.items() if pattern.search(folded)]
    if not kinds:
        return None
    if "meeting" in kinds:
        return "meeting"
    if "ward" in kinds and ("police" in kinds or "beat" in kinds):
        return "all"
    return kinds[0]


async def answer_where(bot: Bot, turn: Turn) -> str | None:
    """The reply to a question about who serves a place; None when the text asks none (or is a
    report that only mentions one: a confident type wins)."""
    kind = asked(turn.text)
    if kind is None or turn.parsed.intent in ("emergency", "status", "follow"):
        return None
    if turn.parsed.service_code is not None and turn.parsed.intent == "report":
        return None  # "graffiti on the 32nd ward office": a report
    where = await _place(bot, turn)
    if isinstance(where, str):
        return where
    address, places = where
    return await _reply(bot, turn, kind, address, places)


async def _place(bot: Bot, turn: Turn) -> tuple[str, Places] | str:
    """The place asked about, and what serves it; or the reply when there is none."""
    place, result = bot.parser.find_place(turn.text)
    if place and result is not None:
        usable = (
            result.found and result.confidence >= MIN_CONFIDENCE and len(result.candidates) <= 1
        )
        if not usable or result.lat is None or result.long is None:
            return turn.say("location_unknown")
        lat, long = result.lat, result.long
        address = result.address if result.kind == "landmark" else pretty(result.address)
    else:
        latest = await bot.services.requests.search(
            ListFilters(followed_by=Subscriber.phone(turn.conv.phone), limit=1)
        )
        if not latest.items:
            return turn.say("where_ask_place")
        view = latest.items[0]
        lat, long, address = view.lat, view.long, view.address or f"{view.lat:.5f}, {view.long:.5f}"
    places = bot.services.city.places(lat, long)
    if places is None:
        return turn.say("outside_city")
    return address or "", places


def _fit(value: str, render: Callable[[str], str]) -> str:
    """render(value), `value` cut short (after a word, with "...") when the reply would not fit
    two segments."""
    return render(shortened(value, render))


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _person(name: str) -> str:
    """ "La Spata, Daniel" -> "Daniel La Spata"."""
    last, _, first = name.partition(",")
    return f"{first.strip()} {last.strip()}".strip() if first else name.strip()


async def _reply(bot: Bot, turn: Turn, kind: str, address: str, places: Places) -> str:
    ward, district, beat = places.ward, places.police_district, places.beat
    if kind == "ward" or (kind == "all" and district is None):
        if ward is None:
            return turn.say("outside_city")
        office = _OFFICE_TAIL.sub("", ward.office_address)
        return _fit(
            office,
            lambda o: turn.say("where_ward", address=address, ward=ward.number,
                               alderman=_person(ward.alderman), office=o, phone=ward.office_phone),
        )  # fmt: skip
    if district is None or beat is None:  # outside the police districts (the airports)
        return turn.say("outside_city")
    if kind == "meeting":
        return await _meeting(bot, turn, beat, district.number, district.station_phone)
    station = _OFFICE_TAIL.sub("", district.station_address)
    if kind == "all" and ward is not None:
        return _fit(
            address,
            lambda a: turn.say("where_all", address=a, ward=ward.number,
                               alderman=_person(ward.alderman), ward_phone=ward.office_phone,
                               district=district.number, station_phone=district.station_phone,
                               beat=beat),
        )  # fmt: skip
    if kind == "beat":
        return _fit(
            address,
            lambda a: turn.say("where_beat", address=a, beat=beat, district=district.number,
                               name=district.name, phone=district.station_phone),
        )  # fmt: skip
    return _fit(
        station,
        lambda s: turn.say("where_police", address=address, district=district.number,
                           name=district.name, beat=beat, station=s, phone=district.station_phone),
    )  # fmt: skip


async def _meeting(bot: Bot, turn: Turn, beat: str, district: int, phone: str) -> str:
    meeting = await bot.services.meetings.next_meeting(beat, now=turn.at)
    if meeting is None:
        return turn.say("where_no_meeting", beat=beat, district=district, phone=phone)
    language = turn.conv.language
    starts = meeting.starts_at.astimezone(LOCAL)
    locale = language if language in _DATE else "en"
    # CLDR puts narrow no-break spaces in times ("6:30\u202fPM"): not GSM-7, a plain space is
    date = _plain(format_date(starts, _DATE[locale], locale=locale))
    time = _plain(format_time(starts, format="short", locale=locale))
    key = "where_meeting_projected" if meeting.projected else "where_meeting_confirmed"
    return _fit(
        meeting.location,
        lambda p: turn.say(key, beat=beat, date=date, time=time, place=p),
    )
