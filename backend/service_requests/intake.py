"""The checks of a submit that need no database: the command's own fields, the reporter's contact,
the idempotency fingerprint, and how a refused photo is reported. Field names are the domain's own
(`service_code`, `idempotency_key`…); each channel renames them at its edge."""

from __future__ import annotations

import hashlib
import json

from backend.errors import (
    DomainError,
    FieldError,
    InvalidInput,
    Named,
    PayloadTooLarge,
    UnsupportedMedia,
    Wording,
    worded,
)
from backend.identity.contact import ContactInvalid, normalize_email, normalize_phone
from backend.limits import (
    MAX_ADDRESS,
    MAX_DESCRIPTION,
    MAX_EMAIL,
    MAX_IDEMPOTENCY_KEY,
    MAX_NAME,
    MAX_PHONE_INPUT,
    MAX_URL,
    check_line,
    check_text,
)
from backend.service_requests.models import SubmitCommand
from backend.storage.images import ImageRejected
from backend.storage.photo_limits import MAX_PHOTOS


def check_fields(cmd: SubmitCommand) -> list[FieldError]:
    """Every rule on the command's own fields; normalises the reporter's contact in place."""
    errors = [
        e
        for e in (
            check_text(cmd.description, "description", MAX_DESCRIPTION),
            check_line(cmd.address, "address", MAX_ADDRESS),
            check_line(cmd.reporter_name, "name", MAX_NAME),
            check_line(cmd.reporter_email, "email", MAX_EMAIL),
            check_line(cmd.reporter_phone, "phone", MAX_PHONE_INPUT),
            check_line(cmd.media_url, "media_url", MAX_URL),
            check_line(cmd.language, "language", 8),
            check_line(cmd.interpreter_language, "interpreter_language", 16),
            *(check_line(v, f"reporter.{k}", MAX_NAME) for k, v in cmd.reporter_extra.items()),
        )
        if e is not None
    ]
    if cmd.media_url and not cmd.media_url.startswith(("http://", "https://")):
        errors.append(FieldError("media_url", "media_url must be an http:// or https:// link"))
    if cmd.lat is not None and not -90 <= cmd.lat <= 90:
        errors.append(FieldError("lat", "latitude must be between -90 and 90"))
    if cmd.long is not None and not -180 <= cmd.long <= 180:
        errors.append(FieldError("long", "longitude must be between -180 and 180"))
    if (cmd.lat is None) != (cmd.long is None):
        errors.append(
            FieldError("lat" if cmd.lat is None else "long", "give both lat and long, or neither")
        )
    if len(cmd.photos) > MAX_PHOTOS:
        errors.append(
            FieldError.naming("photos", f"at most {MAX_PHOTOS} ", Named("photos"), " per request")
        )
    key = cmd.idempotency_key
    if key is not None and (
        not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY or not key.isascii() or not key.isprintable()
    ):
        errors.append(
            FieldError.naming(
                "idempotency_key",
                Named("idempotency_key"),
                f" must be 1 to {MAX_IDEMPOTENCY_KEY} printable ASCII characters",
            )
        )
    if errors:
        return errors
    cmd.reporter_name = (cmd.reporter_name or "").strip() or None
    for field, attr, normalize in (
        ("email", "reporter_email", normalize_email),
        ("phone", "reporter_phone", normalize_phone),
    ):
        value = (getattr(cmd, attr) or "").strip()
        try:
            setattr(cmd, attr, normalize(value) if value else None)
        except ContactInvalid as exc:
            errors.append(FieldError(field, f"{field}: {exc}"))
    return errors


def summary(errors: list[FieldError]) -> Wording:
    """The problem's detail, as parts naming the fields (each channel words them)."""
    if len(errors) == 1:
        return errors[0].parts or (errors[0].message,)
    parts: list[str | Named] = [f"{len(errors)} fields need attention: "]
    for i, error in enumerate(errors):
        parts += ["; ", Named(error.field)] if i else [Named(error.field)]
    return tuple(parts)


def refuse(errors: list[FieldError]) -> InvalidInput:
    parts = summary(errors)
    return InvalidInput(worded(parts), errors, parts)


def fingerprint(cmd: SubmitCommand) -> str:
    """What makes two submits 'the same request' for an Idempotency-Key."""
    digest = hashlib.sha256()
    body = {
        k: getattr(cmd, k)
        for k in ("service_code", "lat", "long", "description", "address", "answers", "device_id")
    }
    digest.update(json.dumps(body, sort_keys=True, default=str).encode())
    for photo in cmd.photos:
        digest.update(hashlib.sha256(photo).digest())
    return digest.hexdigest()


def photo_error(index: int, exc: ImageRejected) -> DomainError:
    field = f"photos[{index}]"
    if exc.reason == "too_large":
        return PayloadTooLarge.for_field(field, exc.message)
    if exc.reason == "unsupported":
        return UnsupportedMedia.for_field(field, exc.message)
    return InvalidInput.for_field(field, exc.message)
