"""Reads request bodies into Structs: JSON for every route, and POST /requests' multipart form with
a JSON part and photo files. A body that cannot be read is a 400 malformed-request; one that is
read but breaks a rule of the Struct (a type, a length, a pattern) is a 422 invalid-input."""

from __future__ import annotations

import re
from typing import TypeVar

import msgspec
from litestar import Request
from litestar.datastructures import FormMultiDict, UploadFile

from backend.errors import (
    FieldError,
    InvalidInput,
    MalformedRequest,
    PayloadTooLarge,
    UnsupportedMedia,
)
from backend.limits import shown
from backend.storage.photo_limits import MAX_PHOTO_BYTES, MAX_PHOTO_MB, MAX_PHOTOS

from .schemas import SubmitIn

PHOTO_FIELDS = ("photo", "photos", "photos[]")
# The documented limit of a JSON body (and of a form without files): the app's request_max_body_size;
# a route that takes photos has a larger one for multipart bodies, never for JSON.
MAX_JSON = 1024 * 1024


T = TypeVar("T")


def decode_json(raw: bytes | str, struct: type[T], field: str = "body") -> T:
    try:
        if isinstance(raw, bytes):
            raw.decode("utf-8")  # msgspec would raise UnicodeDecodeError, not a DecodeError
        return msgspec.json.decode(raw, type=struct)
    except UnicodeDecodeError as exc:
        raise MalformedRequest.for_field(
            field, f"the body is not UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    except msgspec.ValidationError as exc:
        where, message = _split_msgspec_error(str(exc))
        where = field if where == "body" else where  # the document itself, e.g. "request"
        raise InvalidInput(message, [FieldError(where, message)]) from None
    except msgspec.DecodeError as exc:
        raise MalformedRequest.for_field(field, f"not valid JSON: {exc}") from None
    except RecursionError:  # msgspec's own depth limit: arrays and objects nested ~1,000 deep
        raise MalformedRequest.for_field(field, "the JSON is nested too deeply") from None


async def read_capped(request: Request, limit: int = MAX_JSON) -> bytes:
    """The body, refused with 413 once it is known to pass `limit`: at once when Content-Length
    says so, else as soon as the chunks received pass it (never read whole first)."""
    if (request.content_length or 0) > limit:
        raise PayloadTooLarge.for_field("body", f"a body of this kind may be at most {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge.for_field(
                "body", f"a body of this kind may be at most {limit} bytes"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def require_json(request: Request) -> None:
    if request.content_type[0] != "application/json":
        raise UnsupportedMedia.for_field("Content-Type", "send the body as application/json")


def decode_submit(raw: bytes | str, field: str = "body") -> SubmitIn:
    return decode_json(raw, SubmitIn, field)


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


async def read_form(request: Request) -> FormMultiDict:
    """The multipart (or urlencoded) form; a text part that is not in its charset is a 400
    (Litestar's parser raises UnicodeDecodeError, or LookupError for a charset no codec has)."""
    try:
        return await request.form()
    except (UnicodeDecodeError, LookupError):
        raise MalformedRequest.for_field(
            "body", "a part of the form is not text in its charset (UTF-8 unless it names one)"
        ) from None


async def read_submit(request: Request) -> tuple[SubmitIn, list[bytes]]:
    media_type, _ = request.content_type
    if media_type == "application/json":
        return decode_submit(await read_capped(request)), []
    if media_type != "multipart/form-data":
        raise UnsupportedMedia.for_field(
            "Content-Type",
            "send application/json, or multipart/form-data with a 'request' "
            "part holding the JSON and up to 5 'photo' files",
        )
    form = await read_form(request)
    try:
        raw = form.get("request")
        if raw is None:
            raise MalformedRequest.for_field(
                "request", "the multipart body needs a 'request' part holding the JSON fields"
            )
        if isinstance(raw, UploadFile):
            raw = await raw.read()
        submit = decode_submit(raw, "request")
        unknown = sorted(set(form.keys()) - {"request", *PHOTO_FIELDS})
        if unknown:  # as a JSON body refuses unknown fields: nothing is silently dropped
            raise InvalidInput(
                f"unknown part '{shown(unknown[0])}': send a 'request' part and 'photo' files",
                [FieldError(shown(name), "unknown part") for name in unknown[:10]],
            )
        uploads = [part for name in PHOTO_FIELDS for part in form.getall(name, [])]
        if len(uploads) > MAX_PHOTOS:
            raise MalformedRequest.for_field("photos", f"at most {MAX_PHOTOS} photos per request")
        photos = []
        for index, part in enumerate(uploads):
            if not isinstance(part, UploadFile):
                raise MalformedRequest.for_field(f"photos[{index}]", "a photo must be a file part")
            data = await part.read(MAX_PHOTO_BYTES + 1)
            if len(data) > MAX_PHOTO_BYTES:
                raise PayloadTooLarge.for_field(
                    f"photos[{index}]", f"a photo may be at most {MAX_PHOTO_MB} MB"
                )
            photos.append(data)
        return submit, photos
    finally:
        for value in form.values():
            if isinstance(value, UploadFile):
                await value.close()
