"""OpenAPI for the one hand-parsed body (POST /requests takes JSON or multipart with photos)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi.spec import (
    Encoding,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from .schemas import DeviceIn, SubmitIn

_SCHEMA_KEYS = {"items", "additionalProperties"}


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(defs[node["$ref"].rsplit("/", 1)[1]], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _to_schema(node: dict[str, Any]) -> Schema:
    """A JSON Schema dict (as msgspec writes it) as Litestar's Schema object."""
    kwargs: dict[str, Any] = {}
    for key, value in node.items():
        name = re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()
        if key == "type":
            value = (
                [OpenAPIType(v) for v in value] if isinstance(value, list) else OpenAPIType(value)
            )
        elif key == "properties":
            value = {k: _to_schema(v) for k, v in value.items()}
        elif key in ("anyOf", "oneOf", "allOf"):
            value = [_to_schema(v) for v in value]
        elif key in _SCHEMA_KEYS and isinstance(value, dict):
            value = _to_schema(value)
        kwargs[name] = value
    return Schema(**kwargs)


def struct_schema(struct: type) -> Schema:
    raw = msgspec.json.schema(struct)
    return _to_schema(_inline(raw, raw.get("$defs", {})))


SUBMIT_JSON = struct_schema(SubmitIn)
SUBMIT_MULTIPART = Schema(
    type=OpenAPIType.OBJECT,
    additional_properties=False,
    required=["request"],
    properties={
        "request": SUBMIT_JSON,
        "photo": Schema(
            type=OpenAPIType.ARRAY,
            max_items=5,
            description="Up to 5 photos (JPEG, PNG, WebP or HEIC by content, 10 MB each). "
            "Without lat/long, the first photo's EXIF GPS locates the problem.",
            items=Schema(type=OpenAPIType.STRING, format="binary", content_media_type="image/*"),
        ),
    },
)


LOCATION = OpenAPIHeader(
    description="The request's URL",
    required=True,
    schema=Schema(type=OpenAPIType.STRING, format="uri"),
)
REPLAYED = OpenAPIHeader(
    description="Always `true`: this is the first submit with this Idempotency-Key, returned again",
    required=True,
    schema=Schema(type=OpenAPIType.STRING, const="true"),
)


@dataclass
class SubmitOperation(Operation):
    def __post_init__(self) -> None:
        created = self.responses["201"]
        assert isinstance(created, OpenAPIResponse)
        created.description = "Created: the new request, with its tracking number"
        created.headers = {"Location": LOCATION}
        self.responses["200"] = OpenAPIResponse(
            description="A retry with an Idempotency-Key already used for the same request: "
            "the first request, unchanged",
            content=created.content,
            headers={"Location": LOCATION, "Idempotent-Replayed": REPLAYED},
        )
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": OpenAPIMediaType(schema=SUBMIT_JSON),
                "multipart/form-data": OpenAPIMediaType(
                    schema=SUBMIT_MULTIPART,
                    encoding={"request": Encoding(content_type="application/json")},
                ),
            },
        )


@dataclass
class DeviceRegistrationOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=False,
            content={"application/json": OpenAPIMediaType(schema=struct_schema(DeviceIn))},
        )
