"""Reads POST /requests bodies (JSON, or multipart with a JSON part and photo files) into Structs."""

from __future__ import annotations

import re

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile

from backend.errors import DomainError, FieldError, PayloadTooLarge, UnsupportedMedia
from backend.service_requests.service import MAX_PHOTOS
from backend.storage.images import MAX_PHOTO_BYTES

from .schemas import SubmitIn

PHOTO_FIELDS = ("photo", "photos", "photos[]")


class MalformedBody(DomainError):
    status = 400
    title = "Malformed request"


def decode_submit(raw: bytes | str) -> SubmitIn:
    try:
        return msgspec.json.decode(raw, type=SubmitIn)
    except msgspec.ValidationError as exc:
        field, message = _split_msgspec_error(str(exc))
        raise MalformedBody(message, [FieldError(field, message)]) from None
    except msgspec.DecodeError as exc:
        raise MalformedBody.for_field("body", f"not valid JSON: {exc}") from None


_NAMED_FIELD = re.compile(r"(?:unknown|missing required) field `([^`]+)`")


def _split_msgspec_error(text: str) -> tuple[str, str]:
    """'Expected `float`, got `str` - at `$.lat`' -> ('lat', 'Expected `float`, got `str`')."""
    message, sep, where = text.rpartition(" - at `")
    if not sep:
        message, where = text, "$`"
    path = where.rstrip("`").removeprefix("$").lstrip(".")
    if named := _NAMED_FIELD.search(message):
        path = ".".join(filter(None, [path, named.group(1)]))
    return path or "body", message


async def read_submit(request: Request) -> tuple[SubmitIn, list[bytes]]:
    media_type, _ = request.content_type
    if media_type == "application/json":
        return decode_submit(await request.body()), []
    if media_type != "multipart/form-data":
        raise UnsupportedMedia.for_field(
            "Content-Type", "send application/json, or multipart/form-data with a 'request' "
            "part holding the JSON and up to 5 'photo' files"
        )
    form = await request.form()
    try:
        raw = form.get("request")
        if raw is None:
            raise MalformedBody.for_field(
                "request", "the multipart body needs a 'request' part holding the JSON fields"
            )
        if isinstance(raw, UploadFile):
            raw = await raw.read()
        submit = decode_submit(raw)
        uploads = [part for name in PHOTO_FIELDS for part in form.getall(name, [])]
        if len(uploads) > MAX_PHOTOS:
            raise MalformedBody.for_field("photos", f"at most {MAX_PHOTOS} photos per request")
        photos = []
        for index, part in enumerate(uploads):
            if not isinstance(part, UploadFile):
                raise MalformedBody.for_field(f"photos[{index}]", "a photo must be a file part")
            data = await part.read(MAX_PHOTO_BYTES + 1)
            if len(data) > MAX_PHOTO_BYTES:
                raise PayloadTooLarge.for_field(f"photos[{index}]", "a photo may be at most 10 MB")
            photos.append(data)
        return submit, photos
    finally:
        for value in form.values():
            if isinstance(value, UploadFile):
                await value.close()
