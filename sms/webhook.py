"""Twilio's webhooks: POST /sms/twilio/inbound (a text in, TwiML out) and POST /sms/twilio/status
(delivery receipts). Both check X-Twilio-Signature with the SDK's RequestValidator against the URL
Twilio was given (CITY311_PUBLIC_BASE_URL + path): a forged or missing signature is a 403 and
changes nothing."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import parse_qsl

from litestar import Request, Response, Router, post
from litestar.status_codes import HTTP_204_NO_CONTENT
from twilio.request_validator import RequestValidator, get_signature_algorithm
from twilio.twiml.messaging_response import MessagingResponse

from backend.channels.deps import Injected
from backend.channels.openapi_bodies import TWILIO
from backend.channels.openapi_problems import problem_responses
from backend.errors import Forbidden, InvalidInput
from backend.identity.contact import ContactInvalid, normalize_phone
from backend.limits import LINE, clean_text
from backend.logsafe import mask_phone
from backend.settings import Settings
from sms.dialog import SmsBot
from sms.inbound import Inbound
from sms.openapi import (
    MAX_ERROR_CODE,
    MAX_NUM_MEDIA,
    SID_PATTERN,
    InboundOperation,
    StatusOperation,
)

log = logging.getLogger("city311.sms")

MAX_MEDIA = 10  # Twilio's own limit per message
_SID = re.compile(SID_PATTERN)
OPTED_OUT = 21610  # Twilio: "Attempt to send to unsubscribed recipient"


class _Form(dict[str, list[str]]):
    """The form's fields as the SDK's validator reads them (every value of a repeated name)."""

    def getall(self, name: str) -> list[str]:
        return self[name]


async def _signed_form(request: Request[Any, Any, Any], settings: Settings) -> dict[str, str]:
    body = await request.body()
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        pairs = None
    token = settings.twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    url = settings.public_base_url + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    if not token:
        raise Forbidden("TWILIO_AUTH_TOKEN is not set: no webhook can be checked")
    form = _Form()
    for name, value in pairs or ():
        form.setdefault(name, []).append(value)
    algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    if (
        pairs is None
        or not signature
        or not RequestValidator(token).validate(url, form, signature, algorithm)
    ):
        log.warning("twilio webhook %s: signature missing or wrong", request.url.path)
        raise Forbidden.for_field(
            "X-Twilio-Signature", "missing, or not Twilio's signature of this request"
        )
    return {name: values[-1] for name, values in form.items()}


def _required(form: dict[str, str], name: str) -> str:
    value = form.get(name, "").strip()
    if not value or len(value) > 64 or not LINE.search(value):
        raise InvalidInput.for_field(
            name, f"{name} is required (one line of at most 64 characters, no control characters)"
        )
    return value


def _sid(form: dict[str, str]) -> str:
    value = form.get("MessageSid", "")
    if not _SID.fullmatch(value):
        raise InvalidInput.for_field(
            "MessageSid", "MessageSid is required: Twilio's id, 1 to 64 letters and digits"
        )
    return value


def _whole(form: dict[str, str], name: str, most: int) -> int | None:
    """A whole number field: absent or empty is None; anything but digits is a 422."""
    value = form.get(name, "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > most:
        raise InvalidInput.for_field(name, f"{name} must be a whole number from 0 to {most}")
    return int(value)


def _phone(form: dict[str, str], name: str) -> str:
    try:
        return normalize_phone(_required(form, name))
    except ContactInvalid as exc:
        raise InvalidInput.for_field(name, f"{name}: {exc}") from None


@post(
    "/inbound",
    status_code=200,
    media_type="application/xml",
    operation_class=InboundOperation,
    summary="A text from a resident (Twilio's incoming-message webhook): the reply as TwiML",
    security=TWILIO,
    responses=problem_responses(400, 403, 409, 413, 422),
)
async def inbound(
    request: Request[Any, Any, Any], settings: Injected[Settings], sms_bot: Injected[SmsBot]
) -> Response[str]:
    form = await _signed_form(request, settings)
    message_sid = _sid(form)
    phone = _phone(form, "From")
    count = min(_whole(form, "NumMedia", MAX_NUM_MEDIA) or 0, MAX_MEDIA)
    media = [
        (form[f"MediaUrl{i}"], form.get(f"MediaContentType{i}", ""))
        for i in range(count)
        if form.get(f"MediaUrl{i}")
    ]
    bot = sms_bot
    # A text as Twilio delivered it, without what no text may hold (a NUL PostgreSQL cannot store):
    # a retry of the same message is cleaned the same way and gets the same reply.
    body = clean_text(form.get("Body", ""))
    reply = await bot.handle(Inbound(message_sid, phone, body, media))
    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    return Response(str(twiml), media_type="application/xml")


@post(
    "/status",
    status_code=HTTP_204_NO_CONTENT,
    operation_class=StatusOperation,
    summary="A delivery receipt for a text the city sent (Twilio's status callback)",
    security=TWILIO,
    responses=problem_responses(400, 403, 413, 422),
)
async def status(
    request: Request[Any, Any, Any], settings: Injected[Settings], sms_bot: Injected[SmsBot]
) -> None:
    form = await _signed_form(request, settings)
    message_sid = _sid(form)
    for name in ("MessageStatus", "SmsStatus"):  # the same value; either may come, or both
        value = form.get(name)
        if value and not LINE.search(value):
            raise InvalidInput.for_field(name, f"{name}: one line without control characters")
    message_status = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip()[:24]
    if not message_status:
        raise InvalidInput.for_field(
            "MessageStatus", "MessageStatus is required (a word such as delivered)"
        )
    error_code = _whole(form, "ErrorCode", MAX_ERROR_CODE)
    to = _phone(form, "To") if form.get("To") else None
    bot = sms_bot
    await bot.store.record_delivery(message_sid, message_status, error_code, to, bot.clock())
    if error_code == OPTED_OUT and to:
        # Twilio says this number opted out: our consent table follows.
        await bot.store.set_opted_out(to, True, bot.clock())
        log.info("sms to %s: opted out at Twilio (21610)", mask_phone(to))


sms_router = Router(path="/sms/twilio", route_handlers=[inbound, status])
