"""App API v1 request endpoints: submit, look up, history, nearby list, my requests, follow."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.channels import ChannelsPlugin
from litestar.params import FromPath, HeaderParameter, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage
from litestar.types import ControllerRouterHandler

from backend.channels.allow import options_for
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.live import channel_of
from backend.channels.openapi_bodies import DEVICE, DEVICE_OPTIONAL
from backend.channels.openapi_problems import problem_responses
from backend.channels.rate_limits import RATE_LIMITED
from backend.errors import InvalidInput
from backend.i18n.accept import accepted_language
from backend.i18n.catalogs import SOURCE_LANGUAGE
from backend.limits import MAX_IDEMPOTENCY_KEY, MAX_SERVICE_CODE, shown
from backend.service_requests.models import ListFilters, Page, SubmitCommand, Subscriber
from backend.service_requests.service import RequestService
from backend.service_requests.tracking import parse_tracking_number
from backend.service_requests.workflow import CLOSED_STATUSES, OPEN_STATUSES, Status
from backend.storage.photo_limits import MAX_PHOTOS, MAX_PHOTOS_BODY

from .auth import current_device, required_device
from .openapi_docs import SubmitOperation
from .render import RequestEndpoints, RequestRenderer, event_out
from .schemas import FollowOut, HistoryOut, RequestOut, RequestPageOut
from .submit_body import read_submit

MAX_RADIUS_M = 10_000
MAX_SUBMIT_BODY = MAX_PHOTOS_BODY


@post(
    "/requests",
    status_code=201,
    operation_class=SubmitOperation,
    request_max_body_size=MAX_SUBMIT_BODY,
    summary=f"Submit a service request (JSON, or multipart with up to {MAX_PHOTOS} photos)",
    opt={"rate_limit": "submits"},
    middleware=[RATE_LIMITED],
    security=DEVICE_OPTIONAL,
    responses=problem_responses(400, 401, 409, 413, 415, 422, 429),
)
async def submit_request(
    request: AnyRequest,
    request_endpoints: Injected[RequestEndpoints],
    idempotency_key: Annotated[
        str | None,
        HeaderParameter(
            name="Idempotency-Key",
            pattern=r"^[\x20-\x7e]{1,255}$",
            min_length=1,
            max_length=MAX_IDEMPOTENCY_KEY,
            description="Any unique string per submit; a retry with the same key and body returns "
            "the first request (200, Idempotent-Replayed: true) for 24 hours",
        ),
    ] = None,
    accept_language: Annotated[
        str | None,
        HeaderParameter(
            name="Accept-Language",
            description="The resident's language (en, es, pl or zh, by preference): recorded "
            "with the request for staff, never shown publicly",
        ),
    ] = None,
) -> Response[RequestOut]:
    requests, renderer = request_endpoints.requests, request_endpoints.renderer
    device_id = await current_device(request_endpoints.devices, request, required=False)
    body, photos = await read_submit(request)
    language = accepted_language(accept_language)
    result = await requests.submit(
        SubmitCommand(
            service_code=body.service_code,
            channel="app",
            lat=body.lat,
            long=body.long,
            description=body.description,
            address=body.address,
            answers=body.answers,
            reporter_name=body.name,
            reporter_email=body.email,
            reporter_phone=body.phone,
            device_id=device_id,
            idempotency_key=idempotency_key,
            photos=photos,
            subscriber=Subscriber.device(device_id, language or "en")
            if device_id is not None
            else None,
            language=language,
        )
    )
    out = renderer.request(result.request)
    headers = {"Location": out.links.self_}
    if result.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(out, status_code=200 if result.replayed else 201, headers=headers)


NameLanguage = Annotated[
    str | None,
    HeaderParameter(
        name="Accept-Language",
        description="The service's name in en, es, pl or zh (the first it prefers; English "
        "otherwise)",
    ),
]


def _language(language: str) -> dict[str, str]:
    return {"Content-Language": language, "Vary": "Accept-Language"}


@get(
    "/requests/{tracking_number:str}",
    summary="Public status of a request",
    responses=problem_responses(404),
)
async def get_request(
    tracking_number: FromPath[str],
    request_endpoints: Injected[RequestEndpoints],
    accept_language: NameLanguage = None,
) -> Response[RequestOut]:
    view = await request_endpoints.requests.get_public(tracking_number)
    language = accepted_language(accept_language) or SOURCE_LANGUAGE
    return Response(
        request_endpoints.renderer.request(view, language=language), headers=_language(language)
    )


@get(
    "/requests/{tracking_number:str}/history",
    summary="Public history of a request",
    responses=problem_responses(404),
)
async def get_history(
    tracking_number: FromPath[str], requests: Injected[RequestService]
) -> HistoryOut:
    events = await requests.history(tracking_number, public_only=True)
    return HistoryOut(
        tracking_number=parse_tracking_number(tracking_number) or tracking_number,
        events=[event_out(e) for e in events],
    )


KEEPALIVE_S = 15.0


@get(
    "/requests/{tracking_number:str}/events",
    summary="Live public history of a request (server-sent events)",
    description="The request's public events as `text/event-stream`: first those after "
    "`Last-Event-ID` (all of them without it), then each new one as it happens (within a few "
    "seconds of the change). Each event's `id` is its place in the history, `event` its kind, "
    "`data` the same object as in GET …/history. A comment every 15 s keeps proxies from "
    "closing an idle stream.",
    responses=problem_responses(404, 422),
    media_type="text/event-stream",
)
async def request_events(
    tracking_number: FromPath[str],
    requests: Injected[RequestService],
    live: Injected[ChannelsPlugin],
    last_event_id: Annotated[
        str | None,
        HeaderParameter(
            name="Last-Event-ID",
            max_length=32,
            description="Resume after this event (the `id` of the last one received)",
        ),
    ] = None,
) -> ServerSentEvent:
    tn = (await requests.get_public(tracking_number)).tracking_number  # 404 before a stream
    resume = (last_event_id or "").strip()
    after = int(resume) if resume.isascii() and resume.isdigit() else 0  # not '²': int() fails

    async def stream() -> AsyncIterator[ServerSentEventMessage]:
        seen = after
        # Subscribed before the history is read: a change made in between is not missed.
        async with live.start_subscription([channel_of(tn)]) as subscriber:
            wakeups = subscriber.iter_events()
            waiting: asyncio.Future[object] | None = None
            while True:
                for event in await requests.history(tn, public_only=True):
                    if event.id > seen:
                        seen = event.id
                        data = msgspec.json.encode(event_out(event)).decode()
                        yield ServerSentEventMessage(data=data, id=event.id, event=event.kind)
                waiting = waiting or asyncio.ensure_future(anext(wakeups))
                done, _ = await asyncio.wait({waiting}, timeout=KEEPALIVE_S)
                if done:
                    waiting = None
                else:
                    yield ServerSentEventMessage(comment="keep-alive")

    return ServerSentEvent(stream())


def _parse_near(near: str) -> tuple[float, float]:
    try:
        lat_text, long_text = near.split(",")
        lat, long = float(lat_text), float(long_text)
    except ValueError:
        raise InvalidInput.for_field(
            "near", "use near=<lat>,<long>, e.g. near=41.91,-87.68"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        raise InvalidInput.for_field("near", "latitude or longitude out of range")
    return lat, long


_STATUSES = frozenset(status.value for status in Status)


def _parse_status(status: str) -> frozenset[str]:
    wanted: set[str] = set()
    for part in filter(None, (p.strip() for p in status.split(","))):
        if part == "open":
            wanted |= OPEN_STATUSES
        elif part == "closed":
            wanted |= CLOSED_STATUSES
        elif part in _STATUSES:
            wanted.add(part)
        else:
            raise InvalidInput.for_field(
                "status", f"'{shown(part)}' is not open, closed or a status ({', '.join(Status)})"
            )
    return frozenset(wanted)


# A cursor is the id below which the next page starts: at most 18 ASCII digits (a 64-bit id).
_CURSOR = re.compile(r"[1-9][0-9]{0,17}")
Cursor = Annotated[
    str | None,
    QueryParameter(
        pattern=r"^[1-9][0-9]{0,17}$",
        description="Opaque: copy it from the `next` link of the previous page",
    ),
]
_STATUS_WORDS = "|".join(["open", "closed", *Status])
StatusFilter = Annotated[
    str | None,
    QueryParameter(
        pattern=rf"^ *({_STATUS_WORDS}) *(, *({_STATUS_WORDS}) *)*$",
        description="open, closed, or statuses, comma-separated",
    ),
]
ServiceFilter = Annotated[
    str | None,
    QueryParameter(min_length=1, max_length=MAX_SERVICE_CODE, description="A service code"),
]
Near = Annotated[
    str | None,
    QueryParameter(
        pattern=r"^ *-?[0-9]+(\.[0-9]+)? *, *-?[0-9]+(\.[0-9]+)? *$",
        description="lat,long, e.g. 41.91,-87.68",
    ),
]


def _parse_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not _CURSOR.fullmatch(cursor):
        raise InvalidInput.for_field(
            "cursor", "not a page cursor; use the 'next' link of the previous page"
        )
    return int(cursor)


@get(
    "/requests",
    summary="Requests near a point, by service and status (newest first)",
    responses=problem_responses(422),
)
async def list_requests(
    request: AnyRequest,
    request_endpoints: Injected[RequestEndpoints],
    near: Near = None,
    radius: Annotated[int, QueryParameter(ge=1, le=MAX_RADIUS_M)] = 500,
    service: ServiceFilter = None,
    status: StatusFilter = None,
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    cursor: Cursor = None,
    accept_language: NameLanguage = None,
) -> Response[RequestPageOut]:
    requests, renderer = request_endpoints.requests, request_endpoints.renderer
    point = _parse_near(near) if near else None
    service_type = request_endpoints.catalog.by_code(service) if service is not None else None
    if service is not None and service_type is None:
        raise InvalidInput.for_field("service", f"'{shown(service)}' is not a service code")
    filters = ListFilters(
        near=point,
        radius_m=float(radius),
        service_type_id=service_type.id if service_type else None,
        statuses=_parse_status(status) if status else None,
        before_id=_parse_cursor(cursor),
        limit=limit,
    )
    page = await requests.search(filters)
    return _page(renderer, request, page, point, accept_language)


def _page(
    renderer: RequestRenderer,
    request: AnyRequest,
    page: Page,
    point: tuple[float, float] | None,
    accept_language: str | None,
) -> Response[RequestPageOut]:
    language = accepted_language(accept_language) or SOURCE_LANGUAGE
    next_url = None
    if page.next_before_id is not None:
        params = {**request.query_params.dict(), "cursor": [str(page.next_before_id)]}
        path = request.url.path.removeprefix("/api/v1")
        next_url = renderer.url(path) + "?" + urlencode(params, doseq=True)
    items = [renderer.request(v, point, language) for v in page.items]
    return Response(RequestPageOut(items=items, next=next_url), headers=_language(language))


Limit = Annotated[int, QueryParameter(ge=1, le=100)]


async def _device_page(
    endpoints: RequestEndpoints,
    request: AnyRequest,
    limit: int,
    cursor: str | None,
    mine: bool,
    accept_language: str | None,
    reported: bool | None = None,
) -> Response[RequestPageOut]:
    """A page of the device's own requests (mine) or of those it follows (only those it reported,
    or only the others, when `reported` says so)."""
    device_id = await required_device(endpoints.devices, request)
    filters = ListFilters(before_id=_parse_cursor(cursor), limit=limit)
    if mine:
        filters.reporter_device_id = device_id
    else:
        filters.followed_by = Subscriber.device(device_id)
        if reported is True:
            filters.reporter_device_id = device_id
        elif reported is False:
            filters.not_reporter_device_id = device_id
    page = await endpoints.requests.search(filters)
    return _page(endpoints.renderer, request, page, None, accept_language)


@get(
    "/me/requests",
    summary="The requests this device submitted (newest first)",
    security=DEVICE,
    responses=problem_responses(401, 422),
)
async def my_requests(
    request: AnyRequest,
    request_endpoints: Injected[RequestEndpoints],
    limit: Limit = 20,
    cursor: Cursor = None,
    accept_language: NameLanguage = None,
) -> Response[RequestPageOut]:
    return await _device_page(
        request_endpoints, request, limit, cursor, mine=True, accept_language=accept_language
    )


@get(
    "/me/following",
    summary="The requests this device follows (newest first)",
    security=DEVICE,
    responses=problem_responses(401, 422),
)
async def my_following(
    request: AnyRequest,
    request_endpoints: Injected[RequestEndpoints],
    limit: Limit = 20,
    cursor: Cursor = None,
    accept_language: NameLanguage = None,
    reported: Annotated[
        bool | None,
        QueryParameter(
            description="false: only the requests this device follows but did not report (a "
            "device follows its own reports, which GET /me/requests lists); true: only those it "
            "reported; absent: all it follows"
        ),
    ] = None,
) -> Response[RequestPageOut]:
    return await _device_page(
        request_endpoints,
        request,
        limit,
        cursor,
        mine=False,
        accept_language=accept_language,
        reported=reported,
    )


async def _set_following(
    endpoints: RequestEndpoints,
    request: AnyRequest,
    tracking_number: str,
    following: bool,
) -> FollowOut:
    device_id = await required_device(endpoints.devices, request)
    requests = endpoints.requests
    change = requests.follow if following else requests.unfollow
    await change(tracking_number, Subscriber.device(device_id), channel="app")
    return FollowOut(
        tracking_number=parse_tracking_number(tracking_number) or tracking_number,
        following=following,
    )


@get(
    "/requests/{tracking_number:str}/follow",
    summary="Whether this device follows a request",
    security=DEVICE,
    responses=problem_responses(401, 404),
)
async def is_following(
    tracking_number: FromPath[str],
    request: AnyRequest,
    request_endpoints: Injected[RequestEndpoints],
) -> FollowOut:
    device_id = await required_device(request_endpoints.devices, request)
    requests = request_endpoints.requests
    tn = (await requests.get_public(tracking_number)).tracking_number  # 404 for a private one
    following = await requests.is_following(tn, Subscriber.device(device_id))
    return FollowOut(tracking_number=tn, following=following)


class FollowController(Controller):
    """Follow and unfollow: one path, one rate-limit bucket (OPTIONS: backend/channels/allow.py).
    Asking whether a device follows (GET, above) is a read and takes no follow's rate."""

    path = "/requests/{tracking_number:str}/follow"
    opt = {"rate_limit": "follows"}
    middleware = [RATE_LIMITED]

    @post(
        "/",
        status_code=200,
        summary="Follow a request (get its updates)",
        security=DEVICE,
        responses=problem_responses(401, 404, 429),
    )
    async def follow_request(
        self,
        tracking_number: FromPath[str],
        request: AnyRequest,
        request_endpoints: Injected[RequestEndpoints],
    ) -> FollowOut:
        return await _set_following(request_endpoints, request, tracking_number, following=True)

    @delete(
        "/",
        status_code=200,
        summary="Stop following a request",
        security=DEVICE,
        responses=problem_responses(401, 404, 429),
    )
    async def unfollow_request(
        self,
        tracking_number: FromPath[str],
        request: AnyRequest,
        request_endpoints: Injected[RequestEndpoints],
    ) -> FollowOut:
        return await _set_following(request_endpoints, request, tracking_number, following=False)


# OPTIONS first: registered before the other handlers of its path, it is the one Litestar keeps.
ROUTES: list[ControllerRouterHandler] = [
    options_for("/requests", "GET", "POST"),
    options_for("/requests/{tracking_number:str}/follow", "DELETE", "GET", "POST"),
    submit_request,
    get_request,
    get_history,
    request_events,
    list_requests,
    my_requests,
    my_following,
    is_following,
    FollowController,
]
