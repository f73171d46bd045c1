"""OpenAPI for Open311's POST Service Request: the form fields the spec names (urlencoded, or
multipart with a `media` photo), the location rule, and the api_key's security scheme."""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import OpenAPIMediaType

from backend.channels.openapi_bodies import body_operation, to_schema
from backend.limits import MAX_ADDRESS, MAX_DESCRIPTION, MAX_URL
from backend.storage.photo_limits import MAX_PHOTO_MB

from .mapping import JURISDICTION, JURISDICTION_PATTERN

_STRING: dict[str, Any] = {"type": "string"}
FORM: dict[str, Any] = {
    "type": "object",
    "required": ["service_code"],
    "properties": {
        "api_key": {
            **_STRING,
            "description": "Issued by the city (`city311 keys create`); required, here or in "
            "the query string (security scheme open311ApiKey)",
        },
        "jurisdiction_id": {
            **_STRING,
            "pattern": JURISDICTION_PATTERN,
            "description": f"{JURISDICTION} (any case) or empty: this server's only "
            "jurisdiction; another is a 404",
        },
        "service_code": {**_STRING, "description": "From services.xml / services.json"},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": {**_STRING, "maxLength": MAX_ADDRESS},
        "address_id": {**_STRING, "maxLength": MAX_ADDRESS},
        "description": {**_STRING, "maxLength": MAX_DESCRIPTION},
        "media_url": {**_STRING, "maxLength": MAX_URL},
        "email": _STRING,
        "phone": _STRING,
        "first_name": _STRING,
        "last_name": _STRING,
        "device_id": _STRING,
        "account_id": _STRING,
    },
    # The spec: a location is required, as lat and long, address_string or address_id.
    "anyOf": [
        {"required": ["lat", "long"]},
        {"required": ["address_string"], "properties": {"address_string": {"minLength": 1}}},
        {"required": ["address_id"], "properties": {"address_id": {"minLength": 1}}},
    ],
    "description": "A location is required: lat and long, address_string or address_id. Answers "
    "to the type's questions go as attribute[CODE]=value, and attribute[CODE][]=value for each "
    "value of a multivaluelist.",
}
MULTIPART: dict[str, Any] = {
    **FORM,
    "properties": {
        **FORM["properties"],
        "media": {
            "type": "string",
            "format": "binary",
            "description": f"A photo (JPEG, PNG, WebP or HEIC, {MAX_PHOTO_MB} MB at most)",
        },
    },
}

PostOperation = body_operation(
    "Open311PostOperation",
    {
        "application/x-www-form-urlencoded": OpenAPIMediaType(schema=to_schema(FORM)),
        "multipart/form-data": OpenAPIMediaType(schema=to_schema(MULTIPART)),
    },
)
