"""What a phone downloads to start the web app is sent gzipped (its files, the catalog, the map's
shapes); every other answer — the hot reads, the live event streams, the APIs' errors — as it is."""

from __future__ import annotations

import gzip

import pytest

ZIPPED = [
    "/",
    "/sw.js",
    "/app/js/main.js",
    "/app/css/app.css",
    "/api/v1/services",
    "/api/v1/map/areas",
]
PLAIN = [
    "/healthz",
    "/api/v1/services/nope",
    "/open311/v2/services.json",
    "/api/v1/requests/SR26-1",
]


@pytest.mark.parametrize("path", ZIPPED)
async def test_the_apps_start_is_sent_gzipped_to_who_accepts_it(client, path):
    plain = await client.get(path, headers={"accept-encoding": "identity"})
    zipped = await client.get(path, headers={"accept-encoding": "gzip"})
    assert plain.status_code == zipped.status_code == 200
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped.headers["vary"].lower()
    assert zipped.content == plain.content  # httpx decodes it: the same bytes
    assert len(gzip.compress(plain.content)) < len(plain.content)


@pytest.mark.parametrize("path", PLAIN)
async def test_every_other_answer_goes_as_it_is(client, path):
    response = await client.get(path, headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in response.headers, path
