"""A Web Push service (RFC 8030/8291/8292) on 127.0.0.1 for tests: it checks and decrypts what it gets.

It plays the browser vendor's push service (FCM, Mozilla autopush…) for subscriptions it hands out
itself: :meth:`FakePushService.new_subscription` returns what a browser's
``PushSubscription.toJSON()`` gives a page (``{"endpoint", "keys": {"p256dh", "auth"}}``) and keeps
the subscription's private key, so it can read the pushes.

Every ``POST /push/<token>`` is checked the way a real push service checks it, in this order:

1. scripted answers (:meth:`fail`: 429/500/503… with ``Retry-After``; :meth:`slow`: answer late);
2. ``404`` for a token it never issued, ``410 Gone`` for one :meth:`expire`\\d;
3. ``Authorization: vapid t=<JWT>, k=<key>`` (RFC 8292): ``401`` when missing, malformed, or the
   claims are wrong (``aud`` is not this service's origin, ``exp`` passed or more than 24 h ahead,
   ``sub`` neither ``mailto:`` nor ``https:``); ``403`` when the ES256 signature does not verify with
   ``k``, or ``k`` is not the ``applicationServerKey`` the subscription was made with;
4. ``400`` without a ``TTL`` header (or a bad one), with an unknown ``Urgency``, or with a
   ``Content-Encoding`` other than ``aes128gcm``; ``413`` for a body over 4096 bytes;
5. the body decrypted with ``http_ece`` (RFC 8291: the subscription's EC key and auth secret),
   ``400`` when that fails; otherwise the JSON is recorded in :attr:`received` and the answer is
   ``201 Created`` with ``Location: <base_url>/message/<id>``.

Error answers carry autopush-like JSON: ``{"code", "error", "message"}``.

    with FakePushService() as push:
        sub = push.new_subscription()
        ...  # send to sub["endpoint"] with sub["keys"]
        assert push.received[0].payload == {...}
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

MAX_BODY = 4096  # what FCM and autopush accept, encrypted
MAX_EXP_AHEAD = 24 * 60 * 60  # RFC 8292 §2: exp no more than 24 hours from the request
URGENCIES = ("very-low", "low", "normal", "high")  # RFC 8030 §5.3

_PUSH = re.compile(r"^/push/(?P<token>[A-Za-z0-9_-]+)$")
_SUB = re.compile(r"^(mailto:[^@\s]+@[^@\s]+|https://[^\s/]+(/\S*)?)$", re.IGNORECASE)


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_b64(key: ec.EllipticCurvePrivateKey) -> str:
    """The uncompressed P-256 point of ``key``, base64url: a p256dh or an applicationServerKey."""
    return b64url_encode(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def sign_jwt(key: ec.EllipticCurvePrivateKey, claims: dict[str, Any]) -> str:
    """An ES256 JWT of ``claims`` signed by ``key`` (for tests that forge VAPID headers)."""
    header = b64url_encode(b'{"typ":"JWT","alg":"ES256"}')
    body = b64url_encode(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{body}".encode()
    r, s = utils.decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    return f"{header}.{body}.{b64url_encode(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


class VapidError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def parse_vapid(header: str | None) -> tuple[str, str]:
    """``(token, key)`` from ``Authorization: vapid t=<JWT>, k=<key>``; VapidError(401) if malformed."""
    if not header:
        raise VapidError(401, "missing Authorization header")
    scheme, _, params = header.strip().partition(" ")
    if scheme.lower() != "vapid":
        raise VapidError(401, f"Authorization scheme must be vapid, not {scheme!r}")
    parts: dict[str, str] = {}
    for item in params.split(","):
        name, sep, value = item.strip().partition("=")
        if sep:
            parts[name.strip().lower()] = value.strip()
    if not parts.get("t") or not parts.get("k"):
        raise VapidError(401, "Authorization must carry t= and k=")
    return parts["t"], parts["k"]


def verify_vapid(token: str, key: str, *, audience: str, now: float | None = None) -> dict:
    """The claims of a VAPID JWT, checked as RFC 8292 says; VapidError(401/403) otherwise."""
    now = time.time() if now is None else now
    try:
        point = b64url_decode(key)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, binascii.Error) as exc:
        raise VapidError(401, f"k is not a P-256 public key: {exc}") from None
    pieces = token.split(".")
    if len(pieces) != 3:
        raise VapidError(401, "t is not a JWS compact serialization")
    try:
        header = json.loads(b64url_decode(pieces[0]))
        claims = json.loads(b64url_decode(pieces[1]))
        signature = b64url_decode(pieces[2])
    except (ValueError, binascii.Error):
        raise VapidError(401, "t is not a readable JWT") from None
    if not isinstance(header, dict) or header.get("alg") != "ES256":
        raise VapidError(401, "JWT alg must be ES256")
    if header.get("typ") not in (None, "JWT"):
        raise VapidError(401, "JWT typ must be JWT")
    if len(signature) != 64:
        raise VapidError(403, "ES256 signature must be 64 bytes (r || s)")
    der = utils.encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public.verify(der, f"{pieces[0]}.{pieces[1]}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise VapidError(403, "VAPID signature does not verify with k") from None
    if not isinstance(claims, dict):
        raise VapidError(401, "JWT claims must be an object")
    if claims.get("aud") != audience:
        raise VapidError(401, f"aud must be {audience!r}, got {claims.get('aud')!r}")
    exp = claims.get("exp")
    if not isinstance(exp, int) or isinstance(exp, bool):
        raise VapidError(401, "exp must be an integer")
    if exp <= now:
        raise VapidError(401, "the JWT has expired")
    if exp > now + MAX_EXP_AHEAD:
        raise VapidError(401, "exp is more than 24 hours ahead")
    if not isinstance(claims.get("sub"), str) or not _SUB.match(claims["sub"]):
        raise VapidError(401, "sub must be a mailto: or https: URL")
    return claims


@dataclass
class Delivery:
    """One push the fake accepted and decrypted."""

    endpoint: str
    payload: Any  # the decrypted body read as JSON (None if it was not JSON)
    plaintext: bytes
    ttl: int
    urgency: str | None  # the Urgency header, None when absent (RFC 8030: then "normal")
    topic: str | None
    message_id: str
    location: str
    vapid_claims: dict[str, Any]
    vapid_key: str  # the k= of the Authorization header (the sender's applicationServerKey)
    headers: dict[str, str]  # names lower-cased


@dataclass
class SeenRequest:
    """Every request, accepted or not, with the status it was answered."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    status: int = 0
    reason: str = ""


@dataclass
class Script:
    status: int | None = None  # None: answer normally (after `delay`)
    retry_after: str | None = None
    body: str | None = None
    delay: float = 0.0
    endpoint: str | None = None  # only for this endpoint; None: every one
    times: int | None = 1  # this many requests, then normally; None: always


@dataclass
class _Subscription:
    token: str
    endpoint: str
    key: ec.EllipticCurvePrivateKey
    auth: bytes
    application_server_key: str | None
    expired: bool = False


@dataclass
class _Answer:
    status: int
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


class FakePushService:
    """A running push service on ``base_url`` (127.0.0.1, a free port); ``close()`` or ``with``."""

    def __init__(self) -> None:
        self.received: list[Delivery] = []
        self.requests: list[SeenRequest] = []
        self.connections = 0
        self._subscriptions: dict[str, _Subscription] = {}
        self._scripts: list[Script] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)
        self.base_url = f"http://{host}:{port}"
        self.origin = self.base_url  # what a VAPID aud must be
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

    def __enter__(self) -> FakePushService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- subscriptions ---------------------------------------------------------------------

    def new_subscription(self, *, application_server_key: str | None = None) -> dict[str, Any]:
        """A browser-like subscription (``PushSubscription.toJSON()``) whose private key the fake
        keeps. With ``application_server_key`` it is restricted to that VAPID key, as browsers make
        them (pushes signed by another key get 403)."""
        token = secrets.token_urlsafe(48)
        key = ec.generate_private_key(ec.SECP256R1())
        auth = secrets.token_bytes(16)
        endpoint = f"{self.base_url}/push/{token}"
        with self._lock:
            self._subscriptions[token] = _Subscription(
                token, endpoint, key, auth, application_server_key
            )
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": public_key_b64(key), "auth": b64url_encode(auth)},
        }

    def expire(self, endpoint: str) -> None:
        """The subscription at ``endpoint`` is gone (the user unsubscribed): 410 from now on."""
        token = self._token(endpoint)
        with self._lock:
            self._subscriptions[token].expired = True

    def deliveries(self, endpoint: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self.received if d.endpoint == endpoint]

    # -- scripting ---------------------------------------------------------------------------

    def fail(
        self,
        status: int,
        *,
        times: int | None = 1,
        retry_after: float | str | None = None,
        body: str | None = None,
        endpoint: str | None = None,
    ) -> Script:
        """The next ``times`` pushes (None: all) are answered ``status`` (429, 500, 503, 400,
        413…) before any check, with ``Retry-After: retry_after`` when given."""
        if status < 400:
            raise ValueError("fail() scripts error statuses")
        script = Script(
            status=status,
            retry_after=None if retry_after is None else str(retry_after),
            body=body,
            endpoint=endpoint,
            times=times,
        )
        with self._lock:
            self._scripts.append(script)
        return script

    def slow(
        self, seconds: float, *, times: int | None = None, endpoint: str | None = None
    ) -> Script:
        """Pushes are answered only after ``seconds`` (and then handled normally)."""
        script = Script(delay=seconds, endpoint=endpoint, times=times)
        with self._lock:
            self._scripts.append(script)
        return script

    def clear_scripts(self) -> None:
        with self._lock:
            self._scripts.clear()

    # -- internals ---------------------------------------------------------------------------

    def _token(self, endpoint: str) -> str:
        parts = urlsplit(endpoint)
        match = _PUSH.match(parts.path)
        if not match or f"{parts.scheme}://{parts.netloc}" != self.base_url:
            raise ValueError("not an endpoint of this push service")
        return match["token"]

    def _take_script(self, endpoint: str) -> Script | None:
        with self._lock:
            for script in self._scripts:
                if script.endpoint not in (None, endpoint):
                    continue
                if script.times is not None:
                    script.times -= 1
                    if script.times <= 0:
                        self._scripts.remove(script)
                return script
        return None

    def _handle_push(self, token: str, seen: SeenRequest) -> _Answer:
        endpoint = f"{self.base_url}/push/{token}"
        script = self._take_script(endpoint)
        if script is not None:
            if script.delay:
                self._closing.wait(script.delay)
            if script.status is not None:
                headers = {"Retry-After": script.retry_after} if script.retry_after else {}
                body = script.body.encode() if script.body is not None else None
                return _Answer(script.status, "scripted failure", headers, body)
        with self._lock:
            sub = self._subscriptions.get(token)
        if sub is None:
            return _Answer(404, "no such subscription")
        if sub.expired:
            return _Answer(410, "the subscription has expired or was unsubscribed")

        headers = seen.headers
        try:
            jwt, key = parse_vapid(headers.get("authorization"))
            claims = verify_vapid(jwt, key, audience=self.origin)
        except VapidError as exc:
            return _Answer(exc.status, exc.message)
        if sub.application_server_key is not None and key != sub.application_server_key:
            return _Answer(403, "k is not the applicationServerKey of this subscription")

        ttl_header = headers.get("ttl")
        if ttl_header is None or not ttl_header.strip().isdigit():
            return _Answer(400, "a TTL header (seconds, >= 0) is required")
        urgency = headers.get("urgency")
        if urgency is not None and urgency not in URGENCIES:
            return _Answer(400, f"Urgency must be one of {', '.join(URGENCIES)}")
        if not seen.body:
            return _Answer(400, "this push service takes encrypted payloads only")
        if (headers.get("content-encoding") or "").strip().lower() != "aes128gcm":
            return _Answer(400, "Content-Encoding must be aes128gcm")
        if len(seen.body) > MAX_BODY:
            return _Answer(413, f"the payload is over {MAX_BODY} bytes")
        try:
            plaintext = http_ece.decrypt(
                seen.body, private_key=sub.key, auth_secret=sub.auth, version="aes128gcm"
            )
        except Exception as exc:  # http_ece raises ECEException, cryptography InvalidTag…
            return _Answer(400, f"the payload could not be decrypted: {type(exc).__name__}")
        try:
            payload = json.loads(plaintext)
        except ValueError:
            payload = None

        message_id = secrets.token_urlsafe(16)
        location = f"{self.base_url}/message/{message_id}"
        delivery = Delivery(
            endpoint=endpoint,
            payload=payload,
            plaintext=plaintext,
            ttl=int(ttl_header),
            urgency=urgency,
            topic=headers.get("topic"),
            message_id=message_id,
            location=location,
            vapid_claims=claims,
            vapid_key=key,
            headers=dict(headers),
        )
        with self._lock:
            self.received.append(delivery)
        return _Answer(201, "Created", {"Location": location, "TTL": str(int(ttl_header))})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakePushService

    def process_request(self, request, client_address):
        with self.fake._lock:
            self.fake.connections += 1
        super().process_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as push services do
    server_version = "fake-push"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    @property
    def fake(self) -> FakePushService:
        return self.server.fake

    def _record(self) -> SeenRequest:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = SeenRequest(
            self.command,
            self.path,
            {name.lower(): value for name, value in self.headers.items()},
            body,
        )
        with self.fake._lock:
            self.fake.requests.append(seen)
        return seen

    def _answer(self, seen: SeenRequest, answer: _Answer) -> None:
        seen.status, seen.reason = answer.status, answer.message
        body = answer.body
        if body is None and answer.status >= 400:
            error = {
                "code": answer.status,
                "error": HTTPStatus(answer.status).phrase,
                "message": answer.message,
            }
            body = json.dumps(error).encode()
        body = body or b""
        try:
            self.send_response(answer.status)
            if body:
                self.send_header("Content-Type", "application/json")
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout)

    def do_POST(self) -> None:
        seen = self._record()
        match = _PUSH.match(urlsplit(self.path).path)
        if not match:
            return self._answer(seen, _Answer(404, "not a push resource"))
        self._answer(seen, self.fake._handle_push(match["token"], seen))

    def do_GET(self) -> None:
        seen = self._record()
        self._answer(seen, _Answer(405, "push resources take POST", {"Allow": "POST"}))
