"""The SMS dialog of a non-emergency police report ("car was broken into last night"): the text is
screened (backend/police/screening.py); what it leaves open is asked (is the person still there
or coming back? anyone hurt? a gun?), then where, when, what was taken and its worth, serial
numbers, and YES sends it to the Police Alternate Response Section. A danger or a case ARS does
not take is answered at once, with what to do and why (911, or the district station and its
desk); nothing is filed. "Connect me to my district" gets the district's desk phone.

Its states (police_*) are steps of sms/steps.py's STEPS; every reply here is a full reply, in
the conversation's language."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from backend.catalog.translate import localized
from backend.errors import DomainError
from backend.geo.areas import PoliceDistrict
from backend.geo.geocoder import GeocodeResult
from backend.notify.segments import segments
from backend.police.reports import SERVICE_CODE, ReportCommand, ScreeningAnswers, district_desk
from backend.police.reports import refusal as refusal_text
from backend.police.screening import (
    Kind,
    Reason,
    Screening,
    decide,
    dollars_in,
    fold,
    read,
    screen_facts,
)
from backend.service_requests.models import Subscriber
from sms.bot import Bot, Step
from sms.intents import squeeze
from sms.turns import Turn

NONE_WORDS = frozenset(
    {"none", "nothing", "no", "n", "nope", "na", "n a", "nada", "ninguno", "ninguna", "no hay",
     "nic", "brak", "nie", "nie ma", "无", "没有", "没", "不"}
)  # fmt: skip
# "connect me to my district", "district desk phone", "conectarme con mi distrito", "połącz mnie
# z komisariatem", "联系我的警区"
_DISTRICT = re.compile(
    r"\b(connect|put|transfer|talk|speak)\b.{0,20}\b(my |the |our )?(police )?(district|station|"
    r"precinct)\b|\bdistrict (desk|station|office)( phone| number)?\b|\bdesk (officer|sergeant)\b|"
    r"\b(conectar\w*|comunicar\w*|hablar)\b.{0,20}\b(distrito|estacion de policia)\b|"
    r"\b(polacz\w*|rozmawiac|porozmawiac)\b.{0,20}\b(okreg\w*|komisariat\w*|dyzurn\w*)\b|"
    r"(联系|接通|转接).{0,6}(警区|警局|警察局)|警区.{0,4}电话"
)
# Asking to file a report without saying what happened ("i need to file a police report")
_WANTS_REPORT = re.compile(
    r"\b(police report|file a report|make a report|report a (crime|theft)|reporte( policial| de "
    r"policia)?|denuncia\w*|zgloszeni\w*|zglosic)\b|报案|报警|警察报告"
)
SCREENING = ("offender_present", "needs_medical", "firearm")
_ASK = {"offender_present": "offender", "needs_medical": "medical", "firearm": "firearm"}
# Kinds with nothing to list as property or serial numbers
NO_PROPERTY = frozenset(
    {Kind.HARASSMENT_BY_PHONE, Kind.HARASSMENT_ELECTRONIC, Kind.TELEPHONE_THREATS,
     Kind.SIMPLE_ASSAULT, Kind.IDENTITY_THEFT}
)  # fmt: skip


def asks_for_district(text: str) -> bool:
    return bool(_DISTRICT.search(fold(text)))


async def idle_reply(bot: Bot, turn: Turn) -> str | None:
    """A new text that starts a police report or asks for the district; None when it is neither."""
    if asks_for_district(turn.text):
        return await _district(bot, turn)
    if turn.parsed.intent == "police_report":
        return await start(bot, turn)
    return None


async def start(bot: Bot, turn: Turn) -> str:
    facts = read(turn.text)
    screening = screen_facts(facts)
    police = {
        "description": turn.text.strip()[:4000],
        "kind": facts.kind.value if facts.kind else None,
        "offender_present": facts.offender_present,
        "needs_medical": facts.needs_medical,
        "firearm": facts.firearm,
        "value": facts.dollars,
    }
    if not screening.eligible and screening.reason != Reason.NOT_TAKEN:
        return _refused(bot, turn, screening)
    if facts.kind is None and not _WANTS_REPORT.search(fold(turn.text)):
        # a police matter ARS does not take ("drug dealing on my corner"): the district
        return _refused(bot, turn, screening)
    turn.draft.clear()
    turn.draft["police"] = police
    if turn.parsed.place:
        _take_place(bot, turn, turn.parsed.location)
    return _next(bot, turn)


def _refused(bot: Bot, turn: Turn, screening: Screening) -> str:
    """911 or the district station (with the one where the report happened, when known); the
    draft is dropped: nothing is filed."""
    station = None
    if "lat" in turn.draft:
        station = _station(bot, turn.draft["lat"], turn.draft["long"])
    elif turn.parsed.place and turn.parsed.location and turn.parsed.location.found:
        station = _station(bot, turn.parsed.location.lat, turn.parsed.location.long)
    turn.conv.state, turn.conv.draft = "idle", {}
    return refusal_text(screening, turn.conv.language, station)


def _station(bot: Bot, lat: float | None, long: float | None) -> PoliceDistrict | None:
    if lat is None or long is None:
        return None
    return bot.services.police.district_of(lat, long)


def _take_place(bot: Bot, turn: Turn, result: GeocodeResult | None) -> str | None:
    """A place from the geocoder (the first of several candidates); a reply when unusable."""
    if result is not None and result.candidates and len(result.candidates) > 1:
        first = result.candidates[0]
        return bot.drafts.point(turn, first.lat, first.long, first.address, "text")
    return bot.drafts.place(turn, result)


def _next(bot: Bot, turn: Turn) -> str:
    """The first thing the report still lacks, asked (its state set); or the confirmation."""
    police = turn.draft["police"]
    state: str | None = None
    key = ""
    if not police.get("kind"):
        state, key = "police_kind", "police.ask_kind"
    else:
        for fact in SCREENING:
            if police.get(fact) is None:
                state, key = f"police_{fact}", f"police.ask_{_ASK[fact]}"
                break
    if state is None:
        if "lat" not in turn.draft:
            state, key = "police_where", "police.ask_location"
        elif not police.get("when"):
            state, key = "police_when", "police.ask_when"
        elif "property" not in police and Kind(police["kind"]) not in NO_PROPERTY:
            state, key = "police_property", "police.ask_property"
        elif "serials" not in police and police.get("property"):
            state, key = "police_serials", "police.ask_serials"
        else:
            turn.conv.state = "police_confirm"
            return _confirm_prompt(bot, turn)
    turn.conv.state = state
    return turn.say(key)


def _confirm_prompt(bot: Bot, turn: Turn) -> str:
    service = bot.services.catalog.by_code(SERVICE_CODE)
    assert service is not None, "the catalog has the police report type"
    kind = turn.draft["police"]["kind"]
    names = {c.key: c.name for c in localized(service, turn.conv.language).questions[0].choices}
    address = turn.draft["address"]
    for cut in (len(address), 24, 12):  # a long address: its start, to keep to two segments
        reply = turn.say("police.confirm", kind=names.get(kind, kind), address=address[:cut])
        if segments(reply) <= 2:
            break
    return reply


def _screened(turn: Turn) -> Screening:
    police = turn.draft["police"]
    return decide(
        police["kind"],
        offender_present=bool(police.get("offender_present")),
        needs_medical=bool(police.get("needs_medical")),
        firearm=bool(police.get("firearm")),
    )


async def _another_report(bot: Bot, turn: Turn) -> str | None:
    """A text that is plainly another report (a service type, "fire hydrant leaking at …")
    instead of a yes or no: the police report is dropped and that one begins."""
    if turn.parsed.intent != "report" or not turn.parsed.service_code:
        return None
    turn.conv.state, turn.conv.draft = "idle", {}
    trouble = bot.drafts.start_draft(turn)
    prompt = await bot.next_prompt(turn)
    return trouble if trouble and turn.conv.state == "ask_location" else prompt


def _yes_no(fact: str) -> Callable[[Bot, Turn], Awaitable[str]]:
    async def on_reply(bot: Bot, turn: Turn) -> str:
        keyword = turn.parsed.keyword
        if keyword not in ("yes", "no") and (other := await _another_report(bot, turn)):
            return other
        if keyword not in ("yes", "no"):
            return f"{turn.say('police.yes_no')} {turn.say(f'police.ask_{_ASK[fact]}')}"
        turn.draft["police"][fact] = keyword == "yes"
        screening = _screened(turn)
        if not screening.eligible:
            return _refused(bot, turn, screening)
        return _next(bot, turn)

    return on_reply


async def _on_kind(bot: Bot, turn: Turn) -> str:
    facts = read(turn.text)
    police = turn.draft["police"]
    police["description"] = f"{police['description']} {turn.text.strip()}".strip()[:4000]
    for fact in SCREENING:
        if police.get(fact) is None:
            police[fact] = getattr(facts, fact)
    screening = screen_facts(facts)
    if not screening.eligible:
        return _refused(bot, turn, screening)
    assert screening.kind is not None  # an eligible report has its kind
    police["kind"] = screening.kind.value
    police["value"] = police.get("value") or facts.dollars
    return _next(bot, turn)


async def _on_where(bot: Bot, turn: Turn) -> str:
    place, result = bot.parser.find_place(turn.text)
    if place is None:
        return turn.say("location_unknown")
    trouble = _take_place(bot, turn, result)
    return trouble or _next(bot, turn)


async def _on_when(bot: Bot, turn: Turn) -> str:
    turn.draft["police"]["when"] = turn.text.strip()[:200]
    return _next(bot, turn)


def _none(turn: Turn) -> bool:
    return squeeze(turn.text) in NONE_WORDS


async def _on_property(bot: Bot, turn: Turn) -> str:
    police = turn.draft["police"]
    police["property"] = None if _none(turn) else turn.text.strip()[:1000]
    if police["property"]:
        police["value"] = dollars_in(turn.text) or police.get("value")
    return _next(bot, turn)


async def _on_serials(bot: Bot, turn: Turn) -> str:
    turn.draft["police"]["serials"] = None if _none(turn) else turn.text.strip()[:1000]
    return _next(bot, turn)


async def _on_confirm(bot: Bot, turn: Turn) -> str:
    keyword = turn.parsed.keyword
    if keyword == "no":
        turn.conv.state, turn.conv.draft = "idle", {}
        return turn.say("police.not_sent")
    if keyword != "yes" and (other := await _another_report(bot, turn)):
        return other
    if keyword != "yes":
        return f"{turn.say('police.yes_no')} {_confirm_prompt(bot, turn)}"
    police, phone, language = turn.draft["police"], turn.conv.phone, turn.conv.language
    try:
        view, _ = await bot.services.police.file(
            ReportCommand(
                screening=ScreeningAnswers(
                    kind=police["kind"],
                    offender_present=bool(police["offender_present"]),
                    needs_medical=bool(police["needs_medical"]),
                    firearm=bool(police["firearm"]),
                ),
                channel="sms",
                description=police["description"],
                occurred=police["when"],
                lat=turn.draft["lat"],
                long=turn.draft["long"],
                address=turn.draft.get("address"),
                property=police.get("property"),
                estimated_value=police.get("value"),
                serial_numbers=police.get("serials"),
                reporter_phone=phone,
                subscriber=Subscriber.phone(phone, language),
                idempotency_key=f"sms:{turn.message_sid}",
                language=language,
            )
        )
    except DomainError as exc:
        turn.conv.state, turn.conv.draft = "idle", {}
        return exc.detail if exc.status == 422 and "911" in exc.detail else turn.say("not_filed")
    turn.conv.state, turn.conv.draft = "idle", {}
    return turn.say("police.filed", tracking_number=view.tracking_number)


async def _district(bot: Bot, turn: Turn) -> str:
    place, result = turn.parsed.place, turn.parsed.location
    if place is None:
        place, result = bot.parser.find_place(turn.text)
    if place is None or result is None or not (result.found or result.candidates):
        turn.conv.state = "police_district"
        return turn.say("police.district_where")
    point = result.candidates[0] if result.candidates else result
    station = _station(bot, point.lat, point.long)
    turn.conv.state = "idle"
    if station is None:
        return turn.say("outside_city")
    return district_desk(turn.conv.language, station)


async def _on_district(bot: Bot, turn: Turn) -> str:
    place, result = bot.parser.find_place(turn.text)
    if place is None or result is None or not (result.found or result.candidates):
        turn.conv.state = "idle"
        return turn.say("location_unknown")
    return await _district(bot, turn)


def _prompt(key: str) -> Callable[[Bot, Turn], str]:
    return lambda bot, turn: turn.say(key)


POLICE_STEPS: dict[str, Step] = {
    "police_kind": Step(_prompt("police.ask_kind"), _on_kind),
    "police_offender_present": Step(_prompt("police.ask_offender"), _yes_no("offender_present")),
    "police_needs_medical": Step(_prompt("police.ask_medical"), _yes_no("needs_medical")),
    "police_firearm": Step(_prompt("police.ask_firearm"), _yes_no("firearm")),
    "police_where": Step(_prompt("police.ask_location"), _on_where),
    "police_when": Step(_prompt("police.ask_when"), _on_when),
    "police_property": Step(_prompt("police.ask_property"), _on_property),
    "police_serials": Step(_prompt("police.ask_serials"), _on_serials),
    "police_confirm": Step(_confirm_prompt, _on_confirm),
    "police_district": Step(_prompt("police.district_where"), _on_district),
}
