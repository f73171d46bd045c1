"""Mounts Open311 GeoReport v2 under /open311 (discovery) and /open311/v2 (everything else)."""

from __future__ import annotations

from litestar import Router

from .errors import HANDLERS
from .routes import ROUTES

open311_router = Router(
    path="/open311",
    route_handlers=ROUTES,
    tags=["open311-v2"],
    exception_handlers=HANDLERS,
)
