"""App API v1: non-emergency police reports — the guided screening's questions, a screening
(eligible, or call 911 / go to the district station, with the reason and the district's desk),
and the report itself, filed for the Police Alternate Response Section. A report is never public:
its answer names its tracking number and nothing is readable at the public request routes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Response, get, post
from litestar.params import HeaderParameter, QueryParameter

from backend.catalog.snapshot import Catalog
from backend.catalog.translate import localized
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import DEVICE_OPTIONAL, json_body
from backend.channels.openapi_problems import problem_responses
from backend.channels.rate_limits import RATE_LIMITED
from backend.channels.staff.requests_api import body
from backend.geo.areas import PoliceDistrict
from backend.i18n.messages import say
from backend.identity.devices import DeviceService
from backend.limits import MAX_IDEMPOTENCY_KEY, Address, Description, Email, Name, Phone, line
from backend.police.reports import (
    SERVICE_CODE,
    PoliceReports,
    ReportCommand,
    ScreeningAnswers,
    district_desk,
    refusal,
)
from backend.service_requests.models import Subscriber

from .auth import current_device
from .schemas import Api

Language = Literal["en", "es", "pl", "zh"]
SCREENING_QUESTIONS = ("offender_present", "needs_medical", "firearm")
Text = Annotated[str, line(1000)]


class ScreeningIn(Api, kw_only=True):
    kind: Annotated[str, line(40)] | None = None
    offender_present: bool
    needs_medical: bool
    firearm: bool
    offender_known: bool = False
    domestic: bool = False
    lat: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    long: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    address: Address | None = None
    language: Language = "en"


class DistrictOut(Api):
    number: int
    name: str
    station_address: str
    desk_phone: str
    message: str


class ScreeningOut(Api):
    outcome: str  # eligible | call_911 | district
    reason: str | None
    kind: str | None
    message: str | None  # what to do instead, in the resident's language
    district: DistrictOut | None


class KindOut(Api):
    key: str
    name: str


class ScreeningQuestionOut(Api):
    code: str
    text: str


class QuestionsOut(Api):
    screening: list[ScreeningQuestionOut]
    kinds: list[KindOut]


class ReportIn(Api, kw_only=True):
    screening: ScreeningIn
    description: Description
    occurred: Text
    lat: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    long: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    address: Address | None = None
    property: Text | None = None
    estimated_value: Annotated[float, msgspec.Meta(ge=0, le=1e9)] | None = None
    serial_numbers: Text | None = None
    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None


class ReportOut(Api):
    tracking_number: str
    kind: str
    status: str
    message: str


def answers_of(data: ScreeningIn) -> ScreeningAnswers:
    return ScreeningAnswers(
        kind=data.kind,
        offender_present=data.offender_present,
        needs_medical=data.needs_medical,
        firearm=data.firearm,
        offender_known=data.offender_known,
        domestic=data.domestic,
    )


def report_command(data: ReportIn, channel: str, **more: Any) -> ReportCommand:
    """The report a body asks for, from the app or phone intake (`more`: what the channel adds)."""
    return ReportCommand(
        screening=answers_of(data.screening),
        channel=channel,
        description=data.description,
        occurred=data.occurred,
        lat=data.lat,
        long=data.long,
        address=data.address,
        property=data.property,
        estimated_value=data.estimated_value,
        serial_numbers=data.serial_numbers,
        reporter_name=data.name,
        reporter_email=data.email,
        reporter_phone=data.phone,
        **more,
    )


def station_of(police: PoliceReports, data: ScreeningIn) -> PoliceDistrict | None:
    """The police district of the place the resident gave (None: no place given)."""
    return police.station_of(data.address, data.lat, data.long)


def district_out(station: PoliceDistrict | None, language: str) -> DistrictOut | None:
    if station is None:
        return None
    return DistrictOut(
        number=station.number,
        name=station.name,
        station_address=station.station_address,
        desk_phone=station.station_phone,
        message=district_desk(language, station),
    )


@get(
    "/police/questions",
    summary="The police report screening's questions and incident kinds",
    responses=problem_responses(400, 422),
)
async def police_questions(
    catalog: Injected[Catalog],
    lang: Annotated[Language, QueryParameter(description="en, es, pl or zh")] = "en",
) -> QuestionsOut:
    service = catalog.by_code(SERVICE_CODE)
    kinds = localized(service, lang).questions[0].choices if service else ()
    return QuestionsOut(
        screening=[
            ScreeningQuestionOut(code=code, text=say(lang, f"police.q.{_ASK[code]}"))
            for code in SCREENING_QUESTIONS
        ],
        kinds=[KindOut(key=c.key, name=c.name) for c in kinds],
    )


_ASK = {"offender_present": "offender", "needs_medical": "medical", "firearm": "firearm"}


@post(
    "/police/screening",
    status_code=200,
    operation_class=json_body(ScreeningIn),
    summary="Screen a police report: may it be filed, or call 911 / go to the district (and why)",
    responses=problem_responses(400, 415, 422),
)
async def police_screening(request: AnyRequest, police: Injected[PoliceReports]) -> ScreeningOut:
    data: ScreeningIn = await body(request, ScreeningIn)
    screening = police.screen(answers_of(data))
    station = station_of(police, data)
    district = district_out(station, data.language)
    return ScreeningOut(
        outcome=screening.outcome.value,
        reason=screening.reason.value if screening.reason else None,
        kind=screening.kind.value if screening.kind else None,
        message=None if screening.eligible else refusal(screening, data.language, station),
        district=district,
    )


@post(
    "/police/reports",
    status_code=201,
    operation_class=json_body(ReportIn),
    summary="File a non-emergency police report for the Alternate Response Section",
    opt={"rate_limit": "submits"},
    middleware=[RATE_LIMITED],
    security=DEVICE_OPTIONAL,
    responses=problem_responses(400, 401, 409, 415, 422, 429),
)
async def file_police_report(
    request: AnyRequest,
    police: Injected[PoliceReports],
    devices: Injected[DeviceService],
    idempotency_key: Annotated[
        str | None,
        HeaderParameter(
            name="Idempotency-Key",
            pattern=r"^[\x20-\x7e]{1,255}$",
            min_length=1,
            max_length=MAX_IDEMPOTENCY_KEY,
            description="Any unique string per report; a retry with the same key returns the "
            "first report",
        ),
    ] = None,
) -> Response[ReportOut]:
    data: ReportIn = await body(request, ReportIn)
    device_id = await current_device(devices, request, required=False)
    language = data.screening.language
    view, replayed = await police.file(
        report_command(
            data,
            "app",
            device_id=device_id,
            subscriber=Subscriber.device(device_id, language) if device_id is not None else None,
            idempotency_key=idempotency_key,
            language=language,
        )
    )
    out = ReportOut(
        tracking_number=view.tracking_number,
        kind=(await police.report(view.tracking_number)).kind,
        status=view.status,
        message=say(language, "police.filed", tracking_number=view.tracking_number),
    )
    return Response(out, status_code=200 if replayed else 201)


ROUTES = [police_questions, police_screening, file_police_report]
