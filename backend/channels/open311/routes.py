"""Open311 GeoReport v2 endpoints: discovery, services, service definitions, requests (GET and
POST), one request, tokens. The format is the path's suffix. Reads go through RequestService's
feed and the catalog snapshot; a POST goes through RequestService.submit like every channel."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Request, Response, get, post, route
from litestar.datastructures import State
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import Parameter

from backend.channels.allow import options_for
from backend.channels.openapi_bodies import OPEN311_KEY
from backend.channels.rate_limits import RATE_LIMITED
from backend.errors import Forbidden, NotFound
from backend.limits import shown
from backend.service_requests.models import FeedFilters
from backend.service_requests.tracking import parse_tracking_number
from backend.storage.photo_limits import MAX_PHOTOS_BODY

from .formats import MEDIA_TYPES, encode, split_format
from .mapping import (
    JURISDICTION,
    JURISDICTION_PATTERN,
    SPECIFICATION,
    RequestMapper,
    service_definition,
    service_list,
)
from .openapi import PostOperation
from .params import MAX_PAGE, MAX_PAGE_SIZE, parse_feed_query
from .post_form import read_post

V2 = "/v2"
MAX_POST_BODY = MAX_PHOTOS_BODY  # as the app API allows

Query = Annotated[str | None, Parameter(required=False)]
_JURISDICTION = re.compile(JURISDICTION_PATTERN)


def _whole(most: int, description: str) -> Any:
    """A whole-number argument (empty is absent, the spec's rule)."""
    choices = [
        Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=most),
        Schema(type=OpenAPIType.STRING, max_length=0),
    ]
    return Annotated[
        str | None,
        Parameter(required=False, description=description, schema_extra={"one_of": choices}),
    ]


Jurisdiction = Annotated[
    str | None,
    Parameter(
        required=False,
        description=f"{JURISDICTION} (any case) or empty: this server's only jurisdiction; "
        "another is a 404",
        schema_extra={
            "one_of": [Schema(type=OpenAPIType.STRING, pattern=JURISDICTION_PATTERN)],
            "examples": [JURISDICTION],
        },
    ),
]
Page = _whole(MAX_PAGE, "Which page, from 1 (an extension)")
PageSize = _whole(MAX_PAGE_SIZE, f"Requests per page, at most {MAX_PAGE_SIZE} (an extension)")


def _both(path: str) -> list[str]:
    return [f"{path}.json", f"{path}.xml"]


def _fmt(request: Request) -> str:
    return "json" if request.url.path.endswith(".json") else "xml"


def _reply(fmt: str, root: str, value: list | dict) -> Response[bytes]:
    return Response(content=encode(fmt, root, value), media_type=MEDIA_TYPES[fmt])


def check_jurisdiction(*values: str) -> None:
    """404 unless every jurisdiction_id given is ours (any case) or empty: a repeated one is
    checked each time, so no order of `ours&another` gets through."""
    for value in values:
        if not _JURISDICTION.fullmatch(value):
            raise NotFound.for_field(
                "jurisdiction_id",
                f"jurisdiction_id '{shown(value)}' not found; this server is {JURISDICTION}",
            )


def _check_query(request: Request) -> None:
    """Every jurisdiction_id of the query string (the handler's argument holds only one)."""
    check_jurisdiction(*request.query_params.getall("jurisdiction_id", []))


def _mapper(state: State) -> RequestMapper:
    mapper = state.get("open311_mapper")
    if mapper is None:
        services = state.services
        mapper = state.open311_mapper = RequestMapper(
            services.catalog, services.settings.public_base_url
        )
    return mapper


@get(
    ["/discovery.json", "/discovery.xml", f"{V2}/discovery.json", f"{V2}/discovery.xml"],
    summary="Service discovery: where this Open311 endpoint is and what it speaks",
)
async def discovery(request: Request, state: State) -> Response[bytes]:
    base = state.services.settings.public_base_url + "/open311/v2/"
    changeset = "2026-11-29T00:00:00Z"
    return _reply(
        _fmt(request),
        "discovery",
        {
            "changeset": changeset,
            "contact": "City311, City of Chicago 311 City Services: call 311 or 312-744-5000",
            "key_service": "An api_key for POST requests is issued by the city's 311 team "
            "(`city311 keys create --name N`); reading needs none.",
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": changeset,
                    "type": kind,
                    "formats": ["text/xml", "application/json"],
                }
                for kind in ("production", "test")
            ],
        },
    )


@get(_both(f"{V2}/services"), summary="Every service type (GET Service List)")
async def services_list(
    request: Request, state: State, jurisdiction_id: Jurisdiction = None
) -> Response[bytes]:
    _check_query(request)
    return _reply(_fmt(request), "services", service_list(state.services.catalog))


@get(f"{V2}/services/{{name:str}}", summary="One service type's questions (GET Service Definition)")
async def service_definition_get(
    name: Annotated[str, Parameter(description="a service code and a format: PHF.xml, SGA.json")],
    request: Request,
    state: State,
    jurisdiction_id: Jurisdiction = None,
) -> Response[bytes]:
    code, fmt = split_format(name)
    _check_query(request)
    service_type = state.services.catalog.by_code(code)
    if service_type is None or not service_type.active or service_type.private:
        raise NotFound.for_field("service_code", f"service_code '{shown(code)}' not found")
    return _reply(fmt, "service_definition", service_definition(service_type))


@get(_both(f"{V2}/requests"), summary="Requests, oldest first (GET Service Requests)")
async def requests_get(
    request: Request,
    state: State,
    jurisdiction_id: Jurisdiction = None,
    service_request_id: Query = None,
    service_code: Query = None,
    status: Query = None,
    start_date: Query = None,
    end_date: Query = None,
    updated_after: Query = None,
    updated_before: Query = None,
    lat_ne: Query = None,
    long_ne: Query = None,
    lat_sw: Query = None,
    long_sw: Query = None,
    page: Page = None,
    page_size: PageSize = None,
    extensions: Query = None,
) -> Response[bytes]:
    _check_query(request)
    services = state.services
    query = parse_feed_query(request.query_params, services.catalog, datetime.now(UTC))
    return await _requests(request, state, query.filters, query.extensions)


@post(
    _both(f"{V2}/requests"),
    status_code=200,
    summary="Report a problem (POST Service Request): needs an api_key",
    request_max_body_size=MAX_POST_BODY,
    operation_class=PostOperation,
    security=OPEN311_KEY,
    opt={"rate_limit": "open311"},
    middleware=[RATE_LIMITED],
)
async def requests_post(
    request: Request, state: State, jurisdiction_id: Jurisdiction = None
) -> Response[bytes]:
    services = state.services
    posted = await read_post(request, services.catalog)
    request.state.open311_address_field = posted.address_field
    if await services.api_keys.check(posted.api_key) is None:
        raise Forbidden.for_field(
            "api_key",
            "Invalid api_key received -- can't proceed with create_request."
            if posted.api_key
            else "api_key is required to create a request",
        )
    check_jurisdiction(*posted.jurisdictions)  # the body's and the query string's
    code = posted.command.service_code
    if code and services.catalog.by_code(code) is None:
        # the spec: an unknown service_code is a 404 (a missing one is a 400, from submit)
        raise NotFound.for_field("service_code", f"service_code '{shown(code)}' not found")
    result = await services.requests.submit(posted.command)
    notice = _mapper(state).notice(result.request.service_code)
    return _reply(
        _fmt(request),
        "service_requests",
        [
            {
                "service_request_id": result.request.tracking_number,
                "service_notice": notice,
                "account_id": None,
            }
        ],
    )


async def _requests(
    request: Request, state: State, filters: FeedFilters, extensions: bool
) -> Response[bytes]:
    service = state.services.requests
    views = await service.feed(filters)
    mapper = _mapper(state)
    if extensions:
        notes = await service.public_notes([v.id for v in views])
        items = [mapper.request(v, notes[v.id]) for v in views]
    else:
        items = [mapper.request(v) for v in views]
    return _reply(_fmt(request), "service_requests", items)


@get(f"{V2}/requests/{{name:str}}", summary="One request (GET Service Request)")
async def request_get(
    name: Annotated[
        str, Parameter(description="a service_request_id and a format: SR26-00000001.json")
    ],
    request: Request,
    state: State,
    jurisdiction_id: Jurisdiction = None,
    extensions: Query = None,
) -> Response[bytes]:
    tracking_number, _ = split_format(name)
    _check_query(request)
    view = await state.services.requests.get_public(tracking_number)
    mapper = _mapper(state)
    if (extensions or "").strip().lower() in ("true", "1", "yes"):
        notes = await state.services.requests.public_notes([view.id])
        return _reply(_fmt(request), "service_requests", [mapper.request(view, notes[view.id])])
    return _reply(_fmt(request), "service_requests", [mapper.request(view)])


@get(f"{V2}/tokens/{{name:str}}", summary="The service_request_id a token stands for")
async def token_get(
    name: Annotated[str, Parameter(description="a token and a format: SR26-00000001.json")],
    request: Request,
    state: State,
    jurisdiction_id: Jurisdiction = None,
) -> Response[bytes]:
    token, fmt = split_format(name)
    _check_query(request)
    # Every service is realtime, so a POST answers with the id at once; a token is the id we
    # issued (clients written for batch services may still ask).
    try:
        if len(token) > 40 or parse_tracking_number(token) is None:
            raise NotFound("not a token we issued")
        view = await state.services.requests.get_public(token)
    except NotFound:
        raise NotFound.for_field("token", f"token '{shown(token)}' not found") from None
    return _reply(
        fmt, "service_requests", [{"service_request_id": view.tracking_number, "token": token}]
    )


@route(
    [f"{V2}/{{name:str}}"],
    http_method=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
async def unknown_resource(name: str) -> None:
    split_format(name)  # a bad suffix says so
    raise NotFound.for_field("resource", f"there is no Open311 resource '{shown(name)}'")


ROUTES = [
    discovery,
    services_list,
    service_definition_get,
    options_for(f"{V2}/requests.json", "GET", "POST"),
    options_for(f"{V2}/requests.xml", "GET", "POST"),
    requests_get,
    requests_post,
    request_get,
    token_get,
    unknown_resource,
]
