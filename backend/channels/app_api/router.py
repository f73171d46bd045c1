"""Mounts the resident app API v1 under /api/v1."""

from __future__ import annotations

from litestar import Router

from backend.errors import DomainError

from . import (
    beats_api,
    catalog_api,
    devices_api,
    info_api,
    map_api,
    photos_api,
    places_api,
    police_api,
    preferences_api,
    push_api,
    requests_api,
)
from .errors import app_api_error_handler

app_api_router = Router(
    path="/api/v1",
    route_handlers=[
        *catalog_api.ROUTES,
        *devices_api.ROUTES,
        *requests_api.ROUTES,
        *photos_api.ROUTES,
        *places_api.ROUTES,
        *police_api.ROUTES,
        *beats_api.ROUTES,
        *info_api.ROUTES,
        *map_api.ROUTES,
        *push_api.ROUTES,
        *preferences_api.ROUTES,
    ],
    tags=["app-api-v1"],
    exception_handlers={DomainError: app_api_error_handler},
)
