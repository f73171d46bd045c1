"""Mounts the staff console API under /api/staff/v1 (every route behind a staff login and a role)."""

from __future__ import annotations

from litestar import Router

from backend.channels.app_api.errors import WIRE_NAMES, wire_error_handler
from backend.errors import DomainError

from . import auth_api, beats_api, info_api, interpreters_api, police_api, queues_api, requests_api
from .guards import GUARDS, STAFF_DEPENDENCIES, document_access

# The staff API's names for the domain's field ids: the app API's, and the staff operations' own
STAFF_WIRE_NAMES = {
    **WIRE_NAMES,
    "work_order_id": "workOrderId",
    "department_id": "departmentId",
    "starts_at": "startsAt",
    "ends_at": "endsAt",
}

staff_router = Router(
    path="/api/staff/v1",
    route_handlers=document_access(
        [
            *auth_api.ROUTES,
            *requests_api.ROUTES,
            *queues_api.ROUTES,
            *info_api.ROUTES,
            *beats_api.ROUTES,
            *interpreters_api.ROUTES,
            *police_api.ROUTES,
        ]
    ),
    tags=["staff-api-v1"],
    guards=GUARDS,
    dependencies=STAFF_DEPENDENCIES,
    exception_handlers={DomainError: wire_error_handler(STAFF_WIRE_NAMES)},
)
