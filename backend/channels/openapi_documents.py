"""The app's one OpenAPI document split into one per audience: the resident app API, the staff
console API and Open311 — each with only its paths and the components they reference.

Open311's handlers answer with bytes in the format of their suffix and read a form themselves, so
its document gets its response and request-body schemas here, in the spec's terms.
"""

from __future__ import annotations

import copy
import json
from typing import Any

DOCUMENTS = {
    "app-api.json": ("City311 resident app API", ("/api/v1",)),
    "staff-api.json": ("City311 staff console API", ("/api/staff/v1",)),
    "open311.json": ("City311 Open311 GeoReport v2", ("/open311",)),
}
DESCRIPTIONS = {
    "staff-api.json": "Operator intake, department queues, work orders, status changes, duplicates "
    "and the audit trail, for City of Chicago 311 staff. Every route needs a staff access token "
    "(POST /api/staff/v1/auth/login) and a role. Errors are RFC 9457 problem details.",
    "open311.json": "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) for the City of "
    "Chicago: every resource as .xml (the spec's default) or .json. Errors are the spec's "
    "`errors` list, with 400, 403 (api_key) or 404.",
}

_STRING = {"type": "string"}
_NULLABLE_STRING = {"oneOf": [{"type": "string"}, {"type": "null"}]}
OPEN311_ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": _STRING},
    },
}
OPEN311_FORM = {
    "type": "object",
    "required": ["api_key", "service_code"],
    "properties": {
        "api_key": {**_STRING, "description": "issued by the city (`city311 keys create`)"},
        "jurisdiction_id": {**_STRING, "description": "cityofchicago.org, when given"},
        "service_code": {**_STRING, "description": "from services.xml / services.json"},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": {**_STRING, "maxLength": 300},
        "address_id": {**_STRING, "maxLength": 300},
        "description": {**_STRING, "maxLength": 4000},
        "media_url": {**_STRING, "maxLength": 2000},
        "email": _STRING,
        "phone": _STRING,
        "first_name": _STRING,
        "last_name": _STRING,
        "device_id": _STRING,
        "account_id": _STRING,
    },
    "description": "Answers to the type's questions go as attribute[CODE]=value, and "
    "attribute[CODE][]=value for each value of a multivaluelist.",
}


def _refs(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for inner in value.values():
            _refs(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _refs(inner, found)


def _subset(full: dict, title: str, prefixes: tuple[str, ...]) -> dict:
    doc = copy.deepcopy(full)
    doc["info"]["title"] = title
    doc["paths"] = {p: v for p, v in full["paths"].items() if p.startswith(prefixes)}
    schemas = full.get("components", {}).get("schemas", {})
    wanted: set[str] = set()
    _refs(doc["paths"], wanted)
    while True:  # components referring to components
        more = set(wanted)
        for name in wanted:
            _refs(schemas.get(name), more)
        if more == wanted:
            break
        wanted = more
    doc.setdefault("components", {})["schemas"] = {
        n: copy.deepcopy(s) for n, s in sorted(schemas.items()) if n in wanted
    }
    return doc


def _open311(doc: dict) -> None:
    for path, item in doc["paths"].items():
        fmt = "json" if path.endswith(".json") else "xml" if path.endswith(".xml") else None
        for method, operation in item.items():
            if method == "get" and "/requests." in path:
                operation["summary"] = "Requests, oldest first (GET Service Requests)"
            ok = operation.get("responses", {}).get("200")
            if ok is not None:
                ok["content"] = (
                    {
                        "application/json": {
                            "schema": {"oneOf": [{"type": "array"}, {"type": "object"}]}
                        }
                    }
                    if fmt == "json"
                    else {"text/xml": {"schema": _STRING}}
                    if fmt == "xml"
                    else {"application/json": {"schema": {}}, "text/xml": {"schema": _STRING}}
                )
            for status in ("400", "403", "404"):
                if status == "403" and method != "post":
                    continue
                operation.setdefault("responses", {})[status] = {
                    "description": "the spec's errors list",
                    "content": {"application/json": {"schema": OPEN311_ERRORS}}
                    if fmt == "json"
                    else {"text/xml": {"schema": _STRING}},
                }
            if method == "post":
                # GET and POST requests.* share a handler: the POST is documented on its own
                operation["summary"] = "Report a problem (POST Service Request): needs an api_key"
                operation["operationId"] = operation.get("operationId", "") + "Post"
                operation["parameters"] = [
                    p for p in operation.get("parameters", []) if p.get("name") == "jurisdiction_id"
                ]
                operation["requestBody"] = {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {"schema": OPEN311_FORM},
                        "multipart/form-data": {
                            "schema": {
                                **OPEN311_FORM,
                                "properties": {
                                    **OPEN311_FORM["properties"],
                                    "media": {"type": "string", "format": "binary"},
                                },
                            }
                        },
                    },
                }


def split(full: dict) -> dict[str, str]:
    """File name -> the document's text, as committed in openapi/."""
    out = {}
    for name, (title, prefixes) in DOCUMENTS.items():
        doc = _subset(full, title, prefixes)
        if name in DESCRIPTIONS:
            doc["info"]["description"] = DESCRIPTIONS[name]
        if name == "open311.json":
            _open311(doc)
        out[name] = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    return out
