"""Every operation is described in openapi/: each body a handler reads is its requestBody, and each
route that refuses a caller without credentials says so with a security requirement (and the other
way round). Unknown pages under /schema are problem documents like every other 404."""

from __future__ import annotations

import inspect
import json
import re

import pytest
from litestar.routes import HTTPRoute

from backend.app import create_app
from backend.cli import openapi_documents
from backend.identity.staff import StaffRole

DOCUMENTS = {name: json.loads(text) for name, text in openapi_documents().items()}
METHODS = ("get", "post", "put", "patch", "delete")
# How a handler (or the helper it calls) reads its body.
READS_BODY = re.compile(r"body\(|read_submit\(|read_post\(|_signed_form\(|\.form\(\)")


def _operations():
    for name, doc in DOCUMENTS.items():
        for path, item in doc["paths"].items():
            for method in METHODS:
                if method in item:
                    yield name, path, method, item[method]


def _operation(path: str, method: str) -> dict | None:
    for doc in DOCUMENTS.values():
        if path in doc["paths"]:
            return doc["paths"][path].get(method)
    return None


def test_every_handler_that_reads_a_body_documents_it():
    app = create_app(scheduler=False)
    checked = 0
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            source = inspect.getsource(handler.fn)
            reads = READS_BODY.search(source) is not None
            for method in handler.http_methods:
                operation = _operation(route.path_format, method.lower())
                assert operation is not None, (method, route.path_format)
                assert ("requestBody" in operation) == reads, (method, route.path_format)
                checked += reads
    assert checked >= 18  # the staff writes, the app's, Open311's POSTs, the two webhooks


def test_the_bodies_say_what_the_server_enforces():
    staff = DOCUMENTS["staff-api.json"]["paths"]
    login = staff["/api/staff/v1/auth/login"]["post"]["requestBody"]["content"]
    assert set(login["application/json"]["schema"]["required"]) == {"username", "password"}
    transition = staff["/api/staff/v1/requests/{tracking_number}/transitions"]["post"]
    to = transition["requestBody"]["content"]["application/json"]["schema"]["properties"]["to"]
    assert set(to["enum"]) >= {"open", "in_progress", "completed", "cancelled"}
    for path in ("/api/staff/v1/requests", "/api/staff/v1/requests/{tracking_number}/move"):
        schema = staff[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert [set(choice["required"]) for choice in schema["anyOf"]] == [
            {"address"},
            {"lat", "long"},
        ], path
    app = DOCUMENTS["app-api.json"]["paths"]
    submit = app["/api/v1/requests"]["post"]["requestBody"]["content"]["application/json"]
    assert len(submit["schema"]["anyOf"]) == 2
    push = app["/api/v1/push-subscriptions"]["post"]["requestBody"]["content"]
    assert set(push["application/json"]["schema"]["required"]) == {"endpoint", "keys"}
    preferences = app["/api/v1/me/preferences"]["put"]["requestBody"]["content"]
    digest = preferences["application/json"]["schema"]["properties"]["digest"]
    assert {"instant", "daily"} <= set(json.dumps(digest).replace('"', " ").split())

    open311 = DOCUMENTS["open311.json"]["paths"]["/open311/v2/requests.json"]
    form = open311["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert "service_code" in form["schema"]["required"]
    assert [c["required"] for c in form["schema"]["anyOf"]] == [
        ["lat", "long"],
        ["address_string"],
        ["address_id"],
    ]
    pages = {p["name"]: p["schema"] for p in open311["get"]["parameters"]}
    assert pages["page"]["oneOf"][0]["type"] == "integer"
    assert pages["page_size"]["oneOf"][0] == {"type": "integer", "minimum": 1, "maximum": 1000}

    sms = DOCUMENTS["sms-webhooks.json"]["paths"]
    inbound = sms["/sms/twilio/inbound"]["post"]["requestBody"]["content"]
    fields = inbound["application/x-www-form-urlencoded"]["schema"]
    assert {"MessageSid", "From"} <= set(fields["required"])
    assert {"Body", "NumMedia", "MediaUrl0", "To", "AccountSid"} <= set(fields["properties"])
    status = sms["/sms/twilio/status"]["post"]["requestBody"]["content"]
    assert "ErrorCode" in status["application/x-www-form-urlencoded"]["schema"]["properties"]


def test_security_schemes_are_declared_where_used():
    expected = {
        "app-api.json": {"deviceToken"},
        "staff-api.json": {"staffToken"},
        "open311.json": {"open311ApiKey"},
        "sms-webhooks.json": {"twilioSignature"},
        "open311-inquiry.json": set(),
    }
    for name, doc in DOCUMENTS.items():
        assert set(doc["components"].get("securitySchemes", {})) == expected[name], name
    schemes = DOCUMENTS["sms-webhooks.json"]["components"]["securitySchemes"]
    assert schemes["twilioSignature"] == {
        **schemes["twilioSignature"],
        "type": "apiKey",
        "in": "header",
        "name": "X-Twilio-Signature",
    }


def _fill(path: str) -> str:
    values = {
        "tracking_number": "SR26-00000001",
        "code": "PHF",
        "uid": "nothing",
        "name": "PHF.json",
        "subscription_id": "1",
        "department_id": "1",
        "work_order_id": "1",
        "slug": "bulk-item-pickup",
        "language": "en",
        "article_json": "bulk-item-pickup.json",
        "beat": "1424",
        "meeting_id": "1",
        "callback_id": "1",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def _anonymous_cases():
    for _name, path, method, operation in _operations():
        if path.endswith("/events"):
            continue  # a stream; 404 here, its device-free access is tests/notify/test_live.py's
        yield pytest.param(path, method, operation, id=f"{method.upper()} {path}")


@pytest.mark.parametrize(("path", "method", "operation"), list(_anonymous_cases()))
async def test_security_is_declared_exactly_where_it_is_enforced(client, path, method, operation):
    """Without any credentials: a route that refuses (401, or 403 for a key or a signature)
    declares a security requirement that cannot be skipped; one that does not, declares none or
    an optional one (`{}` among its choices)."""
    media = next(iter(operation.get("requestBody", {}).get("content", {})), "application/json")
    body = b"" if "form" in media else b"{}"
    response = await client.request(
        method.upper(), _fill(path), content=body, headers={"Content-Type": media}
    )
    security = operation.get("security") or []
    required = bool(security) and {} not in security
    refused = response.status_code == 401 or (
        response.status_code == 403 and path.startswith(("/open311", "/sms"))
    )
    assert refused == required, (response.status_code, response.text[:200], security)


def test_every_staff_login_route_is_secured_and_names_its_roles():
    staff = DOCUMENTS["staff-api.json"]["paths"]
    secured = [
        (path, method)
        for path, item in staff.items()
        for method, operation in item.items()
        if method in METHODS and operation.get("security")
    ]
    public = {p for p, item in staff.items() if any("security" not in o for o in item.values())}
    assert public == {
        "/api/staff/v1/auth/login",
        "/api/staff/v1/auth/refresh",
        "/api/staff/v1/auth/logout",
    }
    for path, method in secured:
        description = staff[path][method]["description"]
        assert description.startswith("Roles: ") or "\n\nRoles: " in description, path
        assert StaffRole.ADMIN.value in description, path


@pytest.mark.parametrize(
    "path", ["/schema/nonexistent", "/schema/redoc", "/schema/a/b", "/schema/openapi.yaml"]
)
async def test_unknown_schema_pages_are_problem_documents(client, path):
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:city311:problem:not-found"
    assert response.json()["instance"] == path


async def test_the_served_document_has_the_bodies_and_schemes(client):
    served = (await client.get("/schema/openapi.json")).json()
    assert set(served["components"]["securitySchemes"]) == {
        "deviceToken",
        "staffToken",
        "open311ApiKey",
        "twilioSignature",
    }
    for _name, path, method, operation in _operations():
        if "requestBody" in operation:
            assert served["paths"][path][method]["requestBody"] == operation["requestBody"]


def _filled(path: str) -> str:
    return re.sub(r"\{[^}:]+:int\}", "1", re.sub(r"\{[^}:]+(:(str|path))?\}", "x", path))


async def test_options_lists_every_method_of_a_path(client):
    # Litestar answers OPTIONS from the first handler of a path: a path with a GET and a POST
    # in two handlers answered `Allow: OPTIONS, POST` until it declared its own (allow.py).
    app = create_app(scheduler=False)
    methods: dict[str, set[str]] = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                if handler.resolve_include_in_schema():
                    methods.setdefault(route.path, set()).update(handler.http_methods)
    several = {path: found for path, found in methods.items() if len(found - {"HEAD"}) > 1}
    assert "/api/staff/v1/police/reports" in several
    for path, found in several.items():
        response = await client.options(_filled(path))
        allowed = {m.strip() for m in response.headers.get("allow", "").split(",")}
        assert found - {"HEAD"} <= allowed, (path, response.status_code, allowed)
