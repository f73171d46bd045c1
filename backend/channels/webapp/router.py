"""The resident web app's files: the page at `/`, its service worker at `/sw.js` (scope `/`), its
manifest, and its static assets under `/app/…` (plain ES modules and CSS, no build step). None of it
is in the OpenAPI documents; an unknown asset is a 404 problem like any other unknown path.

Every answer is revalidated (`Cache-Control: no-cache` with an ETag): the service worker keeps the
shell for offline use, so a browser never runs yesterday's page beside today's API."""

from __future__ import annotations

from pathlib import Path

from litestar import Router, get
from litestar.datastructures import CacheControlHeader
from litestar.response import File
from litestar.static_files import create_static_files_router

from backend.channels.static_files import StaticFileSystem

STATIC = Path(__file__).parent / "static"
ASSETS = "/app"
REVALIDATE = CacheControlHeader(no_cache=True)


def _file(name: str, media_type: str, headers: dict[str, str] | None = None) -> File:
    return File(
        STATIC / name,
        media_type=media_type,
        content_disposition_type="inline",
        headers={"Cache-Control": REVALIDATE.to_header(), **(headers or {})},
        filename=name,
    )


@get("/", include_in_schema=False, name="webapp-index")
async def index() -> File:
    """The app's one page; its views are drawn by js/main.js from the URL's #/route."""
    return _file("index.html", "text/html")


@get("/sw.js", include_in_schema=False, name="webapp-service-worker")
async def service_worker() -> File:
    """A module service worker controlling the whole site (`/`), though its file is at the root
    already: the header says so for a browser that registers it with an explicit scope."""
    return _file("sw.js", "text/javascript", headers={"Service-Worker-Allowed": "/"})


@get("/manifest.webmanifest", include_in_schema=False, name="webapp-manifest")
async def manifest() -> File:
    return _file("manifest.webmanifest", "application/manifest+json")


assets = create_static_files_router(
    path=ASSETS,
    directories=[STATIC],
    file_system=StaticFileSystem(),
    include_in_schema=False,
    cache_control=REVALIDATE,
    name="webapp-assets",
)

webapp_router = Router(
    path="/", route_handlers=[index, service_worker, manifest, assets], include_in_schema=False
)
