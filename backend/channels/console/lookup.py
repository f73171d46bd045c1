"""Answers for callers: the city's information articles (programs, events, prices, times, rules)
searched in the caller's language, and "where I live" — the ward and its alderman, the community
area, the police district and its station, the beat and its next beat meeting — for an address, a
cross street or a landmark, with the sentences to read out in the caller's language (the same
catalog sentences the SMS bot texts)."""

from __future__ import annotations

from typing import Any

from babel.dates import format_date, format_time
from litestar import get
from litestar.response import Template

from backend.channels.deps import Injected
from backend.channels.staff.guards import staff_route
from backend.geo.areas import Places
from backend.i18n.catalogs import LANGUAGES
from backend.i18n.messages import say
from backend.identity.staff import StaffPrincipal, StaffRole
from backend.info.service import InfoService
from backend.limits import LINE, MAX_ADDRESS
from backend.police.beat_pattern import LOCAL
from backend.police.meetings import BeatMeetings, Meeting
from backend.service_requests.location import Locator, pretty
from backend.service_requests.place_search import search_places

from .intake_form import LANGUAGE_NAMES, read_picked
from .session import page

# Public information, asked by callers of anyone who answers them: every staff role.
ROLES = staff_route(StaffRole.OPERATOR, StaffRole.DEPARTMENT, StaffRole.SUPERVISOR)
MAX_QUERY = 200
_DATE = {"en": "EEEE, MMMM d", "es": "EEEE d 'de' MMMM", "pl": "EEEE, d MMMM", "zh": "M月d日EEEE"}


def _language(value: str | None) -> str:
    return value if value in LANGUAGES else "en"


def _languages() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


def _one_line(value: str, limit: int) -> str:
    value = value.strip()[:limit]
    return value if LINE.search(value) else ""


@get("/lookup", opt={**ROLES, "nav": "Information"}, name="console-lookup")
async def info_lookup(
    staff: Injected[StaffPrincipal], info: Injected[InfoService], q: str = "", lang: str = "en"
) -> Template:
    language = _language(lang)
    query = _one_line(q, MAX_QUERY)
    hits = await info.search(query, language, limit=10) if query else []
    return page("lookup.html", staff, query=query, lang=language, languages=_languages(), hits=hits)


def _person(name: str) -> str:
    """ "La Spata, Daniel" -> "Daniel La Spata"."""
    last, _, first = name.partition(",")
    return f"{first.strip()} {last.strip()}".strip() if first else name.strip()


def _meeting_sentence(language: str, meeting: Meeting | None, places: Places) -> str | None:
    district = places.police_district
    if places.beat is None or district is None:
        return None
    if meeting is None:
        return say(
            language,
            "where_no_meeting",
            beat=places.beat,
            district=district.number,
            phone=district.station_phone,
        )
    starts = meeting.starts_at.astimezone(LOCAL)
    date = format_date(starts, _DATE[language], locale=language)
    time = format_time(starts, format="short", locale=language)
    key = "where_meeting_projected" if meeting.projected else "where_meeting_confirmed"
    return say(language, key, beat=places.beat, date=date, time=time, place=meeting.location)


def _readout(language: str, address: str, places: Places) -> str | None:
    ward, district = places.ward, places.police_district
    if ward is None or district is None or places.beat is None:
        return None
    return say(
        language,
        "where_all",
        address=address,
        ward=ward.number,
        alderman=_person(ward.alderman),
        ward_phone=ward.office_phone,
        district=district.number,
        station_phone=district.station_phone,
        beat=places.beat,
    )


@get("/where", opt={**ROLES, "nav": "Where I live"}, name="console-where")
async def where_i_live(
    staff: Injected[StaffPrincipal],
    locator: Injected[Locator],
    meetings: Injected[BeatMeetings],
    address: str = "",
    place: str = "",
    lang: str = "en",
) -> Template:
    language = _language(lang)
    typed = _one_line(address, MAX_ADDRESS)
    context: dict[str, Any] = {
        "address": typed,
        "lang": language,
        "languages": _languages(),
        "candidates": [],
        "reason": "",
        "answer": None,
    }
    picked = read_picked(place)
    if picked is None and typed:
        found = search_places(locator, typed)
        context["reason"] = found.reason or ("" if found.places else "nothing found")
        if len(found.places) == 1:
            only = found.places[0]
            picked = read_picked(f"{only.lat},{only.long}|{only.label}")
        else:
            context["candidates"] = [
                read_picked(f"{p.lat},{p.long}|{p.label}") for p in found.places
            ]
    if picked is not None:
        places = locator.city.places(picked.lat, picked.long)
        if places is None:
            context["reason"] = "outside the City of Chicago"
        else:
            meeting = await meetings.next_meeting(places.beat)
            shown = pretty(picked.label) if picked.label.isupper() else picked.label
            context["answer"] = {
                "label": shown,
                "places": places,
                "alderman": _person(places.ward.alderman) if places.ward else None,
                "meeting": meeting,
                "meeting_local": meeting.starts_at.astimezone(LOCAL) if meeting else None,
                "readout": _readout(language, shown, places),
                "meeting_readout": _meeting_sentence(language, meeting, places),
            }
    return page("lookup_where.html", staff, **context)


ROUTES = [info_lookup, where_i_live]
