"""Mounts the staff console API under /api/staff/v1 (every route behind a staff login and a role)."""

from __future__ import annotations

from litestar import Router

staff_router = Router(
    path="/api/staff/v1",
    route_handlers=[],
    tags=["staff-api-v1"],
)
