"""Published Open311 GeoReport v2 clients from PyPI, unmodified, against a real server on loopback
(`city311 serve` in a subprocess sharing the test database).

What exists on PyPI, and what each can do here (read from their sources):

- georeport 0.3.1 (2025; requests + xmltodict): service list, service definition, GET requests
  with the spec's filters, GET request by id; in XML and in JSON. No discovery, no POST, no tokens.
- civicbot 0.4.0 (2026; stdlib only): service list, definition, POST with attributes (list values
  as `attribute[CODE][]`) and an api_key, GET by id, filtered list, tokens; it checks a POST
  against the live definition first. JSON only: it decodes every answer as JSON.
- three 0.8.0 and open311 1.1 (Code for America, 2011-2013) are Python 2 only: `import three`
  fails on `itertools.ifilter`, `import open311` on its implicit relative imports. chicagorequests
  and boston311 have their city's URL built in.

So: discovery is read with httpx as a person would, its URL handed to both libraries; georeport
drives every GET in both formats; civicbot drives POST (JSON) and reads it back; a request
civicbot POSTs is read by georeport in XML.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import requests
from civicbot import Endpoint, HttpError, HttpTransport, Open311Client, ValidationError
from civicbot.http import RateLimiter
from georeport import GeoReport
from lxml import etree

from backend.service_requests.models import SubmitCommand
from tests.factories import WICKER_PARK, pothole
from tests.fakes.live_server import LiveServer

pytestmark = pytest.mark.slow  # runs two client libraries against a live server

SPEC = "http://wiki.open311.org/GeoReport_v2"
JURISDICTION = "cityofchicago.org"
CHICAGO = ZoneInfo("America/Chicago")
POLISH = "Zażółć gęślą jaźń — szczury przy śmietniku"


@pytest.fixture(scope="module")
def server(migrated):
    running = LiveServer({"CITY311_SCHEDULER": "off"}, own_base_url=True)
    yield running
    running.stop()


@pytest.fixture
async def api_key(services) -> str:
    return (await services.api_keys.create("client library tests")).key


def w3c(moment: datetime) -> str:
    return moment.astimezone(CHICAGO).replace(microsecond=0).isoformat()


def discover(server: LiveServer, fmt: str) -> str:
    """The production GeoReport v2 URL that discovery announces (no library reads discovery)."""
    response = httpx.get(f"{server.base}/open311/discovery.{fmt}", timeout=10)
    assert response.status_code == 200, response.text
    if fmt == "json":
        endpoints = response.json()["endpoints"]
    else:
        root = etree.fromstring(response.content)
        endpoints = [{c.tag: c.text for c in e} for e in root.iter("endpoint")]
    (url,) = [
        e["url"] for e in endpoints if e["specification"] == SPEC and e["type"] == "production"
    ]
    assert url.rstrip("/") == f"{server.base}/open311/v2", url
    return url


def as_list(value) -> list:
    """xmltodict reads one repeated element as a dict, several as a list."""
    return value if isinstance(value, list) else [value]


def civic(base: str) -> Open311Client:
    endpoint = Endpoint(id="city311", name="City311 on loopback", base_url=base, write=True)
    # the library's politeness pause between calls to one host is for public servers
    transport = HttpTransport(timeout=30, rate_limiter=RateLimiter(min_interval=0))
    return Open311Client(endpoint, transport=transport, jurisdiction_id=JURISDICTION)


async def _seed(services) -> dict[str, str]:
    made = {}
    made["pothole"] = await services.requests.submit(pothole(description="near the bus stop"))
    made["rats"] = await services.requests.submit(
        SubmitCommand(
            service_code="SGA",
            channel="app",
            lat=WICKER_PARK[0],
            long=WICKER_PARK[1],
            answers={"WHERE_SEEN": ["alley", "yard"]},
        )
    )
    made["closed"] = await services.requests.submit(pothole())
    made = {k: v.request.tracking_number for k, v in made.items()}
    await services.requests.transition(
        made["closed"], "completed", actor="staff:1", channel="staff"
    )
    return made


# -- georeport: every GET, in XML and in JSON ----------------------------------------------------


def georeport_flow(server: LiveServer, fmt: str, made: dict[str, str]) -> None:
    base = discover(server, fmt)
    client = GeoReport(base, jurisdiction=JURISDICTION, output_format=fmt)
    yes = True if fmt == "json" else "true"

    listed = {s["service_code"]: s for s in client.get_service_list()}
    assert listed["PHF"]["service_name"] == "Pothole in Street Complaint"
    assert listed["SGA"]["metadata"] == yes and listed["SGA"]["type"] == "realtime"

    definition = client.get_service_definition("SGA")
    attributes = definition["attributes"]
    attributes = attributes if fmt == "json" else as_list(attributes["attribute"])
    where_seen = next(a for a in attributes if a["code"] == "WHERE_SEEN")
    assert where_seen["datatype"] == "multivaluelist" and where_seen["required"] == yes
    values = where_seen["values"] if fmt == "json" else as_list(where_seen["values"]["value"])
    assert {"key": "alley", "name": "Alley"} in [dict(v) for v in values]

    one = client.get_service_request(made["rats"])
    assert one["service_request_id"] == made["rats"]
    assert one["service_code"] == "SGA" and one["status"] == "open"

    now = datetime.now(UTC)
    filtered = as_list(
        client.get_service_requests(
            service_code="PHF,SGA",
            status="open",
            start_date=w3c(now - timedelta(days=7)),
            end_date=w3c(now + timedelta(minutes=5)),
        )
    )
    assert {r["service_request_id"] for r in filtered} == {made["pothole"], made["rats"]}
    closed = as_list(client.get_service_requests(status="closed"))
    assert [r["service_request_id"] for r in closed] == [made["closed"]]
    by_ids = as_list(
        client.get_service_requests(
            service_request_id=f"{made['closed']},{made['rats']}", status="open"
        )
    )
    assert {r["service_request_id"] for r in by_ids} == {made["closed"], made["rats"]}

    # the library raises on the spec's error statuses
    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_definition("NOPE")
    assert refused.value.response.status_code == 404
    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_request("SR26-09999999")
    assert refused.value.response.status_code == 404


@pytest.mark.parametrize("fmt", ["xml", "json"])
async def test_georeport_reads_every_resource(server, services, fmt):
    made = await _seed(services)
    await asyncio.to_thread(georeport_flow, server, fmt, made)


# -- civicbot: POST with attributes and a key, then reads (JSON) ---------------------------------


def civicbot_flow(server: LiveServer, key: str) -> str:
    client = civic(discover(server, "json"))

    services = {s["service_code"]: s for s in client.list_services()}
    assert services["SGA"]["metadata"] is True

    # The library checks a request against the live definition before sending: an answer that is
    # not one of the definition's keys never leaves it.
    with pytest.raises(ValidationError):
        client.create_request(
            "SGA",
            validate_remote=True,
            lat=WICKER_PARK[0],
            lng=WICKER_PARK[1],
            attributes={"WHERE_SEEN": ["on the moon"]},
        )

    prepared = client.create_request(
        "SGA",
        dry_run=False,
        confirm="SEND",
        api_key=key,
        validate_remote=True,
        lat=WICKER_PARK[0],
        lng=WICKER_PARK[1],
        description=POLISH,
        attributes={"WHERE_SEEN": ["alley", "garbage_area"], "BURROWS": "yes"},
        email="reporter@example.com",
        first_name="Ala",
        last_name="Kowalska",
    )
    (result,) = prepared.response
    sr_id = result["service_request_id"]
    assert "token" not in result

    one = client.get_request(sr_id)
    assert one["description"] == POLISH and one["service_code"] == "SGA"
    assert one["status"] == "open"
    assert "reporter@example.com" not in str(one) and "Kowalska" not in str(one)

    (token,) = client.get_token(sr_id)
    assert token == {"service_request_id": sr_id, "token": sr_id}

    now = datetime.now(UTC)
    listed = client.list_requests(
        service_code="SGA",
        status="open",
        start_date=w3c(now - timedelta(days=1)),
        end_date=w3c(now + timedelta(minutes=5)),
        page_size=10,
    )
    assert [r["service_request_id"] for r in listed] == [sr_id]
    assert [r["service_request_id"] for r in client.list_requests(service_request_ids=[sr_id])] == [
        sr_id
    ]

    # by address, geocoded by the server
    prepared = client.create_request(
        "PHF",
        dry_run=False,
        confirm="SEND",
        api_key=key,
        validate_remote=True,
        address_string="1845 W Cortland St",
        attributes={"LOCATION": "traffic_lane"},
    )
    (by_address,) = prepared.response
    placed = client.get_request(by_address["service_request_id"])
    assert abs(placed["lat"] - 41.9159) < 0.001 and abs(placed["long"] + 87.67436) < 0.001

    # the spec's errors reach the caller with their status and body
    with pytest.raises(HttpError) as refused:
        client.create_request(
            "PHF",
            dry_run=False,
            confirm="SEND",
            api_key="c311_not-a-key-we-issued-00000000",
            lat=WICKER_PARK[0],
            lng=WICKER_PARK[1],
            attributes={"LOCATION": "traffic_lane"},
        )
    assert refused.value.status == 403 and '"code"' in refused.value.body
    with pytest.raises(HttpError) as refused:
        client.create_request(
            "PHF",
            dry_run=False,
            confirm="SEND",
            api_key=key,
            lat=WICKER_PARK[0],
            lng=WICKER_PARK[1],
        )  # the required LOCATION attribute left out, and no definition to catch it first
    assert refused.value.status == 400
    return sr_id


async def test_civicbot_posts_with_attributes_and_reads_back(server, api_key):
    sr_id = await asyncio.to_thread(civicbot_flow, server, api_key)
    # ... and another library reads what this one posted, in XML
    reader = GeoReport(f"{server.base}/open311/v2", output_format="xml")
    one = await asyncio.to_thread(reader.get_service_request, sr_id)
    assert one["description"] == POLISH and one["service_code"] == "SGA"
