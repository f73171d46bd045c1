"""The resident web app's files: the page, the service worker (scope /, a module script), the
manifest and the assets under /app/, with their types and caching; HEAD alike; an unknown asset
is a 404 problem; none of it is in the OpenAPI document."""

from __future__ import annotations

import json
import re

import pytest

from backend.channels.webapp.router import STATIC

TYPES = {
    "/": "text/html",
    "/sw.js": "text/javascript",
    "/manifest.webmanifest": "application/manifest+json",
    "/app/js/main.js": "text/javascript",
    "/app/js/sw-push.js": "text/javascript",
    "/app/css/app.css": "text/css",
    "/app/icons/icon-192.png": "image/png",
}


@pytest.mark.parametrize(("path", "media_type"), TYPES.items())
async def test_each_file_is_served_with_its_type_and_revalidated(client, path, media_type):
    response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "no-cache" in response.headers["cache-control"]
    assert response.headers.get("etag") or response.headers.get("last-modified")
    assert "attachment" not in response.headers.get("content-disposition", "")
    head = await client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == response.headers["content-length"]


async def test_the_page_has_its_landmarks_languages_and_every_route(client):
    html = (await client.get("/")).text
    for landmark in ("<header", "<nav", "<main"):
        assert landmark in html
    assert '<script type="module" src="/app/js/main.js">' in html
    assert set(re.findall(r'<option value="(\w+)"', html)) == {"en", "es", "pl", "zh"}
    routes = set(re.findall(r'href="#/(\w+)', html))
    assert routes >= {"report", "mine", "r", "info", "where", "police", "map", "settings"}


async def test_the_service_worker_may_control_the_whole_site(client):
    response = await client.get("/sw.js")
    assert response.headers["service-worker-allowed"] == "/"
    # a module worker: its imports resolve under /app/ and are served
    for name in re.findall(r"import .*?'\./(app/js/[\w/-]+\.js)'", response.text):
        assert (await client.get("/" + name)).status_code == 200, name


async def test_the_manifest_makes_the_app_installable(client):
    manifest = json.loads((await client.get("/manifest.webmanifest")).text)
    assert manifest["start_url"].startswith("/") and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert (await client.get(icon["src"])).status_code == 200, icon["src"]


@pytest.mark.parametrize(
    "path", ["/app/js/nothing.js", "/app/", "/app/../router.py", "/app/js/%00.js", "/sw2.js"]
)
async def test_an_unknown_asset_is_a_404_problem(client, path):
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "urn:city311:problem:not-found"


async def test_the_app_is_not_in_the_api_document(client):
    document = (await client.get("/schema/openapi.json")).json()
    paths = document["paths"]
    assert not [p for p in paths if p in ("/", "/sw.js", "/manifest.webmanifest") or "/app/" in p]


def test_every_module_the_page_imports_is_there():
    """Relative imports between the app's modules point at files that exist."""
    js = STATIC / "js"
    for module in js.rglob("*.js"):
        text = module.read_text()
        for target in re.findall(r"""(?:from|import)\s*\(?\s*'(\.{1,2}/[^'$]+\.js)'""", text):
            assert (module.parent / target).resolve().is_file(), f"{module.name} -> {target}"
