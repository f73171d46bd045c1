"""OpenAPI for the app API's bodies: POST /requests takes JSON or multipart with photos."""

from __future__ import annotations

from dataclasses import dataclass

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

from backend.channels.openapi_bodies import json_body, located, struct_schema
from backend.storage.photo_limits import MAX_PHOTO_MB, MAX_PHOTOS

from .schemas import DeviceIn, SubmitIn

SUBMIT_JSON = located(
    struct_schema(SubmitIn), "As JSON: an address, or lat and long (a photo's GPS needs multipart)."
)
# In a multipart submit, the first photo's EXIF GPS may give the place instead.
SUBMIT_PART = struct_schema(SubmitIn)
SUBMIT_MULTIPART = Schema(
    type=OpenAPIType.OBJECT,
    additional_properties=False,
    required=["request"],
    properties={
        "request": SUBMIT_PART,
        "photo": Schema(
            type=OpenAPIType.ARRAY,
            max_items=MAX_PHOTOS,
            description=f"Up to {MAX_PHOTOS} photos (JPEG, PNG, WebP or HEIC by content, "
            f"{MAX_PHOTO_MB} MB each). "
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


DeviceRegistrationOperation = json_body(DeviceIn, required=False)
