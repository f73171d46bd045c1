"""Staff console: take a phone report, look requests up, and act on one — status changes with
public and internal notes, notes, reclassifying, moving, duplicates. Every change goes through
RequestService (one transaction with its history event, work orders, audit row, notifications)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import delete, get, post
from litestar.params import HeaderParameter, Parameter

from backend.catalog.snapshot import Catalog
from backend.catalog.translate import localized
from backend.channels.allow import options_for
from backend.channels.app_api.beats_api import meeting_out
from backend.channels.app_api.places_api import places_out
from backend.channels.app_api.schemas import PlacesOut
from backend.channels.app_api.submit_body import decode_json, require_json
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import json_body, located, struct_schema
from backend.channels.openapi_problems import problem_responses
from backend.channels.rate_limits import RATE_LIMITED
from backend.errors import InvalidInput
from backend.geo.city import CityMap
from backend.i18n.accept import accepted_language
from backend.i18n.catalogs import LANGUAGES, SOURCE_LANGUAGE
from backend.identity.contact import ContactInvalid, normalize_phone
from backend.identity.staff import StaffPrincipal, StaffRole
from backend.interpreters.callbacks import check_language
from backend.police.meetings import BeatMeetings
from backend.service_requests.audit import Actor
from backend.service_requests.location import Located
from backend.service_requests.models import RequestView, SubmitCommand, Subscriber
from backend.service_requests.service import RequestService
from backend.service_requests.staff_ops import StaffView

from .guards import departments_of, staff_route
from .schemas import (
    CallerOut,
    ChecklistStepOut,
    DuplicateIn,
    EventOut,
    IntakeIn,
    IntakeOut,
    MoveIn,
    NoteIn,
    ReclassifyIn,
    RequestListOut,
    RequestSummaryOut,
    StaffRequestOut,
    TransitionIn,
    WorkOrderOut,
)

EVERYONE = (StaffRole.OPERATOR, StaffRole.DEPARTMENT, StaffRole.SUPERVISOR)
INTAKE = (StaffRole.OPERATOR, StaffRole.SUPERVISOR)
WORKERS = (StaffRole.DEPARTMENT, StaffRole.SUPERVISOR)
LOCATED_INTAKE = located(struct_schema(IntakeIn))
LOCATED_MOVE = located(struct_schema(MoveIn))
TN = Annotated[str, Parameter(description="a tracking number, e.g. SR26-00012345", max_length=40)]


def actor(staff: StaffPrincipal) -> Actor:
    return Actor.staff(staff.id, staff.ip)


async def body(request: AnyRequest, struct: type) -> Any:
    require_json(request)
    return decode_json(await request.body(), struct)


def summary(view: RequestView) -> RequestSummaryOut:
    return RequestSummaryOut(
        tracking_number=view.tracking_number,
        service_code=view.service_code,
        service_name=view.service_name,
        status=view.status,
        address=view.address,
        lat=view.lat,
        long=view.long,
        created_at=view.created_at,
        duplicate_of=view.duplicate_of,
        language=view.language,
    )


def places_of(city_map: CityMap, view: RequestView) -> PlacesOut | None:
    """Who serves the request's place: ward and alderman, district station, beat."""
    found = city_map.places(view.lat, view.long)
    return places_out(Located(view.lat, view.long, view.address), found) if found else None


async def with_next_meeting(meetings: BeatMeetings, out: StaffRequestOut) -> StaffRequestOut:
    """... and the beat's next meeting, which the operator tells a caller who asks."""
    if out.places is not None:
        meeting = await meetings.next_meeting(out.places.police_beat)
        out.places.next_beat_meeting = meeting_out(meeting) if meeting else None
    return out


def console_language(request: AnyRequest) -> str:
    """The staff member's language, for the type's checklist: their console's Accept-Language
    (en, es, pl, zh; English otherwise)."""
    return accepted_language(request.headers.get("accept-language")) or SOURCE_LANGUAGE


async def answer(
    request: AnyRequest,
    requests: RequestService,
    catalog: Catalog,
    city_map: CityMap,
    tracking_number: str,
) -> StaffRequestOut:
    """The request as staff see it after a change, in the console's language."""
    found = await requests.staff_view(tracking_number)
    return staff_out(catalog, city_map, found, console_language(request))


def staff_out(
    catalog: Catalog, city_map: CityMap, found: StaffView, language: str = SOURCE_LANGUAGE
) -> StaffRequestOut:
    view, private = found.request, found.private
    service_type = catalog.by_code(view.service_code)
    checklist = localized(service_type, language).checklist if service_type else ()
    return StaffRequestOut(
        tracking_number=view.tracking_number,
        service_code=view.service_code,
        service_name=view.service_name,
        status=view.status,
        description=view.description,
        address=view.address,
        lat=view.lat,
        long=view.long,
        ward=view.ward,
        community_area=view.community_area,
        police_district=view.police_district,
        police_beat=view.police_beat,
        places=places_of(city_map, view),
        channel=view.channel,
        duplicate_of=view.duplicate_of,
        latest_public_note=view.latest_public_note,
        created_at=view.created_at,
        updated_at=view.updated_at,
        closed_at=view.closed_at,
        caller=CallerOut(
            name=private.get("reporter_name"),
            phone=private.get("reporter_phone"),
            email=private.get("reporter_email"),
        ),
        language=view.language,
        interpreter_used=private.get("interpreter_used", False),
        interpreter_language=private.get("interpreter_language"),
        answers=private.get("answers") or {},
        checklist=[ChecklistStepOut(id=s.id, text=s.text) for s in checklist],
        work_orders=[WorkOrderOut(**_fields(w)) for w in found.work_orders],
        history=[
            EventOut(
                kind=e.kind,
                from_status=e.from_status,
                to_status=e.to_status,
                note=e.note,
                public=e.public,
                actor=e.actor,
                channel=e.channel,
                created_at=e.created_at,
            )
            for e in found.history
        ],
    )


def _fields(struct: Any) -> dict[str, Any]:
    return {name: getattr(struct, name) for name in struct.__struct_fields__}


@post(
    "/requests",
    status_code=201,
    operation_class=json_body(LOCATED_INTAKE, at="IntakeIn"),
    summary="Take a phone report: the request, its checklist and possible duplicates nearby",
    opt={**staff_route(*INTAKE), "rate_limit": "intake"},
    middleware=[RATE_LIMITED],
    responses=problem_responses(400, 401, 403, 415, 422, 429),
)
async def intake(
    request: AnyRequest,
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    city_map: Injected[CityMap],
    staff: Injected[StaffPrincipal],
    meetings: Injected[BeatMeetings],
) -> IntakeOut:
    data: IntakeIn = await body(request, IntakeIn)
    interpreter_language = check_language(data.interpreter_language, "interpreterLanguage")
    # the caller's language, as a code ("ES" -> "es"); their texts come in it when City311
    # writes it (en, es, pl, zh), in English otherwise
    language = check_language(data.language.strip().lower(), "language") or SOURCE_LANGUAGE
    texts_in = language.split("-")[0] if language.split("-")[0] in LANGUAGES else SOURCE_LANGUAGE
    caller = data.caller
    subscriber = None
    if data.notify_caller:
        if not (caller and caller.phone):
            raise InvalidInput.for_field("caller.phone", "texting the caller needs their phone")
        try:
            subscriber = Subscriber.phone(normalize_phone(caller.phone), texts_in)
        except ContactInvalid as exc:
            raise InvalidInput.for_field("caller.phone", f"caller.phone: {exc}") from None
    result = await requests.submit(
        SubmitCommand(
            service_code=data.service_code,
            channel="phone",
            lat=data.lat,
            long=data.long,
            address=data.address,
            description=data.description,
            answers=data.answers,
            reporter_name=caller.name if caller else None,
            reporter_email=caller.email if caller else None,
            reporter_phone=caller.phone if caller else None,
            subscriber=subscriber,
            language=language,
            interpreter_used=data.interpreter_used or interpreter_language is not None,
            interpreter_language=interpreter_language,
            actor=actor(staff),
        )
    )
    found = await requests.staff_view(result.request.tracking_number)
    nearby = await requests.possible_duplicates(result.request)
    return IntakeOut(
        request=await with_next_meeting(
            meetings, staff_out(catalog, city_map, found, console_language(request))
        ),
        possible_duplicates=[summary(v) for v in nearby],
    )


@get(
    "/requests",
    summary="Look requests up by tracking number, address or caller phone",
    opt=staff_route(*EVERYONE),
    responses=problem_responses(401, 403, 404, 422),
)
async def search(
    requests: Injected[RequestService],
    tracking_number: Annotated[str | None, Parameter(query="trackingNumber", max_length=40)] = None,
    address: Annotated[str | None, Parameter(max_length=300)] = None,
    phone: Annotated[str | None, Parameter(max_length=32)] = None,
) -> RequestListOut:
    if tracking_number:
        return RequestListOut(items=[summary(await requests.get(tracking_number))])
    if address:
        return RequestListOut(
            items=[summary(v) for v in await requests.requests_near_address(address)]
        )
    if phone:
        try:
            e164 = normalize_phone(phone)
        except ContactInvalid as exc:
            raise InvalidInput.for_field("phone", f"phone: {exc}") from None
        return RequestListOut(items=[summary(v) for v in await requests.requests_by_phone(e164)])
    raise InvalidInput.for_field("trackingNumber", "give a trackingNumber, an address or a phone")


@get(
    "/requests/{tracking_number:str}",
    summary="A request as staff see it: caller, history with internal notes, work orders",
    opt=staff_route(*EVERYONE),
    responses=problem_responses(401, 403, 404, 422),
)
async def staff_request(
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    city_map: Injected[CityMap],
    meetings: Injected[BeatMeetings],
    tracking_number: TN,
    accept_language: Annotated[
        str | None,
        HeaderParameter(
            name="Accept-Language",
            description="The console's language: the type's checklist in en, es, pl or zh (the "
            "first it prefers; English otherwise)",
        ),
    ] = None,
) -> StaffRequestOut:
    found = await requests.staff_view(tracking_number)
    language = accepted_language(accept_language) or SOURCE_LANGUAGE
    return await with_next_meeting(meetings, staff_out(catalog, city_map, found, language))


@post(
    "/requests/{tracking_number:str}/transitions",
    status_code=200,
    operation_class=json_body(TransitionIn),
    summary="Change the status, with a reason and public and internal notes (409 if changed "
    "meanwhile)",
    opt=staff_route(*WORKERS),
    responses=problem_responses(400, 401, 403, 404, 409, 415, 422),
)
async def transition(
    request: AnyRequest,
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    city_map: Injected[CityMap],
    staff: Injected[StaffPrincipal],
    tracking_number: TN,
) -> StaffRequestOut:
    data: TransitionIn = await body(request, TransitionIn)
    await requests.staff_transition(
        tracking_number,
        data.to,
        actor=actor(staff),
        expected_status=data.from_,
        reason=data.reason_code,
        public_note=data.public_note,
        internal_note=data.internal_note,
        departments=departments_of(staff),
    )
    return await answer(request, requests, catalog, city_map, tracking_number)


@post(
    "/requests/{tracking_number:str}/notes",
    status_code=200,
    operation_class=json_body(NoteIn),
    summary="Add a note: internal unless public (a public one is told to its followers)",
    opt=staff_route(*EVERYONE),
    responses=problem_responses(400, 401, 403, 404, 415, 422),
)
async def note(
    request: AnyRequest,
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    city_map: Injected[CityMap],
    staff: Injected[StaffPrincipal],
    tracking_number: TN,
) -> StaffRequestOut:
    data: NoteIn = await body(request, NoteIn)
    await requests.staff_note(
        tracking_number,
        data.note,
        public=data.public,
        actor=actor(staff),
        departments=departments_of(staff),
    )
    return await answer(request, requests, catalog, city_map, tracking_number)


@post(
    "/requests/{tracking_number:str}/reclassify",
    status_code=200,
    operation_class=json_body(ReclassifyIn),
    summary="Another service type (its SLA, and its department's work order)",
    opt=staff_route(*INTAKE),
    responses=problem_responses(400, 401, 403, 404, 415, 422),
)
async def reclassify(
    request: AnyRequest,
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    city_map: Injected[CityMap],
    staff: Injected[StaffPrincipal],
    tracking_number: TN,
) -> StaffRequestOut:
    data: ReclassifyIn = await body(request, ReclassifyIn)
    await requests.reclassify(
        tracking_number, data.service_code, actor=actor(staff), note=data.note
    )
    return await answer(request, requests, catalog, city_map, tracking_number)


@post(
    "/requests/{tracking_number:str}/move",
    status_code=200,
    operation_class=json_body(LOCATED_MOVE, at="MoveIn"),
    summary="Another location (a point or an address): its ward, area, district and beat follow",
    opt=staff_route(*INTAKE),
    responses=problem_responses(400, 401, 403, 404, 415, 422),
)
async def move(
    request: AnyRequest,
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    city_map: Injected[CityMap],
    staff: Injected[StaffPrincipal],
    tracking_number: TN,
) -> StaffRequestOut:
    data: MoveIn = await body(request, MoveIn)
    await requests.move(
        tracking_number, actor=actor(staff), lat=data.lat, long=data.long, address=data.address
    )
    return await answer(request, requests, catalog, city_map, tracking_number)


@post(
    "/requests/{tracking_number:str}/duplicate-of",
    status_code=200,
    operation_class=json_body(DuplicateIn),
    summary="Mark it a duplicate of another: closed with a link, its followers moved and told",
    opt=staff_route(StaffRole.SUPERVISOR),
    responses=problem_responses(400, 401, 403, 404, 409, 415, 422),
)
async def mark_duplicate(
    request: AnyRequest,
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    city_map: Injected[CityMap],
    staff: Injected[StaffPrincipal],
    tracking_number: TN,
) -> StaffRequestOut:
    data: DuplicateIn = await body(request, DuplicateIn)
    await requests.mark_duplicate(
        tracking_number, data.original, actor=actor(staff), note=data.note
    )
    return await answer(request, requests, catalog, city_map, tracking_number)


@delete(
    "/requests/{tracking_number:str}/duplicate-of",
    status_code=200,
    summary="Not a duplicate after all: reopened, the link removed",
    opt=staff_route(StaffRole.SUPERVISOR),
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def unmark_duplicate(
    request: AnyRequest,
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    city_map: Injected[CityMap],
    staff: Injected[StaffPrincipal],
    tracking_number: TN,
) -> StaffRequestOut:
    await requests.unmark_duplicate(tracking_number, actor=actor(staff))
    return await answer(request, requests, catalog, city_map, tracking_number)


# OPTIONS first: registered before the other handlers of its path, it is the one Litestar keeps
# (backend/channels/allow.py).
ROUTES = [
    options_for("/requests", "GET", "POST"),
    options_for("/requests/{tracking_number:str}/duplicate-of", "DELETE", "POST"),
    intake,
    search,
    staff_request,
    transition,
    note,
    reclassify,
    move,
    mark_duplicate,
    unmark_duplicate,
]
