"""Staff console API: who a request comes from (a staff access token) and whether its role may call
the route.

Every route of the staff router declares who may call it in its `opt`:

    from backend.channels.staff.guards import staff_route
    from backend.identity.staff import StaffPrincipal, StaffRole

    @get("/queue", opt=staff_route(StaffRole.DEPARTMENT, StaffRole.SUPERVISOR))
    async def queue(staff: StaffPrincipal) -> ...:   # the caller, with staff.ip for the audit
        ...

`staff_route(*roles)` adds `admin`: an admin reaches every staff route. `opt={"public": True}`
(`PUBLIC`) marks the few routes without a login (login, refresh, logout). A route that declares
neither is reachable by admins only (closed by default; tests/channels/staff/test_role_matrix.py
fails on it).

The router runs `require_staff` before every handler: no token, a malformed, forged or expired one,
a resident device token, or a disabled account -> 401 problem; a role not in the route's roles ->
403 problem whose `errors` name the field `role`. A handler may refuse an allowed role on its own
(another department's queue, work order or request: 403 naming e.g. `departmentId`; a department
user changes only the work of its departments, `departments_of`); the role matrix tells the two
apart.
The principal it proves is the `staff` dependency (STAFF_DEPENDENCIES, on the router).

`document_access(handlers)` writes the same rule into the OpenAPI document: every route that is not
public needs the `staffToken` security scheme, and its description says which roles may call it.
"""

from __future__ import annotations

from typing import Any

from litestar.di import Provide
from litestar.handlers.base import BaseRouteHandler

from backend.channels.deps import services_of
from backend.channels.handler_types import AnyConnection, AnyRequest
from backend.channels.openapi_bodies import STAFF
from backend.errors import Forbidden, Unauthorized
from backend.identity.staff import StaffPrincipal, StaffRole

PUBLIC: dict[str, Any] = {"public": True}
ROLE_FIELD = "role"  # the field a role refusal names (a handler's own 403s name another)
_STATE_KEY = "staff"


def staff_route(*roles: StaffRole) -> dict[str, Any]:
    """The `opt` of a staff route that the given roles (and admins) may call."""
    allowed = tuple(dict.fromkeys([*map(StaffRole, roles), StaffRole.ADMIN]))
    return {"roles": allowed}


def allowed_roles(opt: dict[str, Any]) -> tuple[StaffRole, ...] | None:
    """The roles a route lets in; None for a public route."""
    if opt.get("public"):
        return None
    return tuple(opt.get("roles") or (StaffRole.ADMIN,))


def document_access(handlers: list[Any]) -> list[Any]:
    """`handlers`, each route that needs a login marked so in the OpenAPI document."""
    for handler in handlers:
        roles = allowed_roles(handler.opt)
        if roles is None or set(getattr(handler, "http_methods", ())) == {"OPTIONS"}:
            continue
        handler.security = STAFF
        who = "Roles: " + ", ".join(roles) + "."
        handler.description = f"{handler.description}\n\n{who}" if handler.description else who
    return handlers


def _bearer(header: str | None) -> str:
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized.for_field(
            "Authorization",
            "send 'Authorization: Bearer <access token>' from POST /api/staff/v1/auth/login",
        )
    return token.strip()


async def require_staff(connection: AnyConnection, handler: BaseRouteHandler) -> None:
    """The staff router's guard: 401 without a valid staff token, 403 for a role not let in."""
    if set(getattr(handler, "http_methods", ())) == {"OPTIONS"}:
        return  # Litestar's automatic OPTIONS answer (the Allow header): nothing to protect
    roles = allowed_roles(handler.opt)
    if roles is None:
        return
    tokens = services_of(connection.app.state).staff_tokens
    ip = connection.client.host if connection.client else None
    principal = await tokens.principal(_bearer(connection.headers.get("authorization")), ip)
    if principal.role not in roles:
        raise Forbidden.for_field(
            ROLE_FIELD,
            f"a {principal.role} account cannot do this; it needs one of: " + ", ".join(roles),
        )
    connection.state[_STATE_KEY] = principal


def departments_of(staff: StaffPrincipal) -> tuple[int, ...] | None:
    """The departments whose work (work orders, and the requests they belong to) a user may
    change: a department user's own; None (all) for the other roles."""
    return staff.department_ids if staff.role == StaffRole.DEPARTMENT else None


def current_staff(request: AnyRequest) -> StaffPrincipal:
    principal = request.state.get(_STATE_KEY)
    if not isinstance(
        principal, StaffPrincipal
    ):  # a public route declared `staff`: a programming error, refused
        raise Unauthorized.for_field("Authorization", "this route takes no staff login")
    return principal


STAFF_DEPENDENCIES = {"staff": Provide(current_staff, sync_to_thread=False)}
GUARDS = [require_staff]
