"""The back office: Piccolo Admin at /admin, for reference data only, behind the staff login.

What it edits: departments, service types (with their SLA days and intake checklist), their
questions, staff accounts (role, disabled, lockout; never the password hash), which departments a
department user works for, and information articles (edited through InfoService, each edit audited:
backend/channels/admin_info.py). Nothing from service_requests, notify or sms is registered: requests
change only through the workflow (RequestService), which writes their history, audit and outbox in
the same transaction. `auto_include_related` is off, so no table gets in through a foreign key.

How the login works, and why this way
-------------------------------------
Piccolo Admin (piccolo_admin.endpoints.AdminRouter, a FastAPI app) authenticates against Piccolo's
own tables: `auth_table` must be a `BaseUser` subclass (its PBKDF2 `password`, `admin`/`active`
flags, `BaseUser.login`) and `session_table` a `SessionsBase` (token, user_id, expiry). Pointing
them at our tables would take two new tables (and their migration) or a second password per staff
user, and would bypass our Argon2 hashes, our lockout and our roles. piccolo_api has no pluggable
login provider either. So admin.py keeps the admin's UI and table API and replaces its two auth
pieces, leaving the rest of the package untouched (`_put_staff_login_in`):

- `/admin/api/*` (the table API): AdminRouter wraps it in Starlette's AuthenticationMiddleware with
  piccolo_api's SessionsAuthBackend; we replace that one Mount with `StaffAdminAuth`,
  which accepts a staff access token (backend/identity/staff_tokens.py) from our httpOnly cookie or
  an `Authorization: Bearer` header, and lets in role `admin` (read and write) and `supervisor`
  (read only: GET/HEAD/OPTIONS, anything else 403). No token, a bad, expired or resident token, a
  disabled account: 401 (the UI then shows its login page). Operators and department users: 403
  with a bearer token; a cookie session whose account has lost its role since is ended (401).
- `/admin/public/login/` and `/admin/public/logout/`: routes of ours in place of piccolo_api's, for
  the UI's login form. Login is `StaffDirectory.authenticate` (Argon2id, lockout: 429 with
  Retry-After) and then `StaffTokens.start_session`; the access token and the refresh token go into
  two httpOnly, SameSite=Strict cookies scoped to /admin (Secure when the public URL is https).
  Only admins and supervisors get a session; others are told 403 and get nothing. Logout revokes the
  refresh token and clears both cookies.
- When the access cookie is gone or expired, `StaffAdminAuth` exchanges the refresh cookie once
  (`StaffTokens.refresh`, which rotates it and re-reads role and disabled state from the database)
  and sets the new pair on the response. The UI loads several API calls at once: within one process
  concurrent exchanges of the same refresh token share the first one's result for 30 s.
- piccolo_api's CSRF middleware (double-submit cookie, checked for every unsafe method, and the
  Origin against the public host under HTTPS) stays in front of everything, our login included;
  a script writing with a bearer token sends any `csrftoken` cookie and the same `X-CSRFToken`.
- Removed from the admin's sub-apps: piccolo_api's own login and logout, its change-password
  endpoint (both work on BaseUser; staff accounts are managed with `city311 users`), and the
  Swagger pages and OpenAPI documents (Swagger UI comes from a CDN). The UI's "Change Password" and
  "MFA Setup" menu entries therefore lead nowhere. The UI itself is served from the wheel's files
  (piccolo_admin/dist): no CDN.

Limits: disabling an account shuts it out at its next request (StaffTokens.principal checks it);
a role change only at its next refresh, since the access token carries the role (at most
`CITY311_STAFF_ACCESS_MINUTES`). After logout the access token itself stays valid until it expires
(the cookie is gone from the browser; the refresh token is revoked). Supervisors see the write
buttons; the API refuses the writes. Login is rate-limited per account (lockout), not per address, as on the
staff API. With several web processes, two of them may race to refresh the same cookie; the loser
answers 401 and the UI asks for a login again.

Guard rails on the tables (hooks and validators of piccolo_api's PiccoloCRUD)
---------------------------------------------------------------------------
- No DELETE of departments, service types or staff accounts: requests and work orders refer to them
  (the database refuses such a delete too: those foreign keys restrict, migration 0025). Deactivate
  a type (`active`), disable an account.
- No PUT anywhere (it skips PiccoloCRUD's hooks); the UI edits with PATCH.
- Staff accounts: no POST (accounts are made by `city311 users` or the staff API, which hash the
  password); the admin's `staff_user` table is `StaffAccount`, a narrower Table class on the same
  table without `password_hash`, so the hash is neither shown, sent nor writable. Username,
  created_at and last_login_at are read-only; role must be one of the roles; only department users
  have departments.
- Values are checked with the catalog loader's rules (codes, slugs, datatypes, choices, checklist
  steps) and bounded (integers within their column, texts without control characters, SLA days 0
  to 3,650…), and the table API's ids, pages, ordering and filters are checked before they reach
  SQL (backend/channels/admin_checks.py): an edit cannot leave data that the next start, a submit
  or an Open311 page would fail on, and no query is a 500.

What an edit does: the catalog is read into memory at start-up (backend/catalog/snapshot.py), so
catalog edits reach the apps, Open311 and the SMS bot when the processes restart; and
`city311 seed` re-applies catalog/data/* over the same fields (by department name, type code and
question code).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from json import JSONDecodeError
from typing import Any
from urllib.parse import unquote, urlsplit

from litestar.handlers import asgi
from litestar.handlers.asgi_handlers import ASGIRouteHandler
from piccolo.columns import Integer, Timestamptz, Varchar
from piccolo.table import Table
from piccolo_admin.endpoints import AdminRouter, TableConfig, create_admin
from piccolo_api.crud.endpoints import OrderBy, PiccoloCRUD
from piccolo_api.crud.validators import Validators
from starlette.authentication import AuthCredentials, BaseUser
from starlette.exceptions import HTTPException
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.catalog.tables import Department, ServiceQuestion, ServiceType
from backend.channels.admin_checks import (
    TableApiGuard,
    check_department,
    check_service_question,
    check_service_type,
    check_staff_department,
    checked,
    staff_account_hooks,
)
from backend.channels.admin_info import info_article_hooks
from backend.errors import DomainError, Unauthorized
from backend.identity.staff import LockedOut, StaffPrincipal, StaffRole
from backend.identity.staff_tokens import TokenPair
from backend.identity.tables import StaffDepartment
from backend.info.tables import InfoArticle
from backend.limits import LINE
from backend.settings import Settings

ADMIN_PATH = "/admin"
ACCESS_COOKIE = "city311_admin"
REFRESH_COOKIE = "city311_admin_refresh"
SERVICES_KEY = "city311.services"  # the ASGI scope key the mount puts the Services under
_ADMIN_ROOT_KEY = "city311.admin_root"  # where the admin is mounted (the cookies' path)
ADMIN_ROLES = (StaffRole.ADMIN, StaffRole.SUPERVISOR)
READ_ONLY_ROLES = (StaffRole.SUPERVISOR,)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFRESH_GRACE_S = 30.0


class StaffAccount(Table, tablename="staff_user"):
    """The admin's view of StaffUser: the same table without `password_hash`."""

    username = Varchar(length=60, unique=True)
    role = Varchar(length=20, choices=StaffRole)
    created_at = Timestamptz()
    disabled_at = Timestamptz(null=True, default=None)
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)


def _refuse(method: str, why: str) -> Callable[..., None]:
    def validator(piccolo_crud: PiccoloCRUD, request: Request) -> None:
        raise HTTPException(status_code=405, detail=f"{method} is not allowed here: {why}")

    return validator


_NO_PUT = _refuse("PUT", "edit with PATCH")
_REFERRED = "requests and work orders refer to it"


def admin_tables() -> list[TableConfig]:
    """The tables the back office edits, and nothing else."""
    return [
        TableConfig(
            Department,
            menu_group="Catalog",
            order_by=[OrderBy(Department.name)],
            hooks=checked(Department, check_department),
            validators=Validators(
                put_single=[_NO_PUT], delete_single=[_refuse("DELETE", _REFERRED)]
            ),
        ),
        TableConfig(
            ServiceType,
            menu_group="Catalog",
            visible_columns=[
                ServiceType.id,
                ServiceType.code,
                ServiceType.name,
                ServiceType.department,
                ServiceType.group_name,
                ServiceType.sla_days,
                ServiceType.active,
            ],
            order_by=[OrderBy(ServiceType.code)],
            hooks=checked(ServiceType, check_service_type),
            validators=Validators(
                put_single=[_NO_PUT],
                delete_single=[_refuse("DELETE", f"{_REFERRED}; set active to false instead")],
            ),
        ),
        TableConfig(
            ServiceQuestion,
            menu_group="Catalog",
            visible_columns=[
                ServiceQuestion.id,
                ServiceQuestion.service_type,
                ServiceQuestion.code,
                ServiceQuestion.label,
                ServiceQuestion.datatype,
                ServiceQuestion.required,
                ServiceQuestion.position,
            ],
            order_by=[OrderBy(ServiceQuestion.service_type), OrderBy(ServiceQuestion.position)],
            hooks=checked(ServiceQuestion, check_service_question),
            validators=Validators(put_single=[_NO_PUT]),
        ),
        TableConfig(
            StaffAccount,
            menu_group="Staff",
            order_by=[OrderBy(StaffAccount.username)],
            hooks=staff_account_hooks(StaffAccount),
            validators=Validators(
                put_single=[_NO_PUT],
                post_single=[
                    _refuse("POST", "make accounts with `city311 users` (it sets a password)")
                ],
                delete_single=[_refuse("DELETE", f"{_REFERRED}; set disabled_at instead")],
            ),
        ),
        TableConfig(
            StaffDepartment,
            menu_group="Staff",
            hooks=checked(StaffDepartment, check_staff_department),
            validators=Validators(put_single=[_NO_PUT]),
        ),
        TableConfig(
            InfoArticle,
            menu_group="Information",
            visible_columns=[
                InfoArticle.id,
                InfoArticle.slug,
                InfoArticle.language,
                InfoArticle.title,
                InfoArticle.category,
                InfoArticle.checked_on,
                InfoArticle.updated_at,
            ],
            order_by=[OrderBy(InfoArticle.slug), OrderBy(InfoArticle.language)],
            hooks=info_article_hooks(),
            validators=Validators(
                put_single=[_NO_PUT],
                post_single=[
                    _refuse("POST", "make articles with the staff API or `city311 info import`")
                ],
                delete_single=[_refuse("DELETE", "articles are never deleted (their audit)")],
            ),
        ),
    ]


# -- the staff login in front of the admin -----------------------------------------------------


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


def _cookie_path(scope: Scope) -> str:
    return scope.get(_ADMIN_ROOT_KEY) or ADMIN_PATH


def _set_cookies(
    response: Response, scope: Scope, pair: TokenPair | None, secure: bool, refresh_seconds: int
) -> None:
    """The session cookies (or their removal when `pair` is None) on `response`."""
    path = _cookie_path(scope)
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

    async def refresh(self, tokens: Any, refresh_token: str) -> TokenPair:
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
        services = scope[SERVICES_KEY]
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
        self, conn: HTTPConnection, services: Any, ip: str | None
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


def _login_endpoint(secure: bool) -> Callable[[Request], Awaitable[Response]]:
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
        services = request.scope[SERVICES_KEY]
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


def _logout_endpoint(secure: bool) -> Callable[[Request], Awaitable[Response]]:
    async def logout(request: Request) -> Response:
        refresh = request.cookies.get(REFRESH_COOKIE)
        if refresh:
            await request.scope[SERVICES_KEY].staff_tokens.revoke(refresh)
        response = JSONResponse({"message": "logged out"})
        _set_cookies(response, request.scope, None, secure, 0)
        return response

    return logout


def _mount(admin: AdminRouter, path: str) -> tuple[int, Mount]:
    for i, route in enumerate(admin.router.routes):
        if isinstance(route, Mount) and route.path == path:
            return i, route
    raise RuntimeError(f"piccolo_admin changed: it has no {path} mount")  # pragma: no cover


def _drop_routes(app: Any, paths: set[str]) -> None:
    """Remove these routes and mounts (by path) from a sub-app of the admin."""
    routes = app.router.routes
    found = {route.path for route in routes if getattr(route, "path", None) in paths}
    if found != paths:  # pragma: no cover
        raise RuntimeError(f"piccolo_admin changed: no {sorted(paths - found)} to remove")
    routes[:] = [route for route in routes if getattr(route, "path", None) not in paths]


def _put_staff_login_in(admin: AdminRouter, secure: bool) -> None:
    """Replace piccolo_api's session auth in front of /api with StaffAdminAuth, and its login,
    logout and change-password endpoints (and the Swagger pages, from a CDN) with ours or nothing."""
    i, api = _mount(admin, "/api")
    if not isinstance(api.app, AuthenticationMiddleware):  # pragma: no cover
        raise RuntimeError("piccolo_admin changed: /api is not behind its auth middleware")
    private_app = api.app.app
    _drop_routes(private_app, {"/change-password/", "/docs", "/openapi.json"})
    guarded = TableApiGuard(private_app, [config.table_class for config in admin_tables()])
    admin.router.routes[i] = Mount("/api", app=StaffAdminAuth(guarded, secure=secure))
    _, public = _mount(admin, "/public")
    _drop_routes(public.app, {"/login", "/logout/", "/docs", "/openapi.json"})
    _drop_routes(admin, {"/openapi.json"})
    admin.router.routes[0:0] = [
        Route("/public/login/", _login_endpoint(secure), methods=["GET", "POST"]),
        Route("/public/logout/", _logout_endpoint(secure), methods=["POST"]),
    ]


class BackOffice:
    """The ASGI app mounted at /admin: the Piccolo Admin, with our login (see the module docstring)."""

    def __init__(self, settings: Settings) -> None:
        base = urlsplit(settings.public_base_url)
        secure = base.scheme == "https"
        self.admin: AdminRouter = create_admin(
            admin_tables(),
            auto_include_related=False,  # nothing gets in through a foreign key
            site_name="City311 back office",
            default_language_code="en",
            production=secure,
            allowed_hosts=[base.hostname] if base.hostname else [],
        )
        _put_staff_login_in(self.admin, secure)

    def table_names(self) -> list[str]:
        return self.admin.get_table_list()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1000})
            return
        services = getattr(scope["litestar_app"].state, "services", None)
        if services is None:  # pragma: no cover - before the lifespan has run
            await JSONResponse({"detail": "starting up"}, status_code=503)(scope, receive, send)
            return
        # Litestar gives a mounted app the rest of the path, with a "/" added at the end; give the
        # admin what Starlette expects: the full path, and the mount point as root_path.
        rest = scope["path"]
        raw_path = (scope.get("raw_path") or b"").split(b"?", 1)[0]
        asked_slash = unquote(raw_path.decode("latin-1")).endswith("/") if raw_path else True
        if rest == "/" and not asked_slash:  # /admin -> /admin/ (the UI's links are relative)
            location = scope.get("root_path", "") + ADMIN_PATH + "/"
            await RedirectResponse(location, status_code=308)(scope, receive, send)
            return
        if rest != "/" and rest.endswith("/") and not asked_slash:
            rest = rest[:-1]
        root = scope.get("root_path", "") + ADMIN_PATH
        scope = {
            **scope,
            "root_path": root,
            "path": root + rest,
            SERVICES_KEY: services,
            _ADMIN_ROOT_KEY: root,
        }
        scope.pop("raw_path", None)  # Starlette would read the mount path from it otherwise
        await self.admin(scope, receive, send)


def admin_mount(settings: Settings) -> ASGIRouteHandler:
    """The Litestar route handler mounting the back office at /admin (not in the OpenAPI
    documents: an ASGI mount never is)."""
    back_office = BackOffice(settings)

    @asgi(ADMIN_PATH, is_mount=True, copy_scope=True, name="back-office")
    async def back_office_app(scope: Scope, receive: Receive, send: Send) -> None:
        await back_office(scope, receive, send)

    return back_office_app
