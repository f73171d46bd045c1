"""A Twilio-compatible HTTP server on 127.0.0.1 for tests: the real twilio SDK talks to it over loopback.

It answers what City311 uses of Twilio's REST API, the way Twilio answers it:

- ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` (form-encoded To, From or
  MessagingServiceSid, Body, MediaUrl, StatusCallback…), HTTP Basic auth checked, ``201`` with the
  Message resource JSON, or Twilio's error JSON (``{"code", "message", "more_info", "status"}``) so
  the SDK raises ``TwilioRestException`` with ``.code``. Failures are scripted per destination
  number: :meth:`FakeTwilio.fail`, :meth:`FakeTwilio.down`, :meth:`FakeTwilio.slow`,
  :meth:`FakeTwilio.script`.
- ``GET …/Messages/{MessageSid}.json``: the message as sent.
- ``GET …/Messages.json`` (To, From, PageSize): the messages sent, newest first, one page.
- ``GET …/Messages/{MessageSid}/Media/{MediaSid}``: the media bytes with their content type, behind
  HTTP Basic auth; optionally via a 307 redirect to an unauthenticated ``/cdn/…`` path of this server
  or of another fake (Twilio really redirects media to its CDN). ``…/Media/{MediaSid}.json`` is the
  Media resource.
- status callbacks, on request (:meth:`FakeTwilio.deliver`), POSTed to the message's StatusCallback
  signed as Twilio signs them (``X-Twilio-Signature`` by the SDK's ``RequestValidator``);
- inbound webhooks for the SMS channel's tests: :meth:`FakeTwilio.inbound_params` builds realistic
  parameters and :meth:`FakeTwilio.signed_inbound` the headers and body Twilio would send.

Everything it saw is kept: ``messages`` (what was sent), ``requests`` (every request, headers with
lower-cased names), ``connections`` (connections accepted), ``callbacks`` (callbacks posted).

    with FakeTwilio() as fake:
        client = twilio.rest.Client(fake.account_sid, fake.auth_token)
        client.api.base_url = fake.base_url
        fake.fail("+13125550100", 21610)
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from twilio.request_validator import RequestValidator

API_VERSION = "2010-04-01"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

# Twilio error code -> (HTTP status, message), as the REST API answers them
# (https://www.twilio.com/docs/api/errors/<code>).
TWILIO_ERRORS: dict[int, tuple[int, str]] = {
    20003: (401, "Authenticate"),
    20404: (404, "The requested resource was not found"),
    20429: (429, "Too Many Requests"),
    20500: (500, "An internal server error has occurred"),
    20503: (503, "Service is unavailable. Please try again"),
    21211: (400, "Invalid 'To' Phone Number"),
    21602: (400, "Message body is required."),
    21603: (400, "A 'From' phone number is required."),
    21604: (400, "A 'To' phone number is required."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21612: (400, "The 'To' phone number is not currently reachable via SMS"),
    21614: (400, "'To' number is not a valid mobile number"),
    30003: (400, "Unreachable destination handset"),
    30005: (400, "Unknown destination handset"),
    30006: (400, "Landline or unreachable carrier"),
}

_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages\.json$")
_MESSAGE = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages/(?P<sid>[^/.]+)\.json$")
_MEDIA = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages/(?P<message>[^/]+)"
    r"/Media/(?P<media>[^/.]+)(?P<json>\.json)?$"
)
_CDN = re.compile(r"^/cdn/(?P<token>[^/]+)$")

# GSM 03.38: one septet each; the extension table costs two.
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def new_sid(prefix: str) -> str:
    """A Twilio SID: two letters and 32 hex digits ("SM…", "MM…", "ME…", "AC…")."""
    return prefix + uuid.uuid4().hex


def segments(body: str) -> int:
    """How many SMS segments Twilio bills for ``body``: GSM-7 160/153, else UCS-2 70/67."""
    if not body:
        return 1
    if all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in body):
        septets = sum(2 if ch in _GSM_EXTENDED else 1 for ch in body)
        return 1 if septets <= 160 else -(-septets // 153)
    units = len(body.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """X-Twilio-Signature for a POST of ``params`` to ``url``, computed by the SDK itself."""
    return RequestValidator(auth_token).compute_signature(url, dict(params))


def signed_request(
    auth_token: str, url: str, params: Mapping[str, str]
) -> tuple[dict[str, str], bytes]:
    """The headers and form body Twilio sends when it POSTs ``params`` to ``url``."""
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "TwilioProxy/1.1",
        "Accept": "*/*",
        "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
        "X-Twilio-Signature": twilio_signature(auth_token, url, params),
    }
    return headers, urlencode(dict(params)).encode()


def error_body(code: int, status: int | None = None, message: str | None = None) -> dict:
    """Twilio's error JSON for ``code``."""
    known_status, known_message = TWILIO_ERRORS.get(code, (400, "Error"))
    return {
        "code": code,
        "message": message or known_message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status or known_status,
    }


@dataclass
class Script:
    """How the fake answers a send to one destination (or to all, under the key "*")."""

    code: int | None = None  # Twilio error code to answer with; None: answer 201 (after `delay`)
    status: int | None = None  # HTTP status; default from TWILIO_ERRORS
    message: str | None = None
    delay: float = 0.0  # seconds to wait before answering at all
    retry_after: str | None = None  # a Retry-After header
    raw_body: bytes | None = None  # a non-JSON body instead (a load balancer's HTML page)
    times: int | None = None  # answer this way this many times, then normally; None: always


@dataclass
class FakeMessage:
    sid: str
    account_sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    media_urls: list[str]
    status_callback: str | None
    status: str
    num_segments: int
    date_created: datetime
    form: dict[str, list[str]]  # every parameter as the SDK posted it
    error_code: int | None = None

    def resource(self, status: str | None = None) -> dict[str, Any]:
        created = format_datetime(self.date_created)
        base = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": self.body,
            "date_created": created,
            "date_sent": None,
            "date_updated": created,
            "direction": "outbound-api",
            "error_code": self.error_code,
            "error_message": None,
            "from": self.from_,
            "messaging_service_sid": self.messaging_service_sid,
            "num_media": str(len(self.media_urls)),
            "num_segments": str(self.num_segments),
            "price": None,
            "price_unit": "USD",
            "sid": self.sid,
            "status": status or self.status,
            "subresource_uris": {"media": f"{base}/Media.json"},
            "to": self.to,
            "uri": f"{base}.json",
        }


@dataclass
class SeenRequest:
    method: str
    path: str  # with its query string
    headers: dict[str, str]  # names lower-cased
    body: bytes
    form: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Callback:
    url: str
    params: dict[str, str]
    headers: dict[str, str]
    status: int | None  # the answer's HTTP status; None when nothing answered
    body: bytes


@dataclass
class _Blob:
    content: bytes
    content_type: str
    chunked: bool  # no Content-Length; the end of the body is the end of the connection


@dataclass
class _Media:
    sid: str
    message_sid: str
    blob: _Blob
    redirect_to: str | None  # a /cdn/ URL answered with `redirect_status` instead of the bytes
    redirect_status: int


class FakeTwilio:
    """A running Twilio look-alike on ``base_url`` (127.0.0.1, a free port); ``close()`` or ``with``."""

    def __init__(self, account_sid: str | None = None, auth_token: str | None = None) -> None:
        self.account_sid = account_sid or new_sid("AC")
        self.auth_token = auth_token or uuid.uuid4().hex
        self.messages: list[FakeMessage] = []
        self.requests: list[SeenRequest] = []
        self.callbacks: list[Callback] = []
        self.connections = 0
        self._scripts: dict[str, Script] = {}
        self._media: dict[str, _Media] = {}
        self._cdn: dict[str, _Blob] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)
        self.base_url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    # -- life cycle ------------------------------------------------------------------------

    def close(self) -> None:
        if self._closing.is_set():
            return
        self._closing.set()  # wakes any slow answer
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeTwilio:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- scripting ---------------------------------------------------------------------------

    def script(self, to: str | None = None, **how: Any) -> Script:
        """Answer sends to ``to`` (every destination when None) as ``Script(**how)`` says."""
        script = Script(**how)
        with self._lock:
            self._scripts[to or "*"] = script
        return script

    def fail(
        self,
        to: str | None,
        code: int,
        *,
        status: int | None = None,
        message: str | None = None,
        retry_after: str | None = None,
        times: int | None = None,
    ) -> Script:
        """Sends to ``to`` fail with Twilio error ``code`` (21610, 21211, 21614, 20429…)."""
        return self.script(
            to, code=code, status=status, message=message, retry_after=retry_after, times=times
        )

    def down(
        self, to: str | None = None, status: int = 503, *, html: bool = False, times=None
    ) -> Script:
        """Twilio is down: 5xx with error JSON (20500/20503), or a load balancer's HTML page."""
        code = 20503 if status == 503 else 20500
        raw = b"<html><body><h1>503 Service Unavailable</h1></body></html>" if html else None
        return self.script(to, code=code, status=status, raw_body=raw, times=times)

    def slow(self, to: str | None = None, seconds: float = 5.0, *, times=None) -> Script:
        """Answer sends to ``to`` only after ``seconds`` (and then accept the message anyway)."""
        return self.script(to, delay=seconds, times=times)

    def clear_scripts(self) -> None:
        with self._lock:
            self._scripts.clear()

    # -- media -------------------------------------------------------------------------------

    def add_media(
        self,
        content: bytes,
        content_type: str = "image/jpeg",
        *,
        message_sid: str | None = None,
        redirect: bool = False,
        cdn: FakeTwilio | None = None,
        redirect_to: str | None = None,
        redirect_status: int = 307,
        chunked: bool = False,
    ) -> str:
        """Store media and return its Twilio URL (``…/Messages/MM…/Media/ME…``, Basic auth needed).

        ``redirect``: the URL answers ``redirect_status`` to an unauthenticated ``/cdn/…`` URL of
        this server holding the bytes; ``cdn``: of that other fake instead (another origin).
        ``redirect_to``: redirect to that URL (``content`` is then only this URL's own record).
        ``chunked``: the bytes are sent without a Content-Length.
        """
        media_sid = new_sid("ME")
        message_sid = message_sid or new_sid("MM")
        blob = _Blob(content, content_type, chunked)
        if redirect_to is None and (redirect or cdn is not None):
            redirect_to = (cdn or self).cdn_object(content, content_type, chunked=chunked)
        with self._lock:
            self._media[media_sid] = _Media(
                media_sid, message_sid, blob, redirect_to, redirect_status
            )
        return f"{self.base_url}/{API_VERSION}/Accounts/{self.account_sid}/Messages/{message_sid}/Media/{media_sid}"

    def cdn_object(self, content: bytes, content_type: str, *, chunked: bool = False) -> str:
        """Store bytes at an unauthenticated, unguessable ``/cdn/…`` URL (like a signed CDN URL)."""
        token = uuid.uuid4().hex
        with self._lock:
            self._cdn[token] = _Blob(content, content_type, chunked)
        return f"{self.base_url}/cdn/{token}"

    # -- status callbacks --------------------------------------------------------------------

    def message(self, sid: str) -> FakeMessage:
        for message in self.messages:
            if message.sid == sid:
                return message
        raise KeyError(sid)

    def deliver(
        self,
        sid: str,
        status: str = "delivered",
        error_code: int | None = None,
        *,
        steps: Iterable[str] | None = None,
        timeout: float = 5.0,
    ) -> list[Callback]:
        """Move message ``sid`` on to ``status`` and POST each step to its StatusCallback, signed.

        Steps as Twilio reports them (no callback for the initial "queued"): delivered ->
        sent, delivered; undelivered -> sent, undelivered (with ErrorCode); failed -> failed
        (with ErrorCode); ``steps`` overrides. Returns the callbacks posted (none without a
        StatusCallback). Only loopback callback URLs are ever posted to.
        """
        message = self.message(sid)
        if steps is None:
            steps = {
                "delivered": ("sent", "delivered"),
                "undelivered": ("sent", "undelivered"),
            }.get(status, (status,))
        steps = list(steps)
        posted: list[Callback] = []
        for i, step in enumerate(steps):
            last = i == len(steps) - 1
            message.status = step
            if last and error_code is not None:
                message.error_code = error_code
            if not message.status_callback:
                continue
            params = {
                "AccountSid": message.account_sid,
                "ApiVersion": API_VERSION,
                "From": message.from_ or "",
                "MessageSid": message.sid,
                "MessageStatus": step,
                "SmsSid": message.sid,
                "SmsStatus": step,
                "To": message.to,
            }
            if message.messaging_service_sid:
                params["MessagingServiceSid"] = message.messaging_service_sid
            if last and error_code is not None:
                params["ErrorCode"] = str(error_code)
            if step == "delivered":
                params["RawDlrDoneDate"] = datetime.now(UTC).strftime("%y%m%d%H%M")
            callback = self._post(message.status_callback, params, timeout)
            posted.append(callback)
        return posted

    def _post(self, url: str, params: dict[str, str], timeout: float) -> Callback:
        host = urlsplit(url).hostname or ""
        if host not in LOOPBACK_HOSTS:
            raise ValueError(f"the fake only posts callbacks over loopback, not to {url}")
        headers, body = signed_request(self.auth_token, url, params)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        status: int | None
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                status, answer_body = answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            status, answer_body = exc.code, exc.read()
        except OSError:
            status, answer_body = None, b""
        callback = Callback(url, params, headers, status, answer_body)
        with self._lock:
            self.callbacks.append(callback)
        return callback

    # -- inbound webhooks --------------------------------------------------------------------

    def signature(self, url: str, params: Mapping[str, str]) -> str:
        return twilio_signature(self.auth_token, url, params)

    def signed_inbound(self, url: str, params: Mapping[str, str]) -> tuple[dict[str, str], bytes]:
        """(headers, body) of Twilio's POST of ``params`` to ``url``, signed with this auth token."""
        return signed_request(self.auth_token, url, params)

    def inbound_params(
        self,
        from_: str,
        to: str,
        body: str,
        media: Iterable[str | tuple[str, str]] = (),
        *,
        message_sid: str | None = None,
        messaging_service_sid: str | None = None,
        geo: bool = True,
        **extra: str | None,
    ) -> dict[str, str]:
        """The parameters of an inbound SMS/MMS webhook, as Twilio sends them.

        ``media``: URLs from :meth:`add_media` (their content type is known) or (url, type)
        pairs. The MessageSid is "SM…" for a text, "MM…" with media (taken from the media
        URLs when they carry one). ``geo``: the carrier-derived FromCity/FromState/… hints.
        ``extra`` adds parameters; a None value removes one.
        """
        items: list[tuple[str, str]] = []
        for item in media:
            if isinstance(item, str):
                items.append((item, self._media_type(item)))
            else:
                items.append((item[0], item[1]))
        if message_sid is None and items:
            found = re.search(r"/Messages/([A-Z]{2}[0-9a-f]{32})/Media/", items[0][0])
            message_sid = found.group(1) if found else None
        sid = message_sid or new_sid("MM" if items else "SM")
        params: dict[str, str] = {
            "SmsMessageSid": sid,
            "NumMedia": str(len(items)),
            "SmsSid": sid,
            "SmsStatus": "received",
            "Body": body,
            "To": to,
            "NumSegments": str(segments(body)),
            "MessageSid": sid,
            "AccountSid": self.account_sid,
            "From": from_,
            "ApiVersion": API_VERSION,
        }
        if messaging_service_sid:
            params["MessagingServiceSid"] = messaging_service_sid
        if geo:
            params.update(
                FromCity="CHICAGO",
                FromState="IL",
                FromZip="60601",
                FromCountry="US",
                ToCity="CHICAGO",
                ToState="IL",
                ToZip="60602",
                ToCountry="US",
            )
        for i, (url, content_type) in enumerate(items):
            params[f"MediaUrl{i}"] = url
            params[f"MediaContentType{i}"] = content_type
        for name, value in extra.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = value
        return params

    def _media_type(self, url: str) -> str:
        media_sid = url.rstrip("/").rsplit("/", 1)[-1]
        with self._lock:
            media = self._media.get(media_sid)
        return media.blob.content_type if media else "image/jpeg"

    # -- the server side ---------------------------------------------------------------------

    def _authorized(self, header: str | None) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return hmac.compare_digest(user, self.account_sid) & hmac.compare_digest(
            password, self.auth_token
        )

    def _take_script(self, to: str) -> Script | None:
        with self._lock:
            key = to if to in self._scripts else "*" if "*" in self._scripts else None
            if key is None:
                return None
            script = self._scripts[key]
            if script.times is not None:
                script.times -= 1
                if script.times <= 0:
                    del self._scripts[key]
            return script


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeTwilio

    def process_request(self, request, client_address):
        with self.fake._lock:
            self.fake.connections += 1
        super().process_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    @property
    def fake(self) -> FakeTwilio:
        return self.server.fake

    def _record(self) -> SeenRequest:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        form: dict[str, list[str]] = {}
        if "x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            form = parse_qs(body.decode(), keep_blank_values=True)
        seen = SeenRequest(
            self.command,
            self.path,
            {name.lower(): value for name, value in self.headers.items()},
            body,
            form,
        )
        with self.fake._lock:
            self.fake.requests.append(seen)
        return seen

    # -- answers ---------------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
        chunked: bool = False,
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Twilio-Request-Id", new_sid("RQ"))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if not chunked:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "HEAD":
                return
            for start in range(0, len(body), 64 * 1024):
                self.wfile.write(body[start : start + 64 * 1024])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (a size cap, a timeout)

    def _json(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8", headers)

    def _error(self, code: int, status: int | None = None, message: str | None = None) -> None:
        payload = error_body(code, status, message)
        self._json(payload["status"], payload)

    def _unauthorized(self) -> None:
        payload = error_body(20003)
        self._json(401, payload, {"WWW-Authenticate": 'Basic realm="Twilio API"'})

    # -- routes ----------------------------------------------------------------------------

    def do_POST(self) -> None:
        seen = self._record()
        path = urlsplit(self.path).path
        if match := _MESSAGES.match(path):
            if not self.fake._authorized(self.headers.get("Authorization")):
                return self._unauthorized()
            if match["account"] != self.fake.account_sid:
                return self._error(20404, message=f"The requested resource {path} was not found")
            return self._create_message(match["account"], seen.form)
        self._error(20404, message=f"The requested resource {path} was not found")

    def do_GET(self) -> None:
        self._record()
        path = urlsplit(self.path).path
        if match := _CDN.match(path):
            with self.fake._lock:
                blob = self.fake._cdn.get(match["token"])
            if blob is None:
                return self._send(404, b"Not Found", "text/plain")
            return self._send(200, blob.content, blob.content_type, chunked=blob.chunked)
        if listing := _MESSAGES.match(path):
            if not self.fake._authorized(self.headers.get("Authorization")):
                return self._unauthorized()
            return self._list_messages(listing["account"], path)
        route = _MEDIA.match(path) or _MESSAGE.match(path)
        if route is None:
            return self._error(20404, message=f"The requested resource {path} was not found")
        if not self.fake._authorized(self.headers.get("Authorization")):
            return self._unauthorized()
        if route["account"] != self.fake.account_sid:
            return self._error(20404, message=f"The requested resource {path} was not found")
        if route.re is _MESSAGE:
            try:
                return self._json(200, self.fake.message(route["sid"]).resource())
            except KeyError:
                return self._error(20404, message=f"The requested resource {path} was not found")
        with self.fake._lock:
            media = self.fake._media.get(route["media"])
        if media is None or media.message_sid != route["message"]:
            return self._error(20404, message=f"The requested resource {path} was not found")
        if route["json"]:
            created = format_datetime(datetime.now(UTC))
            return self._json(
                200,
                {
                    "account_sid": self.fake.account_sid,
                    "content_type": media.blob.content_type,
                    "date_created": created,
                    "date_updated": created,
                    "parent_sid": media.message_sid,
                    "sid": media.sid,
                    "uri": path,
                },
            )
        if media.redirect_to:
            return self._send(
                media.redirect_status,
                b"",
                "text/html",
                {"Location": media.redirect_to},
            )
        self._send(200, media.blob.content, media.blob.content_type, chunked=media.blob.chunked)

    def _list_messages(self, account: str, path: str) -> None:
        query = parse_qs(urlsplit(self.path).query)
        to, from_ = query.get("To", [None])[0], query.get("From", [None])[0]
        size = int(query.get("PageSize", ["50"])[0])
        with self.fake._lock:
            found = [
                m
                for m in reversed(self.fake.messages)
                if m.account_sid == account
                and (to is None or m.to == to)
                and (from_ is None or m.from_ == from_)
            ][:size]
        self._json(
            200,
            {
                "messages": [m.resource() for m in found],
                "end": max(len(found) - 1, 0),
                "first_page_uri": path,
                "next_page_uri": None,
                "page": 0,
                "page_size": size,
                "previous_page_uri": None,
                "start": 0,
                "uri": path,
            },
        )

    def _create_message(self, account: str, form: dict[str, list[str]]) -> None:
        def first(name: str) -> str | None:
            values = form.get(name)
            return values[0] if values else None

        to = first("To")
        from_ = first("From")
        service = first("MessagingServiceSid")
        body = first("Body") or ""
        media_urls = form.get("MediaUrl", [])
        if not to:
            return self._error(21604)
        if not from_ and not service:
            return self._error(21603)
        if not body and not media_urls:
            return self._error(21602)
        script = self.fake._take_script(to)
        if script is not None:
            if script.delay and self.fake._closing.wait(script.delay):
                return  # the fake is closing: no answer at all
            if script.raw_body is not None:
                return self._send(script.status or 503, script.raw_body, "text/html")
            if script.code is not None:
                headers = {"Retry-After": script.retry_after} if script.retry_after else None
                payload = error_body(script.code, script.status, script.message)
                return self._json(payload["status"], payload, headers)
        message = FakeMessage(
            sid=new_sid("SM"),
            account_sid=account,
            to=to,
            from_=from_,
            messaging_service_sid=service,
            body=body,
            media_urls=list(media_urls),
            status_callback=first("StatusCallback"),
            # A Messaging Service's messages start "accepted" (it picks the sender later).
            status="queued" if from_ else "accepted",
            num_segments=segments(body),
            date_created=datetime.now(UTC).replace(microsecond=0),
            form=form,
        )
        with self.fake._lock:
            self.fake.messages.append(message)
        self._json(201, message.resource())
