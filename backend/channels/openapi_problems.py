"""The OpenAPI side of problem details: each operation lists the statuses it can answer with, as
`application/problem+json`, so a client generated from the document handles every error.

Handlers declare their statuses with `responses=problem_responses(404, 422)`. After Litestar
builds the document, `finish_document` drops the default `400` it adds to any operation with
parameters (in its own shape, which we never send), adds the `500` every operation can answer and
the `Retry-After` header to each `429`.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    Reference,
    Schema,
)
from litestar.openapi.spec.enums import OpenAPIType

from backend.channels.problems import PREFIX, PROBLEM_JSON, PROBLEM_TYPES


class ProblemFieldError(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct, kw_only=True):
    """An RFC 9457 problem document; `type` is one of the URIs in docs/problems.md."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemFieldError] | None = None
    requestId: str | None = None  # noqa: N815 (the wire name; only on 500)


def _description(status: int) -> str:
    kinds = [
        f"`{PREFIX}{slug}`: {kind.meaning}"
        for slug, kind in PROBLEM_TYPES.items()
        if kind.status == status
    ]
    return " ".join(kinds) or "A problem document."


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=_description(status),
            generate_examples=False,
        )
        for status in statuses
    }


RETRY_AFTER = OpenAPIHeader(
    description="Seconds to wait before trying again",
    required=True,
    schema=Schema(type=OpenAPIType.INTEGER),
)


def finish_document(document: OpenAPI) -> OpenAPI:
    schema = Reference(ref="#/components/schemas/Problem")  # the Problem Struct above
    for path_item in (document.paths or {}).values():
        for method in ("get", "post", "put", "patch", "delete"):
            operation = getattr(path_item, method, None)
            if operation is None or operation.responses is None:
                continue
            responses: dict[str, Any] = operation.responses
            for code in list(responses):
                content = getattr(responses[code], "content", None) or {}
                if code.startswith(("4", "5")) and PROBLEM_JSON not in content:
                    del responses[code]
                    continue
                for media_type, media in content.items():
                    # Litestar calls every file "application/octet-stream"; say what we send.
                    if media_type.startswith("image/") and isinstance(media.schema, Schema):
                        media.schema.content_media_type = media_type
            responses["500"] = OpenAPIResponse(
                description=_description(500),
                content={PROBLEM_JSON: OpenAPIMediaType(schema=schema)},
            )
            for response in responses.values():
                # Litestar calls Last-Modified a date-time; it is an HTTP-date (RFC 9110).
                for name, header in (getattr(response, "headers", None) or {}).items():
                    if name.lower() == "last-modified" and isinstance(header.schema, Schema):
                        header.schema = Schema(
                            type=OpenAPIType.STRING, examples=["Sun, 29 Nov 2026 01:58:26 GMT"]
                        )
            if "429" in responses:
                responses["429"].headers = {"Retry-After": RETRY_AFTER}
    return document
