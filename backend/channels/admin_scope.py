"""What the back office's mount (backend/channels/admin.py) puts in the ASGI scope for the code
behind it: the Services, and where the admin is mounted (the session cookies' path)."""

from __future__ import annotations

from starlette.types import Scope

from backend.services import Services

ADMIN_PATH = "/admin"
SERVICES_KEY = "city311.services"  # the ASGI scope key the mount puts the Services under
ADMIN_ROOT_KEY = "city311.admin_root"  # where the admin is mounted (the cookies' path)


def scope_services(scope: Scope) -> Services:
    """The Services the mount put in this request's scope."""
    services = scope[SERVICES_KEY]
    if not isinstance(services, Services):  # pragma: no cover - only the mount sets it
        raise RuntimeError("the back office was called without its services")
    return services


def admin_root(scope: Scope) -> str:
    root = scope.get(ADMIN_ROOT_KEY)
    return root if isinstance(root, str) and root else ADMIN_PATH
