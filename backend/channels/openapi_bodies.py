"""OpenAPI request bodies and security schemes for handlers that read their own body.

Our handlers decode their bodies themselves (`decode_json`, Open311's form, Twilio's form) so that
a body that cannot be read is a 400 and one that breaks a rule a 422, in our problem format; so
Litestar cannot see those bodies. A route says what it reads with
`operation_class=json_body(SomeIn)` (a form: `body_operation(name, content)`), and the document
shows the same msgspec Struct the handler decodes, with every constraint msgspec enforces.

SECURITY_SCHEMES are the ways a client proves who it is; a route names the one it needs with
Litestar's `security=` (`DEVICE`, `STAFF`, `OPEN311_KEY`, `TWILIO`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi.spec import (
    Components,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
    SecurityScheme,
)

_SCHEMA_KEYS = {"items", "additionalProperties", "propertyNames", "not"}


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(defs[node["$ref"].rsplit("/", 1)[1]], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def to_schema(node: dict[str, Any]) -> Schema:
    """A JSON Schema dict (as msgspec writes it) as Litestar's Schema object."""
    kwargs: dict[str, Any] = {}
    for key, value in node.items():
        name = re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()
        if key == "type":
            value = (
                [OpenAPIType(v) for v in value] if isinstance(value, list) else OpenAPIType(value)
            )
        elif key in ("properties", "patternProperties"):
            value = {k: to_schema(v) for k, v in value.items()}
        elif key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            value = [to_schema(v) for v in value]
        elif key in _SCHEMA_KEYS and isinstance(value, dict):
            value = to_schema(value)
        kwargs[name] = value
    return Schema(**kwargs)


def struct_schema(struct: type) -> Schema:
    raw = msgspec.json.schema(struct)
    return to_schema(_inline(raw, raw.get("$defs", {})))


# "address or lat+long": a place is given by one or the other (a photo's GPS aside, which only a
# multipart submit can carry). An address must be a string; lat and long come together.
ADDRESS_OR_POINT = [
    Schema(
        required=["address"],
        properties={"address": Schema(type=OpenAPIType.STRING, min_length=1)},
    ),
    Schema(
        required=["lat", "long"],
        properties={
            "lat": Schema(type=OpenAPIType.NUMBER),
            "long": Schema(type=OpenAPIType.NUMBER),
        },
    ),
]


def located(schema: Schema, where: str = "") -> Schema:
    """`schema`, which must also name a place: an address, or lat and long."""
    schema.any_of = ADDRESS_OR_POINT
    schema.description = " ".join(
        filter(None, [schema.description, where or "Give an address, or lat and long."])
    )
    return schema


def body_operation(
    name: str, content: dict[str, OpenAPIMediaType], required: bool = True
) -> type[Operation]:
    """An Operation class (for a route's `operation_class=`) whose requestBody is `content`."""

    def __post_init__(self: Operation) -> None:
        self.request_body = RequestBody(required=required, content=content)

    return dataclass(type(name, (Operation,), {"__post_init__": __post_init__}))


def json_body(
    struct: type | Schema, required: bool = True, *, at: str | None = None
) -> type[Operation]:
    """The Operation class of a route that decodes `struct` from an application/json body."""
    schema = struct if isinstance(struct, Schema) else struct_schema(struct)
    name = at or getattr(struct, "__name__", "Body")
    return body_operation(
        f"{name}Operation", {"application/json": OpenAPIMediaType(schema=schema)}, required
    )


# Security schemes, by the names the routes use.
DEVICE_SCHEME = "deviceToken"
STAFF_SCHEME = "staffToken"
OPEN311_SCHEME = "open311ApiKey"
TWILIO_SCHEME = "twilioSignature"

SECURITY_SCHEMES = {
    DEVICE_SCHEME: SecurityScheme(
        type="http",
        scheme="bearer",
        description="An anonymous device token: POST /api/v1/devices answers one (no account). "
        "`Authorization: Bearer <token>`. A missing, malformed, expired or revoked token is a 401.",
    ),
    STAFF_SCHEME: SecurityScheme(
        type="http",
        scheme="bearer",
        description="A staff access token: POST /api/staff/v1/auth/login answers one (and a "
        "refresh token for POST /api/staff/v1/auth/refresh). `Authorization: Bearer <token>`. "
        "No token or a bad one is a 401; a role the route does not let in is a 403. (The /admin "
        "back office keeps the same token in an httpOnly cookie; this API reads the header only.)",
    ),
    OPEN311_SCHEME: SecurityScheme(
        type="apiKey",
        name="api_key",
        security_scheme_in="query",
        description="An Open311 api_key issued by the city (`city311 keys create --name N`). The "
        "spec puts it in the POST body as the `api_key` form field; published clients also send "
        "it in the query string, which is accepted too (the body's wins). A missing or wrong key "
        "is a 403.",
    ),
    TWILIO_SCHEME: SecurityScheme(
        type="apiKey",
        name="X-Twilio-Signature",
        security_scheme_in="header",
        description="Twilio's signature of the request: base64 HMAC-SHA1, keyed with the "
        "account's auth token (TWILIO_AUTH_TOKEN), of the URL Twilio was given "
        "(CITY311_PUBLIC_BASE_URL + path + query) followed by every form field's name and value, "
        "names sorted (twilio's RequestValidator). A missing or wrong signature is a 403 and "
        "changes nothing.",
    ),
}
COMPONENTS = Components(security_schemes=dict(SECURITY_SCHEMES))

DEVICE: list[dict[str, list[str]]] = [{DEVICE_SCHEME: []}]
DEVICE_OPTIONAL: list[dict[str, list[str]]] = [{}, {DEVICE_SCHEME: []}]
STAFF: list[dict[str, list[str]]] = [{STAFF_SCHEME: []}]
OPEN311_KEY: list[dict[str, list[str]]] = [{OPEN311_SCHEME: []}]
TWILIO: list[dict[str, list[str]]] = [{TWILIO_SCHEME: []}]
