"""Open311's POST requests form -> SubmitCommand: urlencoded or multipart (a `media` file goes
through the spine's photo pipeline), `attribute[CODE]` / `attribute[CODE][]` as the type's answers,
location by lat/long, `address_string` or `address_id` (our normalised address), the reporter's
contact kept private. Errors name the spec's argument names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import parse_qsl

from litestar.datastructures import UploadFile

from backend.catalog.snapshot import Catalog
from backend.channels.app_api.submit_body import read_capped, read_form
from backend.channels.handler_types import AnyRequest
from backend.errors import FieldError, InvalidInput, MalformedRequest, PayloadTooLarge
from backend.limits import MAX_NAME, shown
from backend.service_requests.models import SubmitCommand
from backend.storage.photo_limits import MAX_PHOTO_BYTES, MAX_PHOTO_MB, MAX_PHOTOS

_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,64})\](\[\])?$")
MEDIA_FIELDS = ("media", "media[]")
MAX_FIELDS = 200


def _number(name: str, value: str | None, errors: list[FieldError]) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        errors.append(FieldError(name, f"{name}: '{shown(value)}' is not a number"))
        return None


class Posted(NamedTuple):
    api_key: str | None
    jurisdictions: list[str]  # every jurisdiction_id sent, in the body or the query string
    command: SubmitCommand
    address_field: str  # which argument carried the address: address_string or address_id


async def _fields(
    request: AnyRequest, media_type: str
) -> tuple[Sequence[tuple[str, str | UploadFile]], list[UploadFile]]:
    """The form's (name, value) pairs in order, and its file parts (to close)."""
    if media_type == "application/x-www-form-urlencoded":
        body = await read_capped(request)  # no files: a form's limit is JSON's
        try:
            # The spec's bodies are UTF-8 (a client may omit the charset; Latin-1 would garble).
            text = body.decode("utf-8")
            return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS), []
        except UnicodeDecodeError:
            raise MalformedRequest.for_field("body", "the form is not UTF-8") from None
        except ValueError:
            raise MalformedRequest.for_field("body", f"at most {MAX_FIELDS} fields") from None
    form = await read_form(request)
    items = list(form.multi_items())
    uploads = [v for _, v in items if isinstance(v, UploadFile)]
    if len(items) > MAX_FIELDS:
        for upload in uploads:
            await upload.close()
        raise MalformedRequest.for_field("body", f"at most {MAX_FIELDS} fields")
    return items, uploads


async def read_post(request: AnyRequest, catalog: Catalog) -> Posted:
    """The api_key and jurisdiction sent, and the command; 400s for a form that cannot be one."""
    media_type, _ = request.content_type
    if media_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise MalformedRequest.for_field(
            "Content-Type", "send application/x-www-form-urlencoded or multipart/form-data"
        )
    items, uploads = await _fields(request, media_type)
    values: dict[str, str] = {}
    jurisdictions: list[str] = []
    answers: dict[str, object] = {}
    photos: list[bytes] = []
    try:
        for name, value in items:
            if isinstance(value, UploadFile):
                if name not in MEDIA_FIELDS:
                    raise MalformedRequest.for_field(shown(name), "only 'media' may be a file")
                if len(photos) == MAX_PHOTOS:
                    raise MalformedRequest.for_field("media", f"at most {MAX_PHOTOS} files")
                data = await value.read(MAX_PHOTO_BYTES + 1)
                if len(data) > MAX_PHOTO_BYTES:
                    raise PayloadTooLarge.for_field(
                        "media", f"a photo may be at most {MAX_PHOTO_MB} MB"
                    )
                photos.append(data)
            elif match := _ATTRIBUTE.match(name):
                code, many = match.group(1), match.group(2)
                if many:
                    given = answers.setdefault(code, [])
                    if isinstance(given, list):
                        given.append(value)
                else:
                    answers[code] = value
            else:
                values.setdefault(name, value)
                if name == "jurisdiction_id":
                    jurisdictions.append(value)
        # Some clients put jurisdiction_id (or more) in the query string of a POST.
        for name, value in request.query_params.multi_items():
            values.setdefault(name, value)
            if name == "jurisdiction_id":
                jurisdictions.append(value)
    finally:
        for upload in uploads:
            await upload.close()

    def get(name: str) -> str | None:
        return (values.get(name) or "").strip() or None

    errors: list[FieldError] = []
    lat = _number("lat", get("lat"), errors)
    long = _number("long", get("long"), errors)
    if errors:
        raise InvalidInput(errors[0].message, errors)
    code = get("service_code")
    service_type = catalog.by_code(code) if code else None
    if service_type is not None:
        # Attributes the type does not ask are left out: clients send their own (FixMyStreet
        # adds fixmystreet_id, title, report_url…) and the spec is silent on them.
        questions = {q.code: q for q in service_type.questions}
        answers = {key: value for key, value in answers.items() if key in questions}
        # A multivaluelist question's answer is a list even when one value came as attribute[C].
        for key, given in answers.items():
            if questions[key].datatype == "multivaluelist" and isinstance(given, str):
                answers[key] = [given]
    full_name = " ".join(filter(None, [get("first_name"), get("last_name")])) or None
    extra = {k: v for k in ("device_id", "account_id") if (v := get(k))}
    cmd = SubmitCommand(
        service_code=code or "",
        channel="open311",
        lat=lat,
        long=long,
        description=values.get("description") or "",
        address=get("address_string") or get("address_id"),
        answers=answers,
        reporter_name=full_name[: MAX_NAME + 1] if full_name else None,
        reporter_email=get("email"),
        reporter_phone=get("phone"),
        photos=photos,
        media_url=get("media_url"),
        reporter_extra=extra,
    )
    field = "address_id" if get("address_id") and not get("address_string") else "address_string"
    return Posted(get("api_key"), jurisdictions, cmd, field)
