"""The app's one OpenAPI document split into one per audience: the resident app API, the staff
console API, Open311 and Twilio's SMS webhooks — each with only its paths and the components
(schemas, security schemes) they reference.

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
    "sms-webhooks.json": ("City311 SMS webhooks (Twilio)", ("/sms/",)),
    "open311-inquiry.json": ("City311 Open311 Inquiry (information articles)", ("/inquiry/",)),
}
DESCRIPTIONS = {
    "open311-inquiry.json": "Open311 Inquiry-style reads of the City of Chicago information "
    "database: articles about city programs and services (what an operator tells a caller), "
    "searchable by question in English, Spanish, Polish or Chinese. JSON only; read-only. "
    "Errors are RFC 9457 problem details.",
    "staff-api.json": "Operator intake, department queues, work orders, status changes, duplicates "
    "and the audit trail, for City of Chicago 311 staff. Every route needs a staff access token "
    "(POST /api/staff/v1/auth/login) and a role. Errors are RFC 9457 problem details.",
    "open311.json": "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) for the City of "
    "Chicago: every resource as .xml (the spec's default) or .json. Errors are the spec's "
    "`errors` list, with 400, 403 (api_key) or 404.",
    "sms-webhooks.json": "The two URLs a Twilio phone number or messaging service is given: "
    "incoming texts (answered with TwiML) and delivery receipts. Twilio posts a form and signs it "
    "(X-Twilio-Signature); an unsigned or wrongly signed request is a 403 and changes nothing. "
    "Errors are RFC 9457 problem details.",
}

_STRING = {"type": "string"}
OPEN311_ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": _STRING},
    },
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


def _subset(full: dict[str, Any], title: str, prefixes: tuple[str, ...]) -> dict[str, Any]:
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
    components = doc.setdefault("components", {})
    components["schemas"] = {n: copy.deepcopy(s) for n, s in sorted(schemas.items()) if n in wanted}
    return doc


def _keep_security_schemes(doc: dict[str, Any]) -> None:
    """Only the security schemes the document's operations name."""
    used = {
        name
        for item in doc["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for requirement in operation.get("security") or ()
        for name in requirement
    }
    components = doc.setdefault("components", {})
    schemes = components.pop("securitySchemes", {})
    if used:
        components["securitySchemes"] = {n: schemes[n] for n in sorted(used)}


def _open311(doc: dict[str, Any]) -> None:
    for path, item in doc["paths"].items():
        fmt = "json" if path.endswith(".json") else "xml" if path.endswith(".xml") else None
        for method, operation in item.items():
            ok = operation.get("responses", {}).get("200")
            if ok is not None:
                content: dict[str, Any] = (
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
                ok["content"] = content
            for status in ("400", "403", "404", "429"):
                if status in ("403", "429") and method != "post":  # api_key, rate limit
                    continue
                # A `{name}` path's format is its name's suffix: either, as asked.
                json_errors: dict[str, Any] = {"application/json": {"schema": OPEN311_ERRORS}}
                xml_errors: dict[str, Any] = {"text/xml": {"schema": _STRING}}
                operation.setdefault("responses", {})[status] = {
                    "description": "the spec's errors list",
                    "content": json_errors
                    if fmt == "json"
                    else xml_errors
                    if fmt == "xml"
                    else {**json_errors, **xml_errors},
                }


def split(full: dict[str, Any]) -> dict[str, str]:
    """File name -> the document's text, as committed in openapi/."""
    out = {}
    for name, (title, prefixes) in DOCUMENTS.items():
        doc = _subset(full, title, prefixes)
        if name in DESCRIPTIONS:
            doc["info"]["description"] = DESCRIPTIONS[name]
        if name == "open311.json":
            _open311(doc)
        _keep_security_schemes(doc)
        out[name] = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    return out
