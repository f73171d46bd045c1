"""Mounts the resident app API v1 under /api/v1."""

from __future__ import annotations

from litestar import Router

from . import catalog_api, devices_api, photos_api, requests_api

app_api_router = Router(
    path="/api/v1",
    route_handlers=[
        *catalog_api.ROUTES,
        *devices_api.ROUTES,
        *requests_api.ROUTES,
        *photos_api.ROUTES,
    ],
    tags=["app-api-v1"],
)
