"""create_app(settings) -> Litestar: the composition root that mounts every channel."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import swagger_ui
from litestar import Litestar, Response, Router, get
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotFoundException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_404_NOT_FOUND

from backend import log_secrets
from backend.channels.admin import ADMIN_PATH, admin_mount
from backend.channels.app_api.catalog_api import render_catalog
from backend.channels.app_api.render import RequestEndpoints, RequestRenderer
from backend.channels.app_api.router import app_api_router
from backend.channels.app_api.submit_body import MAX_JSON
from backend.channels.console.router import console_routes, template_config
from backend.channels.deps import SERVICES, service_dependencies
from backend.channels.front_door import front_door
from backend.channels.handler_types import AnyRequest
from backend.channels.live import live_plugin
from backend.channels.open311.errors import open311_http_error
from backend.channels.open311.inquiry import inquiry_router
from backend.channels.open311.mapping import FeedEndpoints, RequestMapper
from backend.channels.open311.router import open311_router
from backend.channels.openapi_bodies import COMPONENTS
from backend.channels.openapi_problems import finish_document
from backend.channels.problems import EXCEPTION_HANDLERS, http_error_handler
from backend.channels.rate_limits import STORE, rate_limit_store
from backend.channels.staff.router import staff_router
from backend.channels.static_files import StaticFileSystem
from backend.channels.webapp.router import webapp_router
from backend.jobs.leader import JobsLock, run_when_leader
from backend.jobs.scheduler import build_scheduler
from backend.logging_setup import configure_logging
from backend.notify.live import LiveTransport
from backend.services import Services, provide_services
from backend.settings import Settings, load_settings
from sms.channel import sms_bot
from sms.webhook import sms_router

# JSON bodies are small; POST /api/v1/requests raises its own limit for photos (multipart only).
MAX_BODY = MAX_JSON
# Swagger UI's own files, from the swagger-ui-py package: /schema works offline (no CDN).
DOCS_ASSETS = "/schema/assets"
_SWAGGER_DIR = Path(swagger_ui.__file__).parent / "static"


@get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    """Liveness, and the framework's floor in the benchmarks (no database)."""
    return {"status": "ok"}


def _schema_not_found(response: Response[Any]) -> Response[Any]:
    """Litestar answers an unknown /schema/<name> with an HTML page of its own: there, as
    everywhere else, a 404 is a problem document."""
    if response.status_code == HTTP_404_NOT_FOUND:
        raise NotFoundException("no such page of the API documentation")
    return response


# gzip for what a phone downloads to start the web app (its files, the catalog, the map's shapes:
# ~280 KB as sent, a few seconds on a slow mobile link); every other answer goes as it is (the hot
# reads are small, and the live event streams must not wait in a compressor's buffer). Litestar
# skips the paths its exclude pattern finds something in: here, every path but these.
COMPRESSED = (
    r"/$",
    r"/sw\.js$",
    r"/manifest\.webmanifest$",
    r"/app/",
    r"/api/v1/services$",
    r"/api/v1/map/areas$",
)
COMPRESSION = CompressionConfig(
    backend="gzip", gzip_compress_level=6, exclude=rf"^(?!{'|'.join(COMPRESSED)})"
)


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="City311 resident app API",
        version="1.0.0",
        description="Report and follow City of Chicago 311 service requests. Errors are RFC 9457 "
        "problem details (application/problem+json) with field-level `errors`.",
        path="/schema",
        openapi_router=Router(
            path="/schema",
            route_handlers=[],
            include_in_schema=False,
            after_request=_schema_not_found,
        ),
        components=COMPONENTS,
        render_plugins=[
            SwaggerRenderPlugin(
                path=["/", "/swagger"],
                js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                standalone_preset_js_url=f"{DOCS_ASSETS}/swagger-ui-standalone-preset.js",
                favicon=f"<link rel='icon' type='image/png' href='{DOCS_ASSETS}/favicon-32x32.png'>",
            )
        ],
    )


def http_error(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    """Litestar's own errors (no route, wrong method) in the shape of the API that was asked:
    Open311's `errors` under /open311, problem details everywhere else."""
    if request.url.path.startswith("/open311/"):
        return open311_http_error(request, exc)
    return http_error_handler(request, exc)


def attach_services(app: Litestar, services: Services) -> None:
    """Give the handlers their services (the lifespan does this; tests may do it themselves)."""
    app.state[SERVICES] = services
    renderer = RequestRenderer(services.settings.public_base_url)
    mapper = RequestMapper(services.catalog, services.settings.public_base_url)
    app.state.renderer = renderer
    app.state.catalog_out = render_catalog(services.catalog)
    app.state.open311_mapper = mapper
    app.state.request_endpoints = RequestEndpoints(
        services.requests, services.devices, services.catalog, renderer
    )
    app.state.open311_endpoints = FeedEndpoints(
        services.requests, services.catalog, services.api_keys, mapper
    )
    app.state.sms_bot = sms_bot(services)
    services.dispatcher.transports["live"] = LiveTransport(app.state.live)


def create_app(settings: Settings | None = None, *, scheduler: bool | None = None) -> Litestar:
    configure_logging()
    settings = settings or load_settings()
    log_secrets.register(settings.secret_key, settings.twilio_auth_token)
    run_scheduler = settings.scheduler if scheduler is None else scheduler

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        services = await provide_services(settings)
        attach_services(app, services)
        # What start-up loaded (the city's streets and boundaries, the catalog, the SMS parser:
        # ~200,000 objects) lives as long as the process: out of the collector's sight, a full
        # collection takes microseconds instead of ~65 ms that every request in flight would wait.
        gc.collect()
        gc.freeze()
        jobs = build_scheduler(services) if run_scheduler else None
        lock = JobsLock(settings)
        # Several web workers (and a `city311 worker`) may share one deployment: only the
        # process holding the jobs lock runs the jobs (backend/jobs/leader.py).
        waiting = asyncio.create_task(run_when_leader(lock, jobs.start)) if jobs else None
        try:
            yield
        finally:
            if waiting:
                waiting.cancel()
            if jobs and jobs.running:
                jobs.shutdown(wait=False)
            await lock.release()
            await services.close()

    docs_assets = create_static_files_router(
        path=DOCS_ASSETS,
        directories=[_SWAGGER_DIR],
        file_system=StaticFileSystem(),
        include_in_schema=False,
        cache_control=None,
        name="docs-assets",
    )
    live = live_plugin(settings.redis_url)
    state = State({"rate_limits": settings.rate_limits, "live": live})
    app = Litestar(
        route_handlers=[
            healthz,
            app_api_router,
            open311_router,
            inquiry_router,
            staff_router,
            *console_routes(settings),  # the operator console at /staff/ (pages, not API)
            sms_router,
            docs_assets,
            admin_mount(settings),  # the back office at /admin (reference data, staff login)
            webapp_router,  # the resident web app at / (docs/web.md)
        ],
        lifespan=[lifespan],
        plugins=[live],
        state=state,
        # each handler takes the services it uses, read from the state attach_services fills
        dependencies=service_dependencies(state),
        stores={STORE: rate_limit_store(settings.redis_url)},
        exception_handlers={**EXCEPTION_HANDLERS, HTTPException: http_error},
        openapi_config=openapi_config(),
        template_config=template_config(),
        request_max_body_size=MAX_BODY,
        compression_config=COMPRESSION,
        debug=False,
        logging_config=None,  # `city311` configures logging once; Litestar must not replace it
    )
    finish_document(app.openapi_schema)  # Litestar keeps this object and serves it at /schema
    # Before routing (Litestar calls this handler for every request): the client's address behind
    # a trusted proxy, HEAD as GET, the body limit of the mounted back office
    # (backend/channels/front_door.py).
    app.asgi_handler = front_door(
        app.asgi_handler, settings.trusted_proxies, mounts={ADMIN_PATH: MAX_BODY}
    )
    return app
