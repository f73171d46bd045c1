"""schemathesis hooks for `make fuzz` (loaded through SCHEMATHESIS_HOOKS by fuzz/run.py).

Device and staff tokens and the Open311 api_key are schemathesis's own auth, configured by run.py
for the documents' security schemes. What configuration cannot do is here:

- Twilio's X-Twilio-Signature signs the very request it comes with (the URL and every form
  field), so, when run.py names the auth token in FUZZ_TWILIO_AUTH_TOKEN (for
  openapi/sms-webhooks.json), each request is signed with twilio's RequestValidator as it will be
  sent: valid signatures, so the webhooks are fuzzed past their 403.
- Open311's api_key may come in the POST body or in the query string, and the body's wins. The
  key is sent in the query string (the open311ApiKey scheme), so a generated `api_key` form field
  is dropped: otherwise every POST would be a 403 for a random key (drop_api_key says how the
  case is judged again).
- The fuzzer learns the staff username it is logged in as (GET /api/staff/v1/me answers it) and
  tries it at POST /api/staff/v1/auth/login with random passwords: after five, the account is
  locked for 15 minutes (as it should be), and so is the fuzzer out of the staff API. A login
  body naming that account is sent for another name instead (FUZZ_STAFF_USERNAME, from run.py);
  unknown names are locked out the same way, so lock-outs are still fuzzed.
- The live stream of a request (GET /api/v1/requests/{tracking_number}/events) never ends while
  its request exists, so a case would wait for the request timeout. A tracking number is sent
  there from year 99, which has no requests: every answer ends (a 404), and every other part of
  the request is as generated. tests/notify/test_live.py follows real streams.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl

import jsonschema_rs
import requests
import schemathesis
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import ComponentInfo
from schemathesis.transport.serialization import Binary
from twilio.request_validator import RequestValidator

from backend.service_requests.tracking import parse_tracking_number

TWILIO_AUTH_TOKEN = os.environ.get("FUZZ_TWILIO_AUTH_TOKEN")
STAFF_USERNAME = os.environ.get("FUZZ_STAFF_USERNAME")
FILE = (Binary, bytes, bytearray)  # a generated file: schemathesis wraps bytes as Binary


class _Form(dict):
    """The form as the server's validator reads it (sms/webhook.py): every value of a name."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def twilio_signature(token: str, url: str, body: bytes | str | None) -> str:
    """X-Twilio-Signature for a form POST of `body` to `url` (what Twilio would send)."""
    raw = body.encode() if isinstance(body, str) else body or b""
    form = _Form()
    try:
        for name, value in parse_qsl(raw.decode("utf-8"), keep_blank_values=True):
            form.setdefault(name, []).append(value)
    except UnicodeDecodeError:
        pass  # the server refuses such a body whatever its signature
    return RequestValidator(token).compute_signature(url, form)


if TWILIO_AUTH_TOKEN:

    @schemathesis.auth()
    class TwilioSignature:
        def get(self, case, context):
            return TWILIO_AUTH_TOKEN

        def set(self, case, data, context):
            sent = case.as_transport_kwargs(base_url=case.operation.schema.get_base_url())
            prepared = requests.Request(
                method=sent["method"],
                url=sent["url"],
                params=sent.get("params"),
                data=sent.get("data"),
                json=sent.get("json"),
                headers=sent.get("headers"),
                files=sent.get("files"),
            ).prepare()
            signature = twilio_signature(data, prepared.url, prepared.body)
            case.headers = {**(case.headers or {}), "X-Twilio-Signature": signature}


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.path.endswith("/events") and isinstance(case.path_parameters, dict):
        number = parse_tracking_number(str(case.path_parameters.get("tracking_number", "")))
        if number:
            case.path_parameters = {**case.path_parameters, "tracking_number": "SR99" + number[4:]}
    if (
        STAFF_USERNAME
        and case.path.endswith("/auth/login")
        and isinstance(case.body, dict)
        and str(case.body.get("username")).strip().lower() == STAFF_USERNAME
    ):
        case.body = {**case.body, "username": STAFF_USERNAME + "-not"}
    if (
        case.method.upper() == "POST"
        and case.path.startswith("/open311/")
        and isinstance(case.body, dict)
        and "api_key" in case.body
    ):
        drop_api_key(case)


def drop_api_key(case) -> None:
    """Send the Open311 POST without its generated `api_key` field, and judge the case again.

    schemathesis judges a body a hook has changed again, but it holds any body with a file in it
    (`media`) invalid: a valid submit with a photo would be relabelled negative and its 200
    reported as "schema-violating request accepted". The body is judged here as it goes out,
    with each file standing for the binary string the document declares.
    """
    case.body = {k: v for k, v in case.body.items() if k != "api_key"}
    meta = case.meta  # schemathesis's own judgement, right unless a file is in the body
    if meta is None or not any(isinstance(v, FILE) for v in case.body.values()):
        return
    schema = case.operation.get_body_for_media_type(case.media_type).validation_schema
    plain = {k: "" if isinstance(v, FILE) else v for k, v in case.body.items()}
    valid = jsonschema_rs.validator_for(schema).is_valid(plain)
    meta.components[ParameterLocation.BODY] = ComponentInfo(
        mode=GenerationMode.POSITIVE if valid else GenerationMode.NEGATIVE
    )
    every_part_valid = all(info.mode.is_positive for info in meta.components.values())
    meta.generation.mode = GenerationMode.POSITIVE if every_part_valid else GenerationMode.NEGATIVE
