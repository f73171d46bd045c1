"""The OpenAPI document tells the truth about errors and headers, and /schema works offline."""

from __future__ import annotations

import json
import re

from backend.cli import openapi_documents

DOC = json.loads(openapi_documents()["app-api.json"])


def _operations():
    for path, item in DOC["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_error_response_is_a_problem_document():
    for path, method, operation in _operations():
        codes = set(operation["responses"])
        assert "500" in codes, (method, path)
        for code, response in operation["responses"].items():
            if code >= "400":
                assert list(response["content"]) == ["application/problem+json"], (path, code)
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}, (path, code)


def test_operations_list_the_statuses_they_answer_with():
    expected = {
        ("post", "/api/v1/requests"): {
            "200",
            "201",
            "400",
            "401",
            "409",
            "413",
            "415",
            "422",
            "429",
            "500",
        },
        ("post", "/api/v1/devices"): {"201", "400", "413", "415", "422", "429", "500"},
        ("get", "/api/v1/requests/{tracking_number}"): {"200", "404", "500"},
        ("get", "/api/v1/requests"): {"200", "422", "500"},
        ("get", "/api/v1/me/following"): {"200", "401", "422", "500"},
        ("delete", "/api/v1/requests/{tracking_number}/follow"): {
            "200",
            "401",
            "404",
            "429",
            "500",
        },
    }
    for (method, path), codes in expected.items():
        assert set(DOC["paths"][path][method]["responses"]) == codes, (method, path)


def test_headers_and_formats_as_sent():
    submit = DOC["paths"]["/api/v1/requests"]["post"]["responses"]
    assert "Location" in submit["201"]["headers"]
    assert {"Location", "Idempotent-Replayed"} <= set(submit["200"]["headers"])
    for code in ("429",):
        assert "Retry-After" in submit[code]["headers"]
    photo = DOC["paths"]["/api/v1/photos/{uid}"]["get"]["responses"]["200"]["content"]
    assert photo["image/jpeg"]["schema"]["contentMediaType"] == "image/jpeg"
    body = DOC["paths"]["/api/v1/requests"]["post"]["requestBody"]["content"]
    properties = body["application/json"]["schema"]["properties"]
    name = json.dumps(properties["name"])
    assert '"maxLength": 120' in name and "x00-\\\\x1f" in name, name
    assert '"format": "email"' in json.dumps(properties["email"])
    assert '"maxLength": 4000' in json.dumps(properties["description"])


async def test_the_schema_page_needs_no_network(client):
    page = await client.get("/schema")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    sources += re.findall(r"(?:src|href)='([^']+)'", page.text)
    assert sources, page.text[:500]
    for source in sources:
        assert source.startswith("/schema/"), source
        asset = await client.get(source)
        assert asset.status_code == 200, source
    assert (await client.get("/schema/openapi.json")).status_code == 200
