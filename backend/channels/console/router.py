"""Mounts the operator console at /staff: its pages, the sign-in guard, CSRF protection of its
forms, its error pages, its templates and its stylesheet.

Adding a page (see docs/console.md, "Adding a page"):

    # backend/channels/console/queues.py
    from litestar import get
    from litestar.response import Template
    from backend.channels.console.session import page
    from backend.channels.deps import Injected, services_of
    from backend.channels.staff.guards import staff_route
    from backend.channels.staff.requests_api import WORKERS

    @get("/queues", opt={**staff_route(*WORKERS), "nav": "Queues"}, name="console-queues")
    async def queues(staff: Injected[StaffPrincipal], requests: Injected[RequestService]) -> Template:
        return page("queues.html", staff, items=...)

then one line in PAGES below (`*queues.ROUTES,`). `opt` takes the staff API's roles of the routes
the page stands for (admins always; a page without roles is for admins only); "nav" puts it in
the navigation of the roles it lets in. `staff` is the signed-in member; the services come by
their names (backend/channels/deps.py). Templates extend base.html (`{% block content %}`) and
put `{{ csrf_input | safe }}` in every form that posts.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from litestar import Response, Router, get
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from backend.channels.deps import Injected, services_of
from backend.channels.handler_types import AnyRequest
from backend.channels.staff.guards import allowed_roles, staff_route
from backend.channels.static_files import StaticFileSystem
from backend.errors import DomainError
from backend.identity.staff import StaffPrincipal, StaffRole
from backend.settings import Settings

from . import intake, lookup, police, police_intake, queues, session
from .session import PageRefused, SignInNeeded, page, signed_in

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_PATH = f"{session.ROOT}/static"
CSRF_COOKIE = "city311_console_csrf"
EVERYONE = (StaffRole.OPERATOR, StaffRole.DEPARTMENT, StaffRole.SUPERVISOR)


@get("/", opt=staff_route(*EVERYONE), name="console-home")
async def home(staff: Injected[StaffPrincipal]) -> Template:
    return page("home.html", staff)


# Every page of the console: one line per module of pages.
PAGES: list[BaseRouteHandler] = [
    home,
    *session.ROUTES,
    *intake.ROUTES,
    *lookup.ROUTES,
    *police_intake.ROUTES,  # before police.ROUTES: /police/new is not a tracking number
    *police.ROUTES,
    *queues.WORK_PAGES,  # queues, a request's page, interpreter callbacks
]


def nav_for(
    staff: StaffPrincipal | None, request: AnyRequest | None = None
) -> list[dict[str, str]]:
    """The navigation a staff member sees: the pages marked "nav" whose roles let them in (and
    whose "nav_when", if any, says yes: e.g. police reports for ARS members only)."""
    if staff is None:
        return []
    items = []
    for handler in PAGES:
        label = handler.opt.get("nav")
        roles = allowed_roles(handler.opt)
        if not label or roles is None or staff.role not in roles:
            continue
        when = handler.opt.get("nav_when")
        if when is not None and (
            request is None or not when(staff, services_of(request.app.state))
        ):
            continue
        items.append({"label": str(label), "href": session.ROOT + min(handler.paths)})
    return items


def _error_page(request: AnyRequest, status: int, title: str, message: str) -> Response[Any]:
    return page("error.html", signed_in(request), status, title=title, message=message)


def _http_error(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    if isinstance(exc, PermissionDeniedException):  # the CSRF middleware's refusal
        message = "This form has expired or did not come from the console. Open the page again."
        return _error_page(request, 403, "Form refused", message)
    if exc.status_code == 429:  # a rate limit (backend/channels/rate_limits.py): as the API says it
        wait = (getattr(exc, "headers", None) or {}).get("RateLimit-Reset", "60")
        message = f"Too many of these from this computer: try again in {wait} seconds."
        answer = _error_page(request, 429, "Too many requests", message)
        answer.headers["Retry-After"] = wait
        return answer
    return _error_page(request, exc.status_code, "Something is wrong", str(exc.detail))


def _domain_error(request: AnyRequest, exc: DomainError) -> Response[Any]:
    return _error_page(request, exc.status, exc.title, exc.detail)


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """The app's templates: the console's (nothing else renders templates)."""

    def add_globals(engine: JinjaTemplateEngine) -> None:
        engine.engine.globals.update(nav_for=nav_for, static=STATIC_PATH)

    return TemplateConfig(
        directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=add_globals
    )


def console_routes(settings: Settings) -> list[Router]:
    """The console's router (its pages behind the sign-in guard and CSRF) and its static files."""
    secure = settings.public_base_url.startswith("https:")
    csrf = CSRFConfig(
        # a key of its own, derived from CITY311_SECRET_KEY (never the key of any token)
        secret=hashlib.sha256(b"city311-console-csrf:" + settings.secret_key.encode()).hexdigest(),
        cookie_name=CSRF_COOKIE,
        cookie_path=session.ROOT,
        cookie_httponly=True,
        cookie_samesite="strict",
        cookie_secure=secure,
    )
    pages = Router(
        path=session.ROOT,
        route_handlers=PAGES,
        include_in_schema=False,
        guards=[session.require_console_staff],
        dependencies=session.STAFF_DEPENDENCY,
        middleware=[session.keep_session, DefineMiddleware(CSRFMiddleware, config=csrf)],
        exception_handlers={
            SignInNeeded: session.sign_in_redirect,
            PageRefused: session.refused_page,
            DomainError: _domain_error,
            HTTPException: _http_error,
        },
    )
    static = create_static_files_router(
        path=STATIC_PATH,
        directories=[STATIC],
        file_system=StaticFileSystem(),
        include_in_schema=False,
        name="console-static",
    )
    return [pages, static]
