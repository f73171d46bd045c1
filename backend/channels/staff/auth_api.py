"""Staff console API: log in (a token pair), refresh it, log out, and who am I.

POST /auth/login answers 401 for a wrong username or password (the same answer whether or not the
account exists) and 429 with Retry-After while the account is locked after repeated failures
(backend/identity/staff.py).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Response, get, post

from backend.channels.app_api.submit_body import decode_json, require_json
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import json_body
from backend.channels.openapi_problems import problem_responses
from backend.channels.problems import problem
from backend.errors import Unauthorized
from backend.identity.staff import LockedOut, StaffDirectory, StaffPrincipal, StaffRole
from backend.identity.staff_tokens import StaffTokens
from backend.limits import LINE_PATTERN
from backend.service_requests.audit import Actor, ActorKind, AuditKind
from backend.service_requests.service import RequestService

from .guards import PUBLIC, staff_route


class Api(msgspec.Struct, rename="camel", kw_only=True):
    pass


class LoginIn(Api):
    username: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=LINE_PATTERN)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class RefreshIn(Api):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=4096)]


class TokensOut(Api):
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives


class LoggedOut(Api):
    logged_out: bool


class DepartmentOut(Api):
    id: int
    slug: str
    name: str


class MeOut(Api):
    id: int
    username: str
    role: str
    departments: list[DepartmentOut]


async def _body(request: AnyRequest, struct: type) -> Any:
    require_json(request)
    return decode_json(await request.body(), struct)


@post(
    "/auth/login",
    status_code=200,
    operation_class=json_body(LoginIn),
    summary="Log in with a username and password: an access token and a refresh token",
    opt=PUBLIC,
    responses=problem_responses(400, 401, 415, 422, 429),
)
async def login(
    request: AnyRequest,
    staff_directory: Injected[StaffDirectory],
    staff_tokens: Injected[StaffTokens],
    requests: Injected[RequestService],
) -> Response[Any] | TokensOut:
    body = await _body(request, LoginIn)
    ip = request.client.host if request.client else None
    refused = Actor(ActorKind.STAFF, None, ip)  # who failed is not known: the name tried is kept
    try:
        principal = await staff_directory.authenticate(body.username, body.password)
    except LockedOut as exc:
        await requests.record(
            refused, AuditKind.LOGIN_FAILED, {"username": body.username, "locked": True}
        )
        errors = [{"field": e.field, "message": e.message} for e in exc.errors]
        headers = {"Retry-After": str(exc.retry_after)}
        return problem(exc.slug, exc.detail, request.url.path, errors, headers=headers)
    except Unauthorized:
        await requests.record(refused, AuditKind.LOGIN_FAILED, {"username": body.username})
        raise
    await requests.record(Actor.staff(principal.id, ip), AuditKind.LOGIN)
    pair = await staff_tokens.start_session(principal)
    return TokensOut(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@post(
    "/auth/refresh",
    status_code=200,
    operation_class=json_body(RefreshIn),
    summary="Exchange a refresh token (once) for a new access token and refresh token",
    opt=PUBLIC,
    responses=problem_responses(400, 401, 415, 422),
)
async def refresh(request: AnyRequest, staff_tokens: Injected[StaffTokens]) -> TokensOut:
    body = await _body(request, RefreshIn)
    pair = await staff_tokens.refresh(body.refresh_token)
    return TokensOut(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@post(
    "/auth/logout",
    status_code=200,
    operation_class=json_body(RefreshIn, at="Logout"),
    summary="Revoke a refresh token (the access token lasts until it expires)",
    opt=PUBLIC,
    responses=problem_responses(400, 415, 422),
)
async def logout(request: AnyRequest, staff_tokens: Injected[StaffTokens]) -> LoggedOut:
    body = await _body(request, RefreshIn)
    return LoggedOut(logged_out=await staff_tokens.revoke(body.refresh_token))


@get(
    "/me",
    summary="The staff account this access token belongs to",
    opt=staff_route(*StaffRole),
    responses=problem_responses(401, 403),
)
async def me(staff: Injected[StaffPrincipal], staff_directory: Injected[StaffDirectory]) -> MeOut:
    departments = await staff_directory.departments(staff.department_ids)
    return MeOut(
        id=staff.id,
        username=staff.username,
        role=str(staff.role),
        departments=[
            DepartmentOut(id=d["id"], slug=d["slug"], name=d["name"]) for d in departments
        ],
    )


ROUTES = [login, refresh, logout, me]
