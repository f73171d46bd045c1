"""Open311 GeoReport v2 conformance: every resource in both formats, validated against the spec's
schemas (schemas/, written from the spec and docs: shared reference open311-georeport-v2.md, the
"digest"), and the conformance checklist of digest 2.11, item by item.

Each test names the rule it holds the server to. The schemas themselves are tested first, on the
spec's own examples and on deviations seen in the wild, so a failure below is the server's.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from backend.service_requests.models import SubmitCommand
from backend.service_requests.tables import ServiceRequest
from tests.channels.open311.schema_check import (
    W3C_DATETIME,
    SchemaError,
    read_document,
    read_errors,
    validate_json,
    validate_xml,
    xml_to_data,
)
from tests.factories import EVANSTON, WICKER_PARK, photo_bytes, pothole

BASE = "/open311/v2"
FORMATS = ["xml", "json"]
SPEC = "http://wiki.open311.org/GeoReport_v2"
JURISDICTION = "cityofchicago.org"
CHICAGO = ZoneInfo("America/Chicago")
HYDE_PARK = (41.7943, -87.5907)
CORTLAND = (41.9159, -87.67436)  # 1845 W Cortland St (backend/geo/geocoder.py)
TRACKING = re.compile(r"^SR\d{2}-\d{8}$")
POLISH = "Zażółć gęślą jaźń: dziura na ulicy Żółkiewskiego, łódź podwodna"
CHINESE = "路面有一个很深的坑洞，请尽快修补。谢谢！"


def fmt_param():
    return pytest.mark.parametrize("fmt", FORMATS)


# -- helpers -------------------------------------------------------------------------------------


def w3c(moment: datetime) -> str:
    return moment.astimezone(CHICAGO).replace(microsecond=0).isoformat()


def parse_w3c(value: str) -> datetime:
    assert W3C_DATETIME.match(value), value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def truth(value) -> bool:
    """A spec boolean: JSON true/false, or XML's words."""
    assert value in (True, False, "true", "false"), value
    return value in (True, "true")


@pytest.fixture
async def api_key(services) -> str:
    return (await services.api_keys.create("tests")).key


def form(key: str | None, **fields) -> dict:
    """A valid pothole report at Wicker Park as Open311 form fields; a field given as None is
    left out."""
    data: dict = {
        "api_key": key,
        "service_code": "PHF",
        "lat": str(WICKER_PARK[0]),
        "long": str(WICKER_PARK[1]),
        "attribute[LOCATION]": "curb_lane",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


async def post(client, fmt: str, key: str | None, params=None, files=None, **fields):
    return await client.post(
        f"{BASE}/requests.{fmt}", data=form(key, **fields), params=params, files=files
    )


async def post_ok(client, fmt: str, key: str, **fields) -> str:
    response = await post(client, fmt, key, **fields)
    (result,) = read_document(response, fmt, "service_requests", request="postResult")
    assert TRACKING.match(result["service_request_id"]), result
    return result["service_request_id"]


async def get_list(client, fmt: str, **params) -> list[dict]:
    response = await client.get(f"{BASE}/requests.{fmt}", params=params)
    return read_document(response, fmt, "service_requests", request="request")


async def get_one(client, fmt: str, sr_id: str, **params) -> dict:
    response = await client.get(f"{BASE}/requests/{sr_id}.{fmt}", params=params)
    (one,) = read_document(response, fmt, "service_requests", request="request")
    assert one["service_request_id"] == sr_id
    return one


def ids(requests: list[dict]) -> set[str]:
    return {r["service_request_id"] for r in requests}


async def submit(services, **changes) -> str:
    """A request through the one write path (channel "app")."""
    return (await services.requests.submit(pothole(**changes))).request.tracking_number


async def rats(services, where=(41.9097, -87.6776)) -> str:
    command = SubmitCommand(
        service_code="SGA",
        channel="app",
        lat=where[0],
        long=where[1],
        answers={"WHERE_SEEN": ["alley"]},
    )
    return (await services.requests.submit(command)).request.tracking_number


async def backdate(tracking_number: str, created: datetime, updated: datetime | None = None):
    await ServiceRequest.update(
        {ServiceRequest.created_at: created, ServiceRequest.updated_at: updated or created}
    ).where(ServiceRequest.tracking_number == tracking_number)


def same(xml_value, json_value, where="") -> None:
    """One document read from XML equals the one read from JSON (null = empty element,
    booleans = their words, numbers compared as numbers)."""
    if isinstance(json_value, bool):
        assert xml_value == ("true" if json_value else "false"), where
    elif isinstance(json_value, int | float):
        assert float(xml_value) == pytest.approx(json_value), where
    elif json_value is None:
        assert xml_value in ("", []), f"{where}: {xml_value!r} in XML, null in JSON"
    elif isinstance(json_value, list):
        assert isinstance(xml_value, list) and len(xml_value) == len(json_value), where
        for i, (x, j) in enumerate(zip(xml_value, json_value, strict=True)):
            same(x, j, f"{where}[{i}]")
    elif isinstance(json_value, dict):
        assert isinstance(xml_value, dict), where
        assert set(xml_value) == set(json_value), (
            f"{where}: elements {sorted(xml_value)} in XML, keys {sorted(json_value)} in JSON"
        )
        for key in json_value:
            same(xml_value[key], json_value[key], f"{where}.{key}")
    else:
        assert xml_value == json_value, f"{where}: {xml_value!r} != {json_value!r}"


# -- the schemas themselves ----------------------------------------------------------------------

# The spec's examples (GeoReport v2, with ids as strings and no stray space in media_url).
SPEC_XML = {
    "services": b"""<?xml version="1.0" encoding="utf-8"?>
<services><service><service_code>001</service_code><service_name>Cans left out 24x7</service_name>
<description>Garbage or recycling cans that have been left out.</description>
<metadata>true</metadata><type>realtime</type><keywords>lorem, ipsum, dolor</keywords>
<group>sanitation</group></service></services>""",
    "service_definition": b"""<?xml version="1.0" encoding="utf-8"?>
<service_definition><service_code>DMV66</service_code><attributes><attribute>
<variable>true</variable><code>WHISHETN</code><datatype>singlevaluelist</datatype>
<required>true</required><datatype_description></datatype_description><order>1</order>
<description>What is the ticket/tag/DL number?</description><values>
<value><key>123</key><name>Ford</name></value><value><key>124</key><name>Chrysler</name></value>
</values></attribute></attributes></service_definition>""",
    "service_requests": b"""<?xml version="1.0" encoding="utf-8"?>
<service_requests><request><service_request_id>638344</service_request_id><status>closed</status>
<status_notes>Duplicate request.</status_notes><service_name>Sidewalk and Curb Issues</service_name>
<service_code>006</service_code><description></description><agency_responsible></agency_responsible>
<service_notice></service_notice><requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
<updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
<expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime><address>8TH AVE and JUDAH ST</address>
<address_id>545483</address_id><zipcode>94122</zipcode><lat>37.762221815</lat><long>-122.4651145</long>
<media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg</media_url></request>
</service_requests>""",
    "errors": b"""<?xml version="1.0" encoding="utf-8"?>
<errors><error><code>403</code><description>Invalid api_key received -- can't proceed with
create_request.</description></error></errors>""",
    "discovery": b"""<?xml version="1.0" encoding="utf-8"?>
<discovery><changeset>2011-04-05T17:48:34Z</changeset><contact>api@mycity.gov</contact>
<key_service>You can request a key here: http://api.mycity.gov/api_key/request</key_service>
<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>
<url>http://open311.sfgov.org/dev/v2</url><changeset>2011-04-20T17:48:34Z</changeset>
<type>test</type><formats><format>text/xml</format><format>application/json</format></formats>
</endpoint></endpoints></discovery>""",
}

SPEC_REQUEST = {
    "service_request_id": "638344",
    "status": "closed",
    "status_notes": "Duplicate request.",
    "service_name": "Sidewalk and Curb Issues",
    "service_code": "006",
    "description": None,
    "agency_responsible": None,
    "service_notice": None,
    "requested_datetime": "2010-04-14T06:37:38-08:00",
    "updated_datetime": "2010-04-14T06:37:38-08:00",
    "expected_datetime": "2010-04-15T06:37:38-08:00",
    "address": "8TH AVE and JUDAH ST",
    "address_id": "545483",
    "zipcode": "94122",
    "lat": 37.762221815,
    "long": -122.4651145,
    "media_url": "http://city.gov.s3.amazonaws.com/requests/media/638344.jpg",
}


@pytest.mark.parametrize("name", sorted(SPEC_XML))
def test_the_xml_schemas_accept_the_spec_examples(name):
    validate_xml(SPEC_XML[name], name)
    if name == "service_requests":
        validate_xml(SPEC_XML[name], name, request="request")


def test_the_xml_reading_follows_the_json_mapping():
    root = validate_xml(SPEC_XML["service_requests"], "service_requests", request="request")
    (request,) = xml_to_data(root)
    same(request, SPEC_REQUEST)
    definition = xml_to_data(validate_xml(SPEC_XML["service_definition"], "service_definition"))
    assert definition["attributes"][0]["values"][1] == {"key": "124", "name": "Chrysler"}


SPEC_JSON: list[tuple[str, Any]] = [
    ("services", [{"service_code": "001", "service_name": "Cans left out 24x7",
                   "description": "Cans", "metadata": True, "type": "realtime",
                   "keywords": "lorem, ipsum, dolor", "group": "sanitation"}]),
    ("service_definition", {"service_code": "DMV66", "attributes": [
        {"variable": True, "code": "WHISHETN", "datatype": "singlevaluelist", "required": True,
         "datatype_description": None, "order": 1, "description": "What is the ticket number?",
         "values": [{"key": "123", "name": "Ford"}, {"key": "124", "name": "Chrysler"}]}]}),
    ("service_requests", [SPEC_REQUEST]),
    ("service_requests", [{"service_request_id": "293944", "service_notice": "Inspected in 24 h",
                           "account_id": None}]),
    ("service_requests", [{"service_request_id": "638344", "token": "12345"}]),
    ("errors", [{"code": 403, "description": "Invalid api_key received"}]),
    ("discovery", {"changeset": "2011-04-05T17:48:34Z", "contact": "api@mycity.gov",
                   "key_service": "http://api.mycity.gov/api_key/request", "endpoints": [
                       {"specification": SPEC, "url": "http://open311.sfgov.org/dev/v2",
                        "changeset": "2011-04-20T17:48:34Z", "type": "test",
                        "formats": ["text/xml", "application/json"]}]}),
]  # fmt: skip


@pytest.mark.parametrize("name,document", SPEC_JSON)
def test_the_json_schemas_accept_the_spec_examples(name, document):
    validate_json(document, name)


def _with(document, **changes):
    return [{**document, **changes}]


REJECTED_JSON = [
    ("numeric service_code (the spec's own example)", "services",
     [{**SPEC_JSON[0][1][0], "service_code": 1}], None),
    ("metadata as a string", "services", [{**SPEC_JSON[0][1][0], "metadata": "true"}], None),
    ("type not in the enum", "services", [{**SPEC_JSON[0][1][0], "type": "instant"}], None),
    ("wrapped like FixMyStreet's server", "service_requests", {"service_requests": [SPEC_REQUEST]},
     None),
    ("fractional seconds", "service_requests",
     _with(SPEC_REQUEST, requested_datetime="2010-04-14T06:37:38.123-08:00"), "request"),
    ("no timezone", "service_requests",
     _with(SPEC_REQUEST, updated_datetime="2010-04-14T06:37:38"), "request"),
    ("status beyond open/closed", "service_requests", _with(SPEC_REQUEST, status="in_progress"),
     "request"),
    ("numeric zipcode (the spec's own example)", "service_requests",
     _with(SPEC_REQUEST, zipcode=94122), "request"),
    ("reporter e-mail in a request", "service_requests",
     _with(SPEC_REQUEST, email="a@example.com"), "request"),
    ("id and token together", "service_requests",
     [{"service_request_id": "1", "token": "2"}], "postResult"),
    ("datatype not one of the six", "service_definition",
     {"service_code": "X", "attributes": [{**SPEC_JSON[1][1]["attributes"][0], "datatype": "bool"}]},
     None),
    ("list type without values", "service_definition",
     {"service_code": "X", "attributes": [
         {k: v for k, v in SPEC_JSON[1][1]["attributes"][0].items() if k != "values"}]}, None),
    ("order 0", "service_definition",
     {"service_code": "X", "attributes": [{**SPEC_JSON[1][1]["attributes"][0], "order": 0}]},
     None),
    ("no errors in an errors body", "errors", [], None),
    ("a string error code", "errors", [{"code": "403", "description": "no"}], None),
    ("discovery formats not MIME types", "discovery",
     {**SPEC_JSON[6][1], "endpoints": [{**SPEC_JSON[6][1]["endpoints"][0], "formats": ["xml"]}]},
     None),
]  # fmt: skip


@pytest.mark.parametrize(
    "name,document,request_",
    [pytest.param(n, d, r, id=why) for why, n, d, r in REJECTED_JSON],
)
def test_the_json_schemas_reject_deviations(name, document, request_):
    with pytest.raises(SchemaError):
        validate_json(document, name, request_)


REJECTED_XML = [
    ("metadata as 1", "services", b"<metadata>true</metadata>", b"<metadata>1</metadata>", None),
    ("a foreign element", "services", b"<group>", b"<department>x</department><group>", None),
    ("duplicate order", "service_definition", b"</attribute></attributes>",
     b"</attribute><attribute><variable>true</variable><code>B</code><datatype>text</datatype>"
     b"<required>false</required><datatype_description/><order>1</order>"
     b"<description>b</description></attribute></attributes>", None),
    ("fractional seconds", "service_requests", b"06:37:38-08:00</requested",
     b"06:37:38.5-08:00</requested", "request"),
    ("a GET request is no POST result", "service_requests", b"", b"", "postResult"),
    ("a namespace", "errors", b"<errors>", b'<errors xmlns="http://example.com/">', None),
]  # fmt: skip


@pytest.mark.parametrize(
    "name,old,new,request_", [pytest.param(*case[1:], id=case[0]) for case in REJECTED_XML]
)
def test_the_xml_schemas_reject_deviations(name, old, new, request_):
    body = SPEC_XML[name].replace(old, new, 1)
    with pytest.raises(SchemaError):
        validate_xml(body, name, request_)


# -- discovery (2.11.1) --------------------------------------------------------------------------


@fmt_param()
@pytest.mark.parametrize("path", ["/open311/discovery", f"{BASE}/discovery"])
async def test_discovery_lists_the_v2_endpoint_and_its_formats(client, fmt, path):
    discovery = read_document(await client.get(f"{path}.{fmt}"), fmt, "discovery")
    endpoints = [e for e in discovery["endpoints"] if e["specification"] == SPEC]
    assert endpoints, discovery
    assert "production" in {e["type"] for e in endpoints}
    for endpoint in endpoints:
        assert {"text/xml", "application/json"} <= set(endpoint["formats"])
        # the announced URL is the base a client then uses
        url = urlsplit(endpoint["url"])
        assert url.path.rstrip("/") == BASE, endpoint["url"]
        response = await client.get(f"{url.path.rstrip('/')}/services.{fmt}")
        read_document(response, fmt, "services")


# -- service list (2.11.2, 2.11.4, 2.11.5) --------------------------------------------------------


@fmt_param()
async def test_service_list(client, services, fmt):
    listed = read_document(await client.get(f"{BASE}/services.{fmt}"), fmt, "services")
    assert isinstance(listed, list)
    by_code = {s["service_code"]: s for s in listed}
    assert len(by_code) == len(listed)
    active = {t.code for t in services.catalog.types if t.active}
    assert active <= set(by_code), f"not listed: {sorted(active - set(by_code))[:10]}"
    for code, service in by_code.items():
        info = services.catalog.by_code(code)
        assert info is not None and info.code == code, code
        assert service["service_name"] == info.name
        assert service["type"] == "realtime"  # the contract: an id at once
        assert truth(service["metadata"]) == bool(info.questions), code
    assert by_code["PHF"]["service_name"] == "Pothole in Street Complaint"


async def test_service_list_is_the_same_in_both_formats(client):
    xml = read_document(await client.get(f"{BASE}/services.xml"), "xml", "services")
    data = read_document(await client.get(f"{BASE}/services.json"), "json", "services")
    same(xml, data, "services")


# -- service definition (2.11.6) -----------------------------------------------------------------


@fmt_param()
@pytest.mark.parametrize("code", ["PHF", "SGA", "GRAF", "AVN", "SFD"])
async def test_service_definition(client, services, fmt, code):
    response = await client.get(f"{BASE}/services/{code}.{fmt}")
    definition = read_document(response, fmt, "service_definition")
    assert isinstance(definition, dict), "service_definition is an object, not an array"
    assert definition["service_code"] == code
    info = services.catalog.by_code(code)
    attributes = sorted(definition["attributes"], key=lambda a: int(a["order"]))
    orders = [int(a["order"]) for a in attributes]
    assert len(set(orders)) == len(orders) and min(orders) >= 1, orders
    questions = sorted(info.questions, key=lambda q: q.position)
    assert [a["code"] for a in attributes] == [q.code for q in questions]
    for attribute, question in zip(attributes, questions, strict=True):
        assert truth(attribute["variable"]) is True
        assert attribute["datatype"] == question.datatype
        assert truth(attribute["required"]) == question.required, question.code
        if question.datatype in ("singlevaluelist", "multivaluelist"):
            values = attribute["values"]
            assert [(v["key"], v["name"]) for v in values] == [
                (c.key, c.name) for c in question.choices
            ]


async def test_service_definition_is_the_same_in_both_formats(client):
    xml = read_document(await client.get(f"{BASE}/services/SGA.xml"), "xml", "service_definition")
    data = read_document(
        await client.get(f"{BASE}/services/SGA.json"), "json", "service_definition"
    )
    # XML cannot tell an empty list of values from no values at all
    for attribute in data["attributes"]:
        attribute.setdefault("values", [])
    for attribute in xml["attributes"]:
        attribute.setdefault("values", [])
    same(xml, data, "service_definition")


@fmt_param()
@pytest.mark.parametrize("code", ["NOPE", "PHF2", "99999", "%EF%BF%BE", "A%00B", "%EF%BF%BF%01"])
async def test_unknown_service_code_is_404(client, fmt, code):
    # the error echoes the code: what XML cannot carry is dropped from it (conftest.py parses it)
    read_errors(await client.get(f"{BASE}/services/{code}.{fmt}"), fmt, 404)


# -- POST, GET by id, token (2.11.7, 2.11.8) ------------------------------------------------------


@fmt_param()
async def test_post_get_by_id_and_token(client, api_key, fmt):
    before = datetime.now(UTC).replace(microsecond=0)
    sr_id = await post_ok(
        client,
        fmt,
        api_key,
        description="Deep pothole by the bus stop",
        **{"attribute[NUMBER_OF_POTHOLES]": "2", "attribute[DEEP_HOLE]": "no"},
    )
    one = await get_one(client, fmt, sr_id)
    assert one["service_code"] == "PHF"
    assert one["service_name"] == "Pothole in Street Complaint"
    assert one["status"] == "open"
    assert one["description"] == "Deep pothole by the bus stop"
    assert float(one["lat"]) == pytest.approx(WICKER_PARK[0], abs=1e-6)
    assert float(one["long"]) == pytest.approx(WICKER_PARK[1], abs=1e-6)
    requested = parse_w3c(one["requested_datetime"])
    assert one["requested_datetime"].endswith(("-05:00", "-06:00")), "Chicago time"
    assert before <= requested <= datetime.now(UTC) + timedelta(seconds=1)
    assert parse_w3c(one["updated_datetime"]) >= requested

    # realtime: the token endpoint still answers for a tracking number we issued (2.11.8)
    response = await client.get(f"{BASE}/tokens/{sr_id}.{fmt}")
    tokens = read_document(response, fmt, "service_requests", request="tokenResult")
    assert tokens == [{"service_request_id": sr_id, "token": sr_id}]


@fmt_param()
async def test_get_by_id_is_the_same_in_both_formats(client, api_key, fmt):
    sr_id = await post_ok(client, fmt, api_key, description="Same in both")
    xml = await get_one(client, "xml", sr_id, extensions="true")
    data = await get_one(client, "json", sr_id, extensions="true")
    same(xml, data, sr_id)


@fmt_param()
@pytest.mark.parametrize("sr_id", ["SR26-09999999", "SR99-00000001", "not-an-id", "12345"])
async def test_unknown_request_is_404(client, fmt, sr_id):
    read_errors(await client.get(f"{BASE}/requests/{sr_id}.{fmt}"), fmt, 404)


@fmt_param()
@pytest.mark.parametrize("token", ["SR26-09999999", "no-such-token"])
async def test_unknown_token_is_404(client, fmt, token):
    read_errors(await client.get(f"{BASE}/tokens/{token}.{fmt}"), fmt, 404)


@fmt_param()
async def test_post_response_has_no_token_and_no_account(client, api_key, fmt):
    response = await post(client, fmt, api_key, account_id="acct-1234", device_id="dev-9")
    (result,) = read_document(response, fmt, "service_requests", request="postResult")
    assert "token" not in result
    assert result.get("account_id") in (None, ""), "contact fields are never returned"


# -- POST refused: each spec error with its status (2.11.7, 2.11.11) -----------------------------

REFUSED = [
    ("no api_key", {"api_key": None}, 403),
    ("empty api_key", {"api_key": ""}, 403),
    ("unknown api_key", {"api_key": "c311_not-a-key-we-issued-00000000"}, 403),
    ("unknown service_code", {"service_code": "NOPE"}, 404),
    ("no service_code", {"service_code": None}, 400),
    ("no location", {"lat": None, "long": None}, 400),
    ("lat without long", {"long": None}, 400),
    ("long without lat", {"lat": None}, 400),
    ("lat not a number", {"lat": "north"}, 400),
    ("outside Chicago", {"lat": str(EVANSTON[0]), "long": str(EVANSTON[1])}, 400),
    ("required attribute missing", {"attribute[LOCATION]": None}, 400),
    ("singlevaluelist value not a key", {"attribute[LOCATION]": "on the moon"}, 400),
    ("number attribute not a number", {"attribute[NUMBER_OF_POTHOLES]": "many"}, 400),
    ("description over 4,000 characters", {"description": "x" * 4001}, 400),
    # what XML 1.0 cannot carry: refused at the door, or the feed would break for every client
    ("U+FFFE in the description", {"description": "hole\ufffe"}, 400),
    ("U+FFFF in the description", {"description": "\uffff"}, 400),
    ("a control character in the name", {"first_name": "Ann\x01"}, 400),
    ("U+FFFF in an attribute", {"attribute[NUMBER_OF_POTHOLES]": "2\uffff"}, 400),
    ("U+FFFE in the address", {"lat": None, "long": None, "address_string": "1845 W\ufffe"}, 400),
    ("another jurisdiction", {"jurisdiction_id": "sfgov.org"}, 404),
]


@fmt_param()
@pytest.mark.parametrize("fields,status", [pytest.param(f, s, id=why) for why, f, s in REFUSED])
async def test_post_refused_with_the_spec_status_and_errors_body(
    client, api_key, fmt, fields, status
):
    fields = dict(fields)
    key = fields.pop("api_key", api_key)
    read_errors(await post(client, fmt, key, **fields), fmt, status)
    assert await ServiceRequest.count() == 0


@fmt_param()
async def test_post_with_a_revoked_key_is_403(client, services, fmt):
    created = await services.api_keys.create("revoked")
    assert await services.api_keys.revoke(created.id)
    read_errors(await post(client, fmt, created.key), fmt, 403)


@fmt_param()
async def test_multivaluelist_via_attribute_brackets(client, api_key, fmt):
    sr_id = await post_ok(
        client,
        fmt,
        api_key,
        service_code="SGA",
        **{"attribute[LOCATION]": None, "attribute[WHERE_SEEN][]": ["alley", "garbage_area"]},
    )
    answers = await ServiceRequest.select(ServiceRequest.answers).where(
        ServiceRequest.tracking_number == sr_id
    )
    stored = answers[0]["answers"]
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert stored["WHERE_SEEN"] == ["alley", "garbage_area"]
    # a value that is not one of the keys
    response = await post(
        client,
        fmt,
        api_key,
        service_code="SGA",
        **{"attribute[LOCATION]": None, "attribute[WHERE_SEEN][]": ["alley", "moon"]},
    )
    read_errors(response, fmt, 400)


@fmt_param()
async def test_a_datetime_attribute_in_w3c_form(client, api_key, fmt):
    await post_ok(
        client,
        fmt,
        api_key,
        service_code="AVN",
        **{
            "attribute[LOCATION]": None,
            "attribute[AIRPORT]": "ohare",
            "attribute[NOISE_TIME]": w3c(datetime.now(UTC) - timedelta(hours=3)),
        },
    )


@fmt_param()
async def test_description_of_exactly_4000_characters(client, api_key, fmt):
    text = ("Pothole line.\n" * 300)[:4000]
    sr_id = await post_ok(client, fmt, api_key, description=text)
    assert (await get_one(client, fmt, sr_id))["description"] == text


@fmt_param()
async def test_post_by_address_string(client, api_key, fmt):
    sr_id = await post_ok(
        client, fmt, api_key, lat=None, long=None, address_string="1845 W Cortland St"
    )
    one = await get_one(client, fmt, sr_id)
    assert float(one["lat"]) == pytest.approx(CORTLAND[0], abs=0.001)
    assert float(one["long"]) == pytest.approx(CORTLAND[1], abs=0.001)
    assert "CORTLAND" in one["address"].upper()


@fmt_param()
async def test_post_multipart_with_media(client, api_key, fmt):
    response = await post(
        client, fmt, api_key, files={"media": ("pothole.jpg", photo_bytes(), "image/jpeg")}
    )
    (result,) = read_document(response, fmt, "service_requests", request="postResult")
    one = await get_one(client, fmt, result["service_request_id"])
    # v2.1 draft and Bloomington/Helsinki (digest 2.10): uploaded files' URLs in media_url
    assert one["media_url"], "an uploaded photo shows in media_url"
    photo = await client.get(one["media_url"])
    assert photo.status_code == 200 and photo.headers["content-type"].startswith("image/")


@fmt_param()
async def test_media_url_is_recorded_and_shown(client, api_key, fmt):
    url = "https://example.org/photos/pothole-1.jpg"
    sr_id = await post_ok(client, fmt, api_key, media_url=url)
    assert (await get_one(client, fmt, sr_id))["media_url"] == url


@fmt_param()
async def test_jurisdiction_id_in_the_body_or_the_query_string(client, api_key, fmt):
    await post_ok(client, fmt, api_key, jurisdiction_id=JURISDICTION)
    response = await post(client, fmt, api_key, params={"jurisdiction_id": JURISDICTION})
    read_document(response, fmt, "service_requests", request="postResult")


@fmt_param()
@pytest.mark.parametrize(
    "path", ["services", "services/PHF", "requests", "requests/SR26-00000001", "tokens/SR26-1"]
)
async def test_get_with_another_jurisdiction_is_404(client, fmt, path):
    response = await client.get(f"{BASE}/{path}.{fmt}", params={"jurisdiction_id": "sfgov.org"})
    read_errors(response, fmt, 404)


@fmt_param()
@pytest.mark.parametrize("other", ["\x0b", " cityofchicago.org", "cityofchicago.org\n", "null"])
async def test_a_jurisdiction_is_ours_exactly_or_404(client, api_key, fmt, other):
    """As openapi/open311.json says (its pattern): ours in any case, or empty; padding is another
    jurisdiction. A POST's query string is checked too when its body names ours (the fuzzer
    found both)."""
    response = await client.get(f"{BASE}/services.{fmt}", params={"jurisdiction_id": other})
    read_errors(response, fmt, 404)
    response = await post(
        client, fmt, api_key, params={"jurisdiction_id": other}, jurisdiction_id=JURISDICTION
    )
    read_errors(response, fmt, 404)
    response = await post(client, fmt, api_key, jurisdiction_id=other)
    read_errors(response, fmt, 404)
    await post_ok(client, fmt, api_key, jurisdiction_id=JURISDICTION.upper())
    await post_ok(client, fmt, api_key, jurisdiction_id="")


@fmt_param()
@pytest.mark.parametrize("ours", [JURISDICTION, JURISDICTION.upper(), "CityOfChicago.Org", ""])
async def test_get_with_our_jurisdiction(client, api_key, fmt, ours):
    """Ours in any case, or empty, on every resource that takes a jurisdiction_id."""
    sr_id = await post_ok(client, fmt, api_key)
    params = {"jurisdiction_id": ours}
    read_document(await client.get(f"{BASE}/services.{fmt}", params=params), fmt, "services")
    response = await client.get(f"{BASE}/services/PHF.{fmt}", params=params)
    read_document(response, fmt, "service_definition")
    response = await client.get(f"{BASE}/requests.{fmt}", params=params)
    read_document(response, fmt, "service_requests", request="request")
    response = await client.get(f"{BASE}/requests/{sr_id}.{fmt}", params=params)
    read_document(response, fmt, "service_requests", request="request")
    response = await client.get(f"{BASE}/tokens/{sr_id}.{fmt}", params=params)
    assert response.status_code == 200, response.text


@fmt_param()
@pytest.mark.parametrize("both", [[JURISDICTION, "sfgov.org"], ["sfgov.org", JURISDICTION]])
async def test_a_repeated_jurisdiction_must_be_ours_each_time(client, api_key, fmt, both):
    """A query string or form naming ours and another, in either order, is a 404: the server
    reads every value given, not only the first or the last."""
    params = [("jurisdiction_id", value) for value in both]
    sr_id = await post_ok(client, fmt, api_key)
    for path in ["services", "services/PHF", "requests", f"requests/{sr_id}", f"tokens/{sr_id}"]:
        read_errors(await client.get(f"{BASE}/{path}.{fmt}", params=params), fmt, 404)
    read_errors(await post(client, fmt, api_key, params=params), fmt, 404)
    read_errors(await post(client, fmt, api_key, jurisdiction_id=both), fmt, 404)
    photo = {"media": ("pothole.jpg", photo_bytes(), "image/jpeg")}  # multipart/form-data
    response = await post(client, fmt, api_key, files=photo, jurisdiction_id=both)
    read_errors(response, fmt, 404)
    assert await ServiceRequest.count() == 1, "nothing filed by a refused POST"


# -- GET requests (2.11.9, 2.11.10) -------------------------------------------------------------


async def test_default_window_is_90_days_and_at_most_1000_rows(client, services):
    """Default: the last 90 days or the first 1,000 requests, whichever is smaller. 1,001 recent
    requests through the write path (~1 ms each) and one from 100 days ago."""
    old = await submit(services, description="from last summer")
    await backdate(old, datetime.now(UTC) - timedelta(days=100))
    for _ in range(1001):
        await submit(services)
    for fmt in FORMATS:
        listed = await get_list(client, fmt)
        assert len(listed) == 1000, f"{fmt}: {len(listed)} rows"
        assert old not in ids(listed)
    # asked for by dates, the old one is there
    now = datetime.now(UTC)
    window = {
        "start_date": w3c(now - timedelta(days=110)),
        "end_date": w3c(now - timedelta(days=30)),
    }
    for fmt in FORMATS:
        assert ids(await get_list(client, fmt, **window)) == {old}


@fmt_param()
async def test_paging_is_exact_and_stable(client, services, fmt):
    made = [await submit(services) for _ in range(7)]
    pages = [await get_list(client, fmt, page=str(n), page_size="3") for n in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [3, 3, 1, 0]
    seen = [r["service_request_id"] for page in pages for r in page]
    assert len(seen) == len(set(seen)) == 7 and set(seen) == set(made)
    # Digest 2.12: bulk downloaders page on while a page is full, and requests keep arriving: a
    # new one must not shift a row already read into the next page (order by a unique key).
    read = [r["service_request_id"] for r in await get_list(client, fmt, page="1", page_size="3")]
    arrived = await submit(services)
    page = 2
    while True:
        rows = await get_list(client, fmt, page=str(page), page_size="3")
        read += [r["service_request_id"] for r in rows]
        if len(rows) < 3:
            break
        page += 1
    assert len(read) == len(set(read)), (
        f"read twice: {sorted(r for r in read if read.count(r) > 1)}"
    )
    assert set(made) <= set(read) <= {*made, arrived}


@fmt_param()
async def test_page_size_is_capped(client, services, fmt):
    await submit(services)
    response = await client.get(f"{BASE}/requests.{fmt}", params={"page_size": "100000"})
    if response.status_code == 400:
        read_errors(response, fmt, 400)
    else:
        assert len(read_document(response, fmt, "service_requests", request="request")) <= 1000


@fmt_param()
async def test_service_request_id_list_overrides_every_other_argument(client, services, fmt):
    pothole_id = await submit(services)
    rats_id = await rats(services)
    old = await submit(services)
    await backdate(old, datetime.now(UTC) - timedelta(days=200))
    await submit(services)  # not asked for
    now = datetime.now(UTC)
    listed = await get_list(
        client,
        fmt,
        service_request_id=f"{pothole_id},{rats_id},{old}",
        service_code="GRAF",
        status="closed",
        start_date=w3c(now - timedelta(days=2)),
        end_date=w3c(now - timedelta(days=1)),
    )
    assert ids(listed) == {pothole_id, rats_id, old}


@fmt_param()
async def test_service_code_list(client, services, fmt):
    pothole_id = await submit(services)
    rats_id = await rats(services)
    assert ids(await get_list(client, fmt, service_code="PHF")) == {pothole_id}
    assert ids(await get_list(client, fmt, service_code="PHF,SGA")) == {pothole_id, rats_id}
    assert ids(await get_list(client, fmt, service_code="GRAF")) == set()


@fmt_param()
async def test_status_list_and_the_closing_time(client, services, fmt):
    open_id = await submit(services)
    closed_id = await submit(services)
    view = await services.requests.transition(
        closed_id, "completed", actor="staff:1", channel="staff", note="Patched"
    )
    assert ids(await get_list(client, fmt, status="open")) == {open_id}
    assert ids(await get_list(client, fmt, status="closed")) == {closed_id}
    assert ids(await get_list(client, fmt, status="open,closed")) == {open_id, closed_id}
    closed = await get_one(client, fmt, closed_id)
    assert closed["status"] == "closed"
    # 2.11.10: a closed request's updated_datetime is when it was closed
    closed_at = view.closed_at if view.closed_at.tzinfo else view.closed_at.replace(tzinfo=UTC)
    assert abs(parse_w3c(closed["updated_datetime"]) - closed_at) < timedelta(seconds=1)


@fmt_param()
async def test_every_internal_status_collapses_to_open_or_closed(client, services, fmt):
    expected = {}
    for status, group in [
        ("open", "open"),
        ("in_progress", "open"),
        ("completed", "closed"),
        ("closed_not_fixed", "closed"),
        ("duplicate", "closed"),
        ("cancelled", "closed"),
    ]:
        tn = await submit(services)
        await services.requests.transition(tn, status, actor="staff:1", channel="staff")
        expected[tn] = group
    expected[await submit(services)] = "open"  # submitted
    listed = await get_list(client, fmt)
    assert {r["service_request_id"]: r["status"] for r in listed} == expected


@fmt_param()
async def test_dates_filter_on_requested_datetime(client, services, fmt):
    now = datetime.now(UTC)
    recent = await submit(services)
    older = await submit(services)
    await backdate(older, now - timedelta(days=20))
    window = {
        "start_date": w3c(now - timedelta(days=30)),
        "end_date": w3c(now - timedelta(days=10)),
    }
    assert ids(await get_list(client, fmt, **window)) == {older}
    utc = {"start_date": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert ids(await get_list(client, fmt, **utc)) == {recent}


@fmt_param()
async def test_a_bulk_download_as_chicagorequests_makes_it(client, services, fmt):
    """chicagorequests (PyPI; Chicago's Open311 downloader) asks for one day at a time:
    extensions=true, page_size=200, start at midnight and end at datetime.time.max
    (`23:59:59.999999-06:00`: W3C-DTF allows fractions in what clients send), and pages on while
    a page is full (digest 2.12)."""
    made = {await submit(services) for _ in range(5)}
    today = datetime.now(CHICAGO).date()
    start = datetime.combine(today, datetime.min.time(), CHICAGO)
    end = datetime.combine(today, datetime.max.time(), CHICAGO)
    args = {"extensions": "true", "start_date": start.isoformat(), "end_date": end.isoformat()}
    assert ".999999" in args["end_date"]
    read, page = [], 1
    while True:
        rows = await get_list(client, fmt, page=str(page), page_size="2", **args)
        read += rows
        if len(rows) < 2:
            break
        page += 1
    assert ids(read) == made and len(read) == 5
    assert all("extended_attributes" in r for r in read)


@fmt_param()
@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"start_date": -120, "end_date": -10}, id="110 days"),
        pytest.param({"start_date": -200, "end_date": -100}, id="100 days long ago"),
        pytest.param({"start_date": "yesterday"}, id="start_date not a W3C datetime"),
        pytest.param({"end_date": "2026-13-45T99:00:00Z"}, id="end_date not a date"),
        pytest.param({"status": "pending"}, id="status neither open nor closed"),
        pytest.param({"page_size": "ten"}, id="page_size not a number"),
    ],
)
async def test_bad_list_arguments_are_400(client, fmt, params):
    now = datetime.now(UTC)
    params = {
        k: w3c(now + timedelta(days=v)) if isinstance(v, int) else v for k, v in params.items()
    }
    read_errors(await client.get(f"{BASE}/requests.{fmt}", params=params), fmt, 400)


@fmt_param()
async def test_an_empty_argument_is_an_absent_one(client, services, api_key, fmt):
    made = {await submit(services), await rats(services)}
    empty = dict.fromkeys(
        [
            "jurisdiction_id",
            "service_request_id",
            "service_code",
            "status",
            "start_date",
            "end_date",
            "page",
            "page_size",
            "updated_after",
            "updated_before",
            "lat_ne",
            "long_ne",
            "lat_sw",
            "long_sw",
            "extensions",
        ],
        "",
    )
    assert ids(await get_list(client, fmt, **empty)) == made
    params = {"jurisdiction_id": ""}
    read_document(await client.get(f"{BASE}/services.{fmt}", params=params), fmt, "services")
    response = await client.get(f"{BASE}/services/PHF.{fmt}", params=params)
    read_document(response, fmt, "service_definition")
    # POST: empty optional fields, and an empty lat/long beside an address
    blank = dict.fromkeys(
        [
            "jurisdiction_id",
            "description",
            "media_url",
            "address_id",
            "address_string",
            "email",
            "phone",
            "first_name",
            "last_name",
            "device_id",
            "account_id",
            "attribute[NUMBER_OF_POTHOLES]",
        ],
        "",
    )
    await post_ok(client, fmt, api_key, **blank)
    await post_ok(client, fmt, api_key, lat="", long="", address_string="1845 W Cortland St")


@fmt_param()
async def test_bounding_box(client, services, fmt):
    west_town = await submit(services)
    hyde_park = await submit(services, lat=HYDE_PARK[0], long=HYDE_PARK[1])
    box = {"lat_ne": "41.95", "long_ne": "-87.64", "lat_sw": "41.88", "long_sw": "-87.72"}
    assert ids(await get_list(client, fmt, **box)) == {west_town}
    box = {"lat_ne": "41.80", "long_ne": "-87.58", "lat_sw": "41.78", "long_sw": "-87.60"}
    assert ids(await get_list(client, fmt, **box)) == {hyde_park}


@fmt_param()
async def test_updated_after_and_before(client, services, fmt):
    now = datetime.now(UTC)
    fresh = await submit(services)
    stale = await submit(services)
    await backdate(stale, now - timedelta(days=12), now - timedelta(days=8))
    after = {"updated_after": w3c(now - timedelta(days=1))}
    assert ids(await get_list(client, fmt, **after)) == {fresh}
    before = {"updated_before": w3c(now - timedelta(days=1))}
    assert ids(await get_list(client, fmt, **before)) == {stale}


@fmt_param()
async def test_w3c_datetimes_everywhere(client, services, fmt):
    tn = await submit(services)
    await services.requests.transition(tn, "completed", actor="staff:1", channel="staff")
    await submit(services)
    for request in await get_list(client, fmt, extensions="true"):
        for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
            value = request.get(field)
            if value:
                assert W3C_DATETIME.match(value), f"{field}: {value}"
                assert value.endswith(("-05:00", "-06:00")), f"{field} in Chicago time: {value}"
        for note in request.get("notes") or []:
            assert W3C_DATETIME.match(note["datetime"]), note


# -- extensions (digest 2.10) ---------------------------------------------------------------------


@fmt_param()
async def test_extensions_only_when_asked(client, services, fmt):
    tn = await submit(services)
    plain = await get_one(client, fmt, tn)
    assert "extended_attributes" not in plain and "notes" not in plain
    extended = await get_one(client, fmt, tn, extensions="true")
    assert isinstance(extended["extended_attributes"], dict)
    assert isinstance(extended["notes"], list)
    (listed,) = await get_list(client, fmt, extensions="true")
    assert "extended_attributes" in listed


@fmt_param()
async def test_app_request_shows_in_open311_with_its_ward_district_and_beat(client, fmt):
    payload = {
        "serviceCode": "PHF",
        "lat": WICKER_PARK[0],
        "long": WICKER_PARK[1],
        "description": "Reported in the app",
        "answers": {"LOCATION": "curb_lane"},
    }
    app = (await client.post("/api/v1/requests", json=payload)).json()
    tn = app["trackingNumber"]
    assert app["ward"] and app["policeDistrict"] and app["policeBeat"]
    one = await get_one(client, fmt, tn, extensions="true")
    assert one["description"] == "Reported in the app"
    extended = one["extended_attributes"]
    assert str(extended["ward"]) == str(app["ward"])
    assert str(extended["police_district"]) == str(app["policeDistrict"])
    assert str(extended["police_beat"]) == str(app["policeBeat"])
    assert extended["channel"], "the channel it came by"
    assert tn in ids(await get_list(client, fmt, extensions="true"))


@fmt_param()
async def test_open311_request_shows_in_the_app_api(client, api_key, fmt):
    sr_id = await post_ok(client, fmt, api_key, description="Posted through Open311")
    response = await client.get(f"/api/v1/requests/{sr_id}")
    assert response.status_code == 200, response.text
    app = response.json()
    assert app["trackingNumber"] == sr_id
    assert app["serviceCode"] == "PHF"
    assert app["description"] == "Posted through Open311"
    assert app["statusGroup"] == "open"


# -- UTF-8 (2.11.12) -----------------------------------------------------------------------------


@fmt_param()
@pytest.mark.parametrize("text", [POLISH, CHINESE, f"{POLISH}\n{CHINESE} & <b>é</b>"])
async def test_utf8_round_trip(client, api_key, fmt, text):
    sr_id = await post_ok(client, fmt, api_key, description=text)
    for read_fmt in FORMATS:
        assert (await get_one(client, read_fmt, sr_id))["description"] == text, read_fmt
        listed = await get_list(client, read_fmt, service_request_id=sr_id)
        assert listed[0]["description"] == text
    raw = await client.get(f"{BASE}/requests/{sr_id}.xml")
    raw.content.decode("utf-8")  # the bytes are UTF-8, whatever is escaped


# -- the reporter's identity is never shown ------------------------------------------------------

SECRETS = {
    "email": "zdzislawa.sekretna@example.com",
    "first_name": "Zdzisława",
    "last_name": "Sekretna-Wiśniewska",
    "phone": "+1 312 555 0199",
    "device_id": "device-secret-7731",
    "account_id": "account-secret-4242",
}
SHOWN_NEVER = [*SECRETS.values(), "5550199", "555-0199", "Sekretna", "sekretna"]


async def test_reporter_details_never_appear_in_any_output(client, api_key):
    outputs = []
    made = []
    for fmt in FORMATS:
        response = await post(client, fmt, api_key, **SECRETS)
        outputs.append(response)
        (result,) = read_document(response, fmt, "service_requests", request="postResult")
        made.append(result["service_request_id"])
    app = await client.post(
        "/api/v1/requests",
        json={
            "serviceCode": "PHF",
            "lat": WICKER_PARK[0],
            "long": WICKER_PARK[1],
            "answers": {"LOCATION": "curb_lane"},
            "name": "Zdzisława Sekretna-Wiśniewska",
            "email": SECRETS["email"],
            "phone": "+13125550199",
        },
    )
    assert app.status_code == 201, app.text
    outputs.append(app)
    made.append(app.json()["trackingNumber"])
    for fmt in FORMATS:
        for params in ({}, {"extensions": "true"}):
            outputs.append(await client.get(f"{BASE}/requests.{fmt}", params=params))
            for sr_id in made:
                outputs.append(await client.get(f"{BASE}/requests/{sr_id}.{fmt}", params=params))
        for sr_id in made:
            outputs.append(await client.get(f"{BASE}/tokens/{sr_id}.{fmt}"))
    for sr_id in made:
        outputs.append(await client.get(f"/api/v1/requests/{sr_id}"))
        outputs.append(await client.get(f"/api/v1/requests/{sr_id}/history"))
    near = f"{WICKER_PARK[0]},{WICKER_PARK[1]}"
    outputs.append(await client.get("/api/v1/requests", params={"near": near}))
    # accepted and kept (for the city's staff), so their absence below means something
    kept = await ServiceRequest.select(
        ServiceRequest.reporter_email, ServiceRequest.reporter_phone
    ).where(ServiceRequest.tracking_number.is_in(made))
    assert {r["reporter_email"] for r in kept} == {SECRETS["email"]}
    assert {r["reporter_phone"] for r in kept} == {"+13125550199"}
    for response in outputs:
        assert response.status_code in (200, 201), (response.request.url, response.text[:300])
        text = response.content.decode("utf-8")
        for secret in SHOWN_NEVER:
            assert secret not in text, f"{secret!r} in {response.request.url}"


# -- formats (2.11.2, 2.11.3) --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "services.csv",
        "services.html",
        "services/PHF.yaml",
        "requests.txt",
        "requests/SR26-00000001.rss",
        "tokens/SR26-00000001.jsonp",
        "discovery.htm",
    ],
)
async def test_an_unknown_format_is_404_with_an_errors_body(client, path):
    read_errors(await client.get(f"{BASE}/{path}"), None, 404)


@pytest.mark.parametrize("path", ["services", "requests", "requests/SR26-00000001", "discovery"])
async def test_no_format_is_404_with_an_errors_body(client, path):
    """The format is the suffix on every resource: without one there is no resource (404), and
    every error is the spec's errors document (2.11.11)."""
    read_errors(await client.get(f"{BASE}/{path}"), None, 404)


@pytest.mark.parametrize("path", ["requests", "requests.csv", "requests.JSONX"])
async def test_an_unknown_format_on_post_is_404(client, api_key, path):
    response = await client.post(f"{BASE}/{path}", data=form(api_key))
    read_errors(response, None, 404)
    assert await ServiceRequest.count() == 0


@pytest.mark.parametrize(
    "method,path", [("POST", "services.json"), ("DELETE", "requests.xml"), ("PUT", "requests.json")]
)
async def test_a_method_a_resource_does_not_take_answers_with_an_errors_body(client, method, path):
    """Digest 2.9: errors of all methods are errors/error; 405 is HTTP's word for it (the spec
    lists 400 for anything else that cannot be fulfilled: either will do)."""
    response = await client.request(method, f"{BASE}/{path}")
    assert response.status_code in (400, 404, 405), response.status_code
    read_errors(response, path.rpartition(".")[2], response.status_code)
