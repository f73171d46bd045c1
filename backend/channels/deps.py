"""The HTTP handlers' dependencies: each service of the composition root under one name.

`backend.services.provide_services()` builds the services once; `backend.app` attaches them to the
app's state at start-up (`attach_services`) and declares `service_dependencies(app_state)` on the
app. A handler takes exactly what it uses as typed parameters named like the keys below:

    from backend.channels.deps import Injected
    from backend.service_requests.service import RequestService

    @get("/requests/{tracking_number:str}")
    async def get_request(tracking_number: FromPath[str], requests: Injected[RequestService]):
        ...

The providers are plain attribute reads of that one Services object (no thread hop, no
validation: `Injected` is Litestar's NamedDependency with SkipValidation), read at each call, so
a test that attaches other services to an app sees them at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeAlias, TypeVar

from litestar.datastructures import State
from litestar.di import Dependency, Provide
from litestar.params import SkipValidationMarker

from backend.services import Services

T = TypeVar("T")

# A parameter filled by the dependency of its own name (Litestar's NamedDependency: the explicit
# form that stays valid in Litestar 3), passed through unvalidated (the providers are ours).
Injected: TypeAlias = Annotated[T, Dependency(kind="named"), SkipValidationMarker()]

SERVICES = "services"  # the app-state attribute the Services live under (backend.app)


def services_of(state: State) -> Services:
    """The Services attached to an app's state (a RuntimeError before start-up attached them)."""
    services = state.get(SERVICES)
    if not isinstance(services, Services):
        raise RuntimeError("no services attached to the app (backend.app.attach_services)")
    return services


# Each key is the parameter name a handler declares; the value reads it from the Services.
# `staff` is the staff console's principal (backend/channels/staff/guards.py), so the staff
# directory goes by `staff_directory`.
_FROM_SERVICES: dict[str, Callable[[Services], Any]] = {
    "settings": lambda s: s.settings,
    "catalog": lambda s: s.catalog,
    "city_map": lambda s: s.city,
    "photos": lambda s: s.photos,
    "devices": lambda s: s.devices,
    "requests": lambda s: s.requests,
    "locator": lambda s: s.requests.locator,  # where an address or a point is, and who serves it
    "push_store": lambda s: s.push,
    "vapid": lambda s: s.vapid,
    "api_keys": lambda s: s.api_keys,
    "preferences": lambda s: s.preferences,
    "staff_directory": lambda s: s.staff,
    "staff_tokens": lambda s: s.staff_tokens,
    "police": lambda s: s.police,
    "meetings": lambda s: s.meetings,
    "info": lambda s: s.info,
    "interpreters": lambda s: s.interpreters,
}

# What backend.app keeps beside the Services in state for the channels (derived from them at
# start-up, and the live-updates plugin).
CHANNEL_OBJECTS = (
    "renderer",
    "catalog_out",
    "open311_mapper",
    "sms_bot",
    "live",
    # What the hot endpoints use, as one object each (app_api/render.py: RequestEndpoints,
    # open311/mapping.py: FeedEndpoints): Litestar resolves two or more dependencies of one
    # handler concurrently, in an anyio task group per request, which costs more than a status
    # lookup itself; one dependency is one call.
    "request_endpoints",
    "open311_endpoints",
)


def _from_services(state: State, pick: Callable[[Services], Any]) -> Provide:
    def provide() -> Any:
        return pick(services_of(state))

    return Provide(provide, sync_to_thread=False)


def _from_state(state: State, name: str) -> Provide:
    def provide() -> Any:
        return state[name]

    return Provide(provide, sync_to_thread=False)


def service_dependencies(state: State) -> dict[str, Provide]:
    """The app-level dependencies of an app whose state holds the services."""
    deps = {name: _from_services(state, pick) for name, pick in _FROM_SERVICES.items()}
    deps.update({name: _from_state(state, name) for name in CHANNEL_OBJECTS})
    return deps
