"""The operator console's sign-in: the staff login (same accounts, lockout, roles and audit as
POST /api/staff/v1/auth/login) kept in two HttpOnly, SameSite=Strict cookies scoped to /staff, the
guard every console page runs, and sign-out.

The access cookie holds a staff access token (backend/identity/staff_tokens.py), the refresh cookie
its refresh token. A page whose access token has expired exchanges the refresh token once (it
rotates; the role and the disabled flag are read again) and the new pair is set on that page's
response (`keep_session`, the router's after_request). No session: the page answers a redirect to
the sign-in page, which comes back to it; a role the page is not for: the 403 page.

Every page declares who may open it in its `opt`, with the staff API's own rule
(backend/channels/staff/guards.py): `staff_route(*roles)` (admins always), `PUBLIC` for the
sign-in page only; a page that declares neither is for admins only. Forms are protected from
cross-site posts by Litestar's CSRF middleware on the console's router (router.py), beside the
SameSite=Strict cookies.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Response, get, post
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect, Template
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.channels.deps import Injected, services_of
from backend.channels.handler_types import AnyConnection, AnyRequest
from backend.channels.staff.guards import PUBLIC, allowed_roles
from backend.errors import Unauthorized
from backend.identity.staff import MAX_USERNAME, LockedOut, StaffDirectory, StaffPrincipal
from backend.identity.staff_tokens import StaffTokens, TokenPair
from backend.limits import LINE
from backend.service_requests.audit import Actor, ActorKind, AuditKind
from backend.service_requests.service import RequestService

ROOT = "/staff"
ACCESS_COOKIE = "city311_console"
REFRESH_COOKIE = "city311_console_refresh"
HOME = f"{ROOT}/"
LOGIN = f"{ROOT}/login"
_STATE_KEY = "console_staff"
_REFRESHED = "console_refreshed"


class SignInNeeded(Exception):
    """No session (or an unusable one): the page answers a redirect to the sign-in page."""

    def __init__(self, back_to: str) -> None:
        super().__init__("sign in")
        self.back_to = back_to


class PageRefused(Exception):
    """A signed-in staff member whose role the page is not for: the 403 page."""

    def __init__(self, principal: StaffPrincipal, roles: tuple[str, ...]) -> None:
        super().__init__(f"a {principal.role} account cannot open this page")
        self.principal = principal
        self.roles = roles


def page(
    template: str, staff: StaffPrincipal | None, status: int = 200, **context: Any
) -> Template:
    """A console page: `template` (which extends base.html) with the signed-in staff member."""
    return Template(template_name=template, context={"staff": staff, **context}, status_code=status)


def safe_back_to(value: str | None) -> str:
    """Where the sign-in page may send the browser on: a console path, nothing else."""
    inside = value is not None and (value.startswith(HOME) or value.partition("?")[0] == ROOT)
    if not value or not inside or value.startswith("//") or "\\" in value:
        return HOME
    if not LINE.search(value) or len(value) > 2000:
        return HOME
    return value


def _secure(connection: AnyConnection) -> bool:
    """Secure cookies when the world reaches us over https (CITY311_PUBLIC_BASE_URL)."""
    return services_of(connection.app.state).settings.public_base_url.startswith("https:")


def session_cookies(pair: TokenPair | None, secure: bool, refresh_seconds: int) -> list[Cookie]:
    """The two session cookies, or (pair None) their removal."""
    common: dict[str, Any] = {
        "path": ROOT,
        "secure": secure,
        "httponly": True,
        "samesite": "strict",
    }
    if pair is None:
        return [
            Cookie(key=name, value="", max_age=0, **common)
            for name in (ACCESS_COOKIE, REFRESH_COOKIE)
        ]
    return [
        Cookie(key=ACCESS_COOKIE, value=pair.access_token, max_age=pair.expires_in, **common),
        Cookie(key=REFRESH_COOKIE, value=pair.refresh_token, max_age=refresh_seconds, **common),
    ]


async def _principal(connection: AnyConnection) -> StaffPrincipal:
    """Who the session cookies name, refreshing an expired access token once; SignInNeeded."""
    tokens = services_of(connection.app.state).staff_tokens
    ip = connection.client.host if connection.client else None
    back_to = connection.url.path + (f"?{connection.url.query}" if connection.url.query else "")
    access = connection.cookies.get(ACCESS_COOKIE)
    if access:
        try:
            return await tokens.principal(access, ip)
        except Unauthorized:
            pass  # expired, or the account is disabled: the refresh decides
    refresh = connection.cookies.get(REFRESH_COOKIE)
    if not refresh:
        raise SignInNeeded(back_to)
    try:
        pair = await tokens.refresh(refresh)
        principal = await tokens.principal(pair.access_token, ip)
    except Unauthorized:
        raise SignInNeeded(back_to) from None
    connection.state[_REFRESHED] = pair
    return principal


async def require_console_staff(connection: AnyConnection, handler: BaseRouteHandler) -> None:
    """The console router's guard: the signed-in staff member, whose role the page lets in."""
    roles = allowed_roles(handler.opt)
    if roles is None:
        return
    principal = await _principal(connection)
    connection.state[_STATE_KEY] = principal
    if principal.role not in roles:
        raise PageRefused(principal, roles)


def console_staff(request: AnyRequest) -> StaffPrincipal:
    """The `staff` dependency of console pages: who is signed in (the guard proved it)."""
    principal = request.state.get(_STATE_KEY)
    if not isinstance(principal, StaffPrincipal):
        raise SignInNeeded(HOME)  # a public page declared `staff`: nobody is signed in
    return principal


def signed_in(request: AnyRequest) -> StaffPrincipal | None:
    """Who is signed in on a page that does not require it (the error pages), if anyone."""
    principal = request.state.get(_STATE_KEY)
    return principal if isinstance(principal, StaffPrincipal) else None


def keep_session(app: ASGIApp) -> ASGIApp:
    """Router middleware: a page that refreshed the session sets the new pair of cookies (the
    guard leaves it in the connection's state); no console page is cached."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                pair = scope.get("state", {}).get(_REFRESHED)
                if isinstance(pair, TokenPair):
                    services = services_of(scope["litestar_app"].state)
                    seconds = int(services.staff_tokens.refresh_lifetime.total_seconds())
                    secure = services.settings.public_base_url.startswith("https:")
                    for cookie in session_cookies(pair, secure, seconds):
                        headers.add("set-cookie", cookie.to_header(header=""))
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await app(scope, receive, send_with_session)

    return middleware


STAFF_DEPENDENCY = {"staff": Provide(console_staff, sync_to_thread=False)}


async def form_of(request: AnyRequest) -> dict[str, str]:
    """A posted form's text fields (the last value of each; files and other bodies: none)."""
    content_type, _ = request.content_type
    if content_type not in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
        return {}
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def form_lists(request: AnyRequest) -> dict[str, list[str]]:
    """A posted form's text fields with every value (checkboxes of one name)."""
    content_type, _ = request.content_type
    if content_type not in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
        return {}
    form = await request.form()
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


@get("/login", opt=PUBLIC, include_in_schema=False, name="console-login")
async def login_form(request: AnyRequest, next: str | None = None) -> Template:  # noqa: A002
    return page("login.html", None, back_to=safe_back_to(next), username="", error=None)


@post("/login", opt=PUBLIC, include_in_schema=False, status_code=303)
async def login(
    request: AnyRequest,
    staff_directory: Injected[StaffDirectory],
    staff_tokens: Injected[StaffTokens],
    requests: Injected[RequestService],
) -> Response[Any]:
    form = await form_of(request)
    username = form.get("username", "")
    password = form.get("password", "")
    back_to = safe_back_to(form.get("next"))

    def again(error: str, status: int, headers: dict[str, str] | None = None) -> Template:
        shown = username if len(username) <= MAX_USERNAME and LINE.search(username) else ""
        answer = page("login.html", None, status, back_to=back_to, username=shown, error=error)
        answer.headers.update(headers or {})
        return answer

    if not username.strip() or not password:
        return again("Enter your username and your password.", 422)
    if len(username) > MAX_USERNAME or not LINE.search(username) or len(password) > 1024:
        return again("Wrong username or password.", 401)
    ip = request.client.host if request.client else None
    refused = Actor(ActorKind.STAFF, None, ip)  # who failed is not known: the name tried is kept
    try:
        principal = await staff_directory.authenticate(username, password)
    except LockedOut as exc:
        await requests.record(
            refused, AuditKind.LOGIN_FAILED, {"username": username, "locked": True}
        )
        message = f"Too many failed sign-ins: {exc.detail.split(': ', 1)[-1]}."
        return again(message, 429, {"Retry-After": str(exc.retry_after)})
    except Unauthorized as exc:
        await requests.record(refused, AuditKind.LOGIN_FAILED, {"username": username})
        disabled = "disabled" in exc.detail
        return again(
            "This account is disabled." if disabled else "Wrong username or password.", 401
        )
    await requests.record(Actor.staff(principal.id, ip), AuditKind.LOGIN)
    pair = await staff_tokens.start_session(principal)
    seconds = int(staff_tokens.refresh_lifetime.total_seconds())
    return Redirect(
        back_to, status_code=303, cookies=session_cookies(pair, _secure(request), seconds)
    )


@post("/logout", opt=PUBLIC, include_in_schema=False, status_code=303)
async def logout(request: AnyRequest, staff_tokens: Injected[StaffTokens]) -> Response[Any]:
    refresh = request.cookies.get(REFRESH_COOKIE)
    if refresh:
        await staff_tokens.revoke(refresh)
    return Redirect(LOGIN, status_code=303, cookies=session_cookies(None, _secure(request), 0))


def sign_in_redirect(request: AnyRequest, exc: SignInNeeded) -> Response[Any]:
    target = (
        LOGIN if exc.back_to in (HOME, ROOT) else f"{LOGIN}?next={quote(exc.back_to, safe='/')}"
    )
    # a session that could not be used is cleared, so the sign-in page starts clean
    cookies = (
        session_cookies(None, _secure(request), 0) if REFRESH_COOKIE in request.cookies else []
    )
    return Redirect(target, status_code=303, cookies=cookies)


def refused_page(request: AnyRequest, exc: PageRefused) -> Response[Any]:
    roles = ", ".join(exc.roles)
    message = f"A {exc.principal.role} account cannot open this page; it is for: {roles}."
    return page("error.html", exc.principal, 403, title="Not for your role", message=message)


ROUTES = [login_form, login, logout]
