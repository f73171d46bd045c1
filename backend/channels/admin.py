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
login provider either. So admin.py keeps the admin's UI and table API and puts our own login in
front of them, without changing anything inside the admin: `BackOffice` is a Starlette router of
its own whose first routes are ours, and whose last mount is the admin as `create_admin()` made
it (`_with_staff_login`):

- `/admin/api/*` (the table API): AdminRouter wraps it in Starlette's AuthenticationMiddleware with
  piccolo_api's SessionsAuthBackend; our router mounts the table API's app itself at /api behind
  `StaffAdminAuth` (backend/channels/admin_login.py), which accepts a staff access token (backend/identity/staff_tokens.py) from our httpOnly cookie or
  an `Authorization: Bearer` header, and lets in role `admin` (read and write) and `supervisor`
  (read only: GET/HEAD/OPTIONS, anything else 403). No token, a bad, expired or resident token, a
  disabled account: 401 (the UI then shows its login page). Operators and department users: 403
  with a bearer token; a cookie session whose account has lost its role since is ended (401).
- `/admin/public/login/` and `/admin/public/logout/`: routes of ours before piccolo_api's, for
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
  Origin against the public host under HTTPS) is in front of everything: the admin's own, and the
  same middleware, configured alike, on our routes and our /api mount;
  a script writing with a bearer token sends any `csrftoken` cookie and the same `X-CSRFToken`.
- Answered 404 before the admin sees them: piccolo_api's own login and logout, its change-password
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

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from litestar.handlers import asgi
from litestar.handlers.asgi_handlers import ASGIRouteHandler
from piccolo_admin.endpoints import AdminRouter, create_admin
from piccolo_api.csrf.middleware import CSRFMiddleware
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, request_response
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.channels.admin_checks import TableApiGuard
from backend.channels.admin_login import (
    ACCESS_COOKIE,
    REFRESH_COOKIE,
    StaffAdminAuth,
    login_endpoint,
    logout_endpoint,
)
from backend.channels.admin_scope import ADMIN_PATH, ADMIN_ROOT_KEY, SERVICES_KEY
from backend.channels.admin_tables import admin_tables
from backend.channels.deps import SERVICES
from backend.settings import Settings

__all__ = ["ACCESS_COOKIE", "ADMIN_PATH", "REFRESH_COOKIE", "BackOffice", "admin_mount"]

# What no one reaches, by path inside the admin (the path itself and everything under it):
# piccolo_api's login and logout (ours answer at exactly /public/login/ and /public/logout/),
# and the OpenAPI documents and Swagger pages (Swagger UI comes from a CDN).
_GONE = (
    "/openapi.json",
    "/public/docs",
    "/public/openapi.json",
    "/public/login/",
    "/public/logout/",
)
# ... and inside the table API: the change-password endpoint (it works on BaseUser) and its docs.
_GONE_FROM_API = ("/change-password", "/docs", "/openapi.json")


def _route_path(scope: Scope) -> str:
    """The path below the app's mount point (Starlette keeps the full path and the root_path)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class _Without:
    """`app`, with these paths (and everything under them) answered 404."""

    def __init__(self, app: ASGIApp, paths: Iterable[str]) -> None:
        self.app = app
        self.paths = tuple(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = _route_path(scope)
        if any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.paths):
            await JSONResponse({"detail": "Not Found"}, status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's errors in our routes, in FastAPI's shape (as inside the admin): {"detail": …}."""
    assert isinstance(exc, HTTPException)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def _table_api(admin: AdminRouter) -> ASGIApp:
    """The admin's table API: the app AdminRouter mounts at /api behind its session auth."""
    for route in admin.routes:
        if isinstance(route, Mount) and route.path == "/api":
            if isinstance(route.app, AuthenticationMiddleware):
                return route.app.app
    raise RuntimeError("piccolo_admin changed: no /api mount behind its auth middleware")


def _with_staff_login(admin: AdminRouter, secure: bool, allowed_hosts: list[str]) -> ASGIApp:
    """The admin with our login in front (the module docstring): our login and logout, the table
    API behind StaffAdminAuth and the checks of its queries, then the admin for the rest."""

    def csrf(app: ASGIApp) -> ASGIApp:
        return CSRFMiddleware(app, allowed_hosts=allowed_hosts, allow_form_param=True)

    api = _Without(_table_api(admin), _GONE_FROM_API)
    guarded = TableApiGuard(api, [config.table_class for config in admin_tables()])
    return Starlette(
        exception_handlers={HTTPException: _http_error},
        routes=[
            Route(
                "/public/login/",
                csrf(request_response(login_endpoint(secure))),
                methods=["GET", "POST"],
            ),
            Route(
                "/public/logout/", csrf(request_response(logout_endpoint(secure))), methods=["POST"]
            ),
            Mount("/api", app=csrf(StaffAdminAuth(guarded, secure=secure))),
            Mount("", app=_Without(admin, _GONE)),
        ],
    )


class BackOffice:
    """The ASGI app mounted at /admin: the Piccolo Admin, with our login (see the module docstring)."""

    def __init__(self, settings: Settings) -> None:
        base = urlsplit(settings.public_base_url)
        secure = base.scheme == "https"
        allowed_hosts = [base.hostname] if base.hostname else []
        self.admin: AdminRouter = create_admin(
            admin_tables(),
            auto_include_related=False,  # nothing gets in through a foreign key
            site_name="City311 back office",
            default_language_code="en",
            production=secure,
            allowed_hosts=allowed_hosts,
        )
        self.app = _with_staff_login(self.admin, secure, allowed_hosts)

    def table_names(self) -> list[str]:
        return self.admin.get_table_list()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1000})
            return
        services = scope["litestar_app"].state.get(SERVICES)
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
            ADMIN_ROOT_KEY: root,
        }
        scope.pop("raw_path", None)  # Starlette would read the mount path from it otherwise
        await self.app(scope, receive, send)


def admin_mount(settings: Settings) -> ASGIRouteHandler:
    """The Litestar route handler mounting the back office at /admin (not in the OpenAPI
    documents: an ASGI mount never is)."""
    back_office = BackOffice(settings)

    @asgi(ADMIN_PATH, is_mount=True, copy_scope=True, name="back-office")
    async def back_office_app(scope: Scope, receive: Receive, send: Send) -> None:
        await back_office(scope, receive, send)

    return back_office_app
