"""The staff login in front of the back office (backend/channels/admin.py explains why and how):
StaffAdminAuth guards the admin's table API with a staff access token (an Authorization header
or the session cookies, refreshed once when expired), and the login and logout endpoints of the
admin's UI set and clear those cookies."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from json import JSONDecodeError
from typing import Any

from starlette.authentication import AuthCredentials, BaseUser
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.channels.admin_scope import admin_root, scope_services
from backend.errors import DomainError, Unauthorized
from backend.identity.staff import LockedOut, StaffPrincipal, StaffRole
from backend.identity.staff_tokens import StaffTokens, TokenPair
from backend.limits import LINE
from backend.services import Services

ACCESS_COOKIE = "city311_admin"
REFRESH_COOKIE = "city311_admin_refresh"
ADMIN_ROLES = (StaffRole.ADMIN, StaffRole.SUPERVISOR)
READ_ONLY_ROLES = (StaffRole.SUPERVISOR,)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFRESH_GRACE_S = 30.0


class StaffAdminUser(BaseUser):
    """`request.user` inside the admin: what piccolo_admin reads of a user (name and id)."""

    def __init__(self, principal: StaffPrincipal) -> None:
        self.user = principal

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.user.username

    @property
    def identity(self) -> str:
        return str(self.user.id)

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username


def _set_cookies(
    response: Response, scope: Scope, pair: TokenPair | None, secure: bool, refresh_seconds: int
) -> None:
    """The session cookies (or their removal when `pair` is None) on `response`."""
    path = admin_root(scope)
    if pair is None:
        for name in (ACCESS_COOKIE, REFRESH_COOKIE):
            response.delete_cookie(name, path=path, secure=secure, httponly=True, samesite="strict")
        return
    for name, value, max_age in (
        (ACCESS_COOKIE, pair.access_token, pair.expires_in),
        (REFRESH_COOKIE, pair.refresh_token, refresh_seconds),
    ):
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path=path,
            secure=secure,
            httponly=True,
            samesite="strict",
        )


def _cookie_headers(
    scope: Scope, pair: TokenPair | None, secure: bool, refresh_seconds: int
) -> list[tuple[bytes, bytes]]:
    response = Response()
    _set_cookies(response, scope, pair, secure, refresh_seconds)
    return [(k, v) for k, v in response.raw_headers if k == b"set-cookie"]


def _auth_failed(detail: str, status: int = 401) -> JSONResponse:
    # piccolo_admin's own shape ({"error": ...}), which its UI reads as "log in again"
    return JSONResponse({"error": "Auth failed", "detail": detail}, status_code=status)


class _Refresher:
    """Exchanges refresh tokens, sharing one exchange among the concurrent requests that carry the
    same token (the UI fires several API calls at once when its access cookie has expired)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._recent: dict[str, tuple[float, TokenPair]] = {}

    async def refresh(self, tokens: StaffTokens, refresh_token: str) -> TokenPair:
        key = hashlib.sha256(refresh_token.encode()).hexdigest()
        async with self._lock:
            now = time.monotonic()
            self._recent = {k: v for k, v in self._recent.items() if now - v[0] < REFRESH_GRACE_S}
            if key in self._recent:
                return self._recent[key][1]
            pair = await tokens.refresh(refresh_token)
            self._recent[key] = (now, pair)
            return pair


class StaffAdminAuth:
    """In front of the admin's table API: a staff access token of an admin (or, read only, a
    supervisor) from the Authorization header or the session cookies; 401/403 otherwise."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure
        self.refresher = _Refresher()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        services = scope_services(scope)
        conn = HTTPConnection(scope)
        ip = conn.client.host if conn.client else None
        refreshed: TokenPair | None = None
        header = conn.headers.get("authorization")
        try:
            if header is not None:
                scheme, _, token = header.partition(" ")
                if scheme.lower() != "bearer" or not token.strip():
                    raise Unauthorized("send 'Authorization: Bearer <staff access token>'")
                principal = await services.staff_tokens.principal(token.strip(), ip)
            else:
                principal, refreshed = await self._from_cookies(conn, services, ip)
        except DomainError as exc:
            response = _auth_failed(exc.detail)
            if header is None and (ACCESS_COOKIE in conn.cookies or REFRESH_COOKIE in conn.cookies):
                _set_cookies(response, scope, None, self.secure, 0)
            await response(scope, receive, send)
            return
        if principal.role not in ADMIN_ROLES:
            detail = f"a {principal.role} account cannot use the back office (admins only)"
            if header is not None:
                await _auth_failed(detail, 403)(scope, receive, send)
                return
            # a session whose account has lost its role since: end it (the UI shows its login)
            response = _auth_failed(detail)
            _set_cookies(response, scope, None, self.secure, 0)
            await response(scope, receive, send)
            return
        if principal.role in READ_ONLY_ROLES and scope["method"] not in SAFE_METHODS:
            detail = f"a {principal.role} account may look but not change anything here"
            await _auth_failed(detail, 403)(scope, receive, send)
            return
        scope["user"] = StaffAdminUser(principal)
        scope["auth"] = AuthCredentials(["authenticated"])
        if refreshed is None:
            await self.app(scope, receive, send)
            return
        refresh_seconds = int(services.staff_tokens.refresh_lifetime.total_seconds())
        cookies = _cookie_headers(scope, refreshed, self.secure, refresh_seconds)

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *cookies]}
            await send(message)

        await self.app(scope, receive, send_with_cookies)

    async def _from_cookies(
        self, conn: HTTPConnection, services: Services, ip: str | None
    ) -> tuple[StaffPrincipal, TokenPair | None]:
        tokens = services.staff_tokens
        access = conn.cookies.get(ACCESS_COOKIE)
        if access:
            try:
                return await tokens.principal(access, ip), None
            except Unauthorized:
                pass  # expired (or otherwise unusable): try the refresh token
        refresh = conn.cookies.get(REFRESH_COOKIE)
        if not refresh:
            raise Unauthorized("log in to the back office")
        pair = await self.refresher.refresh(tokens, refresh)
        return await tokens.principal(pair.access_token, ip), pair


def login_endpoint(secure: bool) -> Callable[[Request], Awaitable[Response]]:
    async def login(request: Request) -> Response:
        if request.method != "POST":
            return JSONResponse(
                {"detail": "log in with POST"}, status_code=405, headers={"Allow": "POST"}
            )
        body: Any = request.scope.get("form")  # read already by the CSRF middleware (form posts)
        if not body:
            try:
                body = await request.json()
            except (JSONDecodeError, UnicodeDecodeError):
                body = await request.form()
            except RecursionError:
                return JSONResponse({"detail": "the JSON is nested too deeply"}, status_code=400)
        username = body.get("username") if hasattr(body, "get") else None
        password = body.get("password") if hasattr(body, "get") else None
        if not isinstance(username, str) or not isinstance(password, str):
            return JSONResponse({"detail": "Missing username or password"}, status_code=422)
        if not username or not password:
            return JSONResponse({"detail": "Missing username or password"}, status_code=422)
        if len(username) > 200 or not LINE.search(username):
            detail = "username: one line of at most 200 characters, no control characters"
            return JSONResponse({"detail": detail}, status_code=422)
        services = scope_services(request.scope)
        try:
            principal = await services.staff.authenticate(username, password)
        except LockedOut as exc:
            return JSONResponse(
                {"detail": exc.detail},
                status_code=429,
                headers={"Retry-After": str(exc.retry_after)},
            )
        except DomainError:
            return JSONResponse({"detail": "Login failed"}, status_code=401)
        if principal.role not in ADMIN_ROLES:
            detail = f"a {principal.role} account cannot use the back office (admins only)"
            return JSONResponse({"detail": detail}, status_code=403)
        pair = await services.staff_tokens.start_session(principal)
        response = JSONResponse({"message": "logged in"})
        refresh_seconds = int(services.staff_tokens.refresh_lifetime.total_seconds())
        _set_cookies(response, request.scope, pair, secure, refresh_seconds)
        return response

    return login


def logout_endpoint(secure: bool) -> Callable[[Request], Awaitable[Response]]:
    async def logout(request: Request) -> Response:
        refresh = request.cookies.get(REFRESH_COOKIE)
        if refresh:
            await scope_services(request.scope).staff_tokens.revoke(refresh)
        response = JSONResponse({"message": "logged out"})
        _set_cookies(response, request.scope, None, secure, 0)
        return response

    return logout
