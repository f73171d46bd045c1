"""Checks an Open311 GeoReport v2 response against the spec's schemas in schemas/ (XSD for XML,
JSON Schema for JSON), and reads either format into the same Python shape.

    data = read_document(response, "xml", "services")             # a list of dicts
    data = read_document(response, "json", "service_requests", request="postResult")
    errors = read_errors(response, "json", 404)                   # [{"code": 404, ...}]

`read_document` checks what every response owes the spec before its schema: the Content-Type
(`text/xml; charset=utf-8`, `application/json` with an optional utf-8 charset), and for XML the
UTF-8 declaration first (digest 2.1, checklist 2.11.3). XML is read by the spec's JSON mapping
("Spark convention", digest 2.1): the root wrapper dropped, a container of repeated elements a
list, every leaf its text ("" when empty, where JSON has null).

The schemas for service_requests hold three documents under one root (GET, POST, token): the
`request` argument narrows `request` (XML) or the array's items (JSON) to one of them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
XS = "{http://www.w3.org/2001/XMLSchema}"

# The JSON Schema's $defs name and the XSD's complexType name of each service_requests document.
REQUEST_TYPES = {"request": "Request", "postResult": "PostResult", "tokenResult": "TokenResult"}

# Spark convention: container -> the name of each of its children (digest 2.1).
CONTAINERS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
    "groups": "group",
}

XML_DECLARATION = re.compile(rb'<\?xml version="1\.0" encoding="(?i:utf-8)"\?>')
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class SchemaError(AssertionError):
    pass


# -- XML -----------------------------------------------------------------------------------------


@cache
def xml_schema(name: str, request: str | None = None) -> etree.XMLSchema:
    """schemas/{name}.xsd; with `request` (service_requests only), `request` elements must be of
    that document's type instead of any of the three."""
    tree = etree.parse(str(SCHEMAS / f"{name}.xsd"), _PARSER)
    if request is not None:
        (declaration,) = tree.getroot().iterfind(f".//{XS}element[@name='request']")
        declaration.set("type", REQUEST_TYPES[request])
    return etree.XMLSchema(tree)


def validate_xml(body: bytes, name: str, request: str | None = None) -> etree._Element:
    """The parsed root of `body` if it is valid against schemas/{name}.xsd, else SchemaError."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SchemaError(f"not well-formed XML: {exc}\n{body[:500]!r}") from None
    schema = xml_schema(name, request)
    if not schema.validate(root):
        problems = "\n".join(f"  line {e.line}: {e.message}" for e in schema.error_log)
        raise SchemaError(f"invalid against {name}.xsd ({request or 'any'}):\n{problems}")
    return root


def xml_to_data(element: etree._Element) -> Any:
    """The element as the spec's JSON mapping would have it (see the module docstring)."""
    children = list(element)
    child = CONTAINERS.get(element.tag)
    if child is not None and all(c.tag == child for c in children):
        return [xml_to_data(c) for c in children]
    if not children:
        return element.text or ""
    return {c.tag: xml_to_data(c) for c in children}


# -- JSON ----------------------------------------------------------------------------------------


@cache
def _json_schema_document(name: str) -> str:
    return (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")


@cache
def json_validator(name: str, request: str | None = None):
    schema = json.loads(_json_schema_document(name))
    if request is not None:
        schema["items"] = {"$ref": f"#/$defs/{request}"}
    return jsonschema_rs.validator_for(schema)


def validate_json(data: Any, name: str, request: str | None = None) -> Any:
    validator = json_validator(name, request)
    problems = [f"  {list(e.instance_path)}: {e.message}" for e in validator.iter_errors(data)]
    if problems:
        shown = json.dumps(data, ensure_ascii=False)[:1000]
        raise SchemaError(
            f"invalid against {name}.schema.json ({request or 'any'}):\n"
            + "\n".join(problems)
            + f"\n{shown}"
        )
    return data


# -- responses -----------------------------------------------------------------------------------


def _media_type(response) -> tuple[str, dict[str, str]]:
    value = response.headers.get("content-type", "")
    kind, *params = [part.strip() for part in value.split(";")]
    parameters = {}
    for p in params:
        key, _, val = p.partition("=")
        parameters[key.strip().lower()] = val.strip().strip('"').lower()
    return kind.lower(), parameters


def check_content_type(response, fmt: str) -> None:
    kind, params = _media_type(response)
    if fmt == "xml":
        assert kind == "text/xml", f"XML served as {response.headers.get('content-type')!r}"
        assert params.get("charset") == "utf-8", (
            f"XML without charset=utf-8: {response.headers.get('content-type')!r}"
        )
    else:
        assert kind == "application/json", (
            f"JSON served as {response.headers.get('content-type')!r}"
        )
        assert params.get("charset", "utf-8") == "utf-8", response.headers.get("content-type")


def parse_body(response, fmt: str, name: str, request: str | None = None) -> Any:
    """Content-Type, declaration and schema checked; the body in the JSON mapping's shape."""
    check_content_type(response, fmt)
    if fmt == "xml":
        body = response.content
        assert XML_DECLARATION.match(body), (
            f"XML must start with the utf-8 declaration: {body[:80]!r}"
        )
        root = validate_xml(body, name, request)
        return xml_to_data(root)
    try:
        data = json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SchemaError(f"not UTF-8 JSON: {exc}: {response.content[:300]!r}") from None
    return validate_json(data, name, request)


def read_document(
    response, fmt: str, name: str, request: str | None = None, status: int = 200
) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: HTTP {response.status_code}, "
        f"expected {status}: {response.text[:600]}"
    )
    return parse_body(response, fmt, name, request)


def read_errors(response, fmt: str | None, status: int) -> list[dict]:
    """The spec's errors document with HTTP `status`, each error's code that status (digest 2.9).
    `fmt` None: whichever format the Content-Type says (an unknown suffix has none to ask)."""
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: HTTP {response.status_code}, "
        f"expected {status}: {response.text[:600]}"
    )
    if fmt is None:
        kind, _ = _media_type(response)
        fmt = "json" if kind == "application/json" else "xml"
    errors = parse_body(response, fmt, "errors")
    for error in errors:
        assert int(error["code"]) == status, f"error code {error['code']} under HTTP {status}"
        assert error["description"].strip()
    return errors
