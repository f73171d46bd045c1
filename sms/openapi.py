"""OpenAPI for Twilio's webhooks (openapi/sms-webhooks.json): the form fields Twilio sends with an
incoming message and with a delivery receipt, the constraints sms/webhook.py enforces on them, and
the X-Twilio-Signature that every request must carry."""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import OpenAPIMediaType

from backend.channels.openapi_bodies import body_operation, to_schema
from backend.limits import LINE_PATTERN

FORM = "application/x-www-form-urlencoded"
SID_PATTERN = r"^[A-Za-z0-9]{1,64}$"
MAX_NUM_MEDIA = 10**6  # read as at most 10
MAX_ERROR_CODE = 2**31 - 1  # the column is an integer


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _whole(most: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": most}


_EMPTY = {"type": "string", "maxLength": 0}
_SID = {
    "type": "string",
    "pattern": SID_PATTERN,
    "description": "Twilio's id of the message (SM… or MM…, 34 characters); a retry carries the "
    "same one and is answered the same",
}
_COMMON = {
    "AccountSid": _text("The Twilio account (AC…)"),
    "MessagingServiceSid": _text("The messaging service, when one sent or received it"),
    "SmsSid": _text("The same as MessageSid (legacy name)"),
    "ApiVersion": _text("Twilio's API version, 2010-04-01"),
}
INBOUND = {
    "type": "object",
    "required": ["MessageSid", "From"],
    "description": "A text (SMS or MMS) a resident sent to the city's number. Media come as "
    "MediaUrl0…MediaUrl9 with MediaContentType0…9 (at most NumMedia of them are read). Other "
    "fields Twilio sends (FromCity, ToCountry, NumSegments, …) are accepted and ignored.",
    "properties": {
        "MessageSid": {
            **_SID,
            "description": _SID["description"] + " (409 while an earlier delivery of it is "
            "still being answered after 10 s)",
        },
        "From": _text(
            "The resident's phone number, E.164 (+13125550100); one that is not a phone "
            "number is a 422"
        ),
        "To": _text("The city's number the text was sent to"),
        "Body": _text("The text, as the resident typed it (may be empty for a photo alone)"),
        "NumMedia": {
            "anyOf": [_whole(MAX_NUM_MEDIA), _EMPTY],
            "description": "How many media files came with it (Twilio sends at most 10); "
            "empty is none",
        },
        "MediaUrl0": {**_text("The first photo's URL on Twilio"), "format": "uri"},
        "MediaContentType0": _text("The first photo's content type, e.g. image/jpeg"),
        "SmsStatus": _text("received"),
        "SmsMessageSid": _text("The same as MessageSid (legacy name)"),
        **_COMMON,
    },
}
STATUS = {
    "type": "object",
    "required": ["MessageSid"],
    "description": "A delivery receipt for a text the city sent (its status callback). "
    "MessageStatus, or the legacy SmsStatus, is required.",
    "anyOf": [
        {"required": ["MessageStatus"], "properties": {"MessageStatus": {"minLength": 1}}},
        {"required": ["SmsStatus"], "properties": {"SmsStatus": {"minLength": 1}}},
    ],
    "properties": {
        "MessageSid": _SID,
        "MessageStatus": {
            **_text(
                "queued, sending, sent, delivered, undelivered, failed, read, … (Twilio's "
                "values); no control characters"
            ),
            "pattern": LINE_PATTERN,
        },
        "SmsStatus": {
            **_text("The same as MessageStatus (legacy name)"),
            "pattern": LINE_PATTERN,
        },
        "To": _text("The resident's phone number, E.164; one that is not a phone number is a 422"),
        "From": _text("The city's number"),
        "ErrorCode": {
            "anyOf": [_whole(MAX_ERROR_CODE), _EMPTY],
            "description": "Twilio's error code when it was not delivered (21610: the "
            "recipient opted out, recorded as such); empty is none",
        },
        "ErrorMessage": _text("Twilio's words for the error"),
        **_COMMON,
    },
}

InboundOperation = body_operation(
    "InboundOperation", {FORM: OpenAPIMediaType(schema=to_schema(INBOUND))}
)
StatusOperation = body_operation(
    "StatusOperation", {FORM: OpenAPIMediaType(schema=to_schema(STATUS))}
)
