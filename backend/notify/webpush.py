"""Web Push sending for status updates to residents' browsers: VAPID keys (RFC 8292), payloads
encrypted for the subscription (RFC 8291, aes128gcm) by pywebpush, POSTed to the push service.

    keys = load_or_create_vapid_keys(settings.data_dir)   # keys.public_key -> the web page
    sender = WebPushSender(keys)
    message_id = await sender.send(endpoint, p256dh, auth, {"title": …, "url": …})

The push service's answers become exceptions the outbox can act on, all ``PushError``:

- ``PushGone`` (404, 410): the subscription is no more; delete it. Permanent.
- ``PushRejected`` (other 4xx, and what is refused before sending: an endpoint that is not https,
  malformed subscription keys, a payload over Web Push's 4 KB): permanent, ``status`` and ``body``
  (an excerpt of the answer) say why.
- ``PushUnavailable`` (429, 5xx, 408, timeouts, connection failures): try again later, after
  ``retry_after`` seconds when the service said so.

An endpoint is a capability URL (whoever holds it can push to that browser): logs and error messages
carry its host and last 6 characters only.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import http.cookiejar
import json
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02, VapidException
from pywebpush import WebPusher, WebPushException
from requests.adapters import HTTPAdapter

from backend.city import CITY
from backend.retry_after import retry_after_seconds

log = logging.getLogger("city311.notify.webpush")

ENV_PRIVATE_KEY = "VAPID_PRIVATE_KEY"  # a PEM, or the path of one; wins over the generated key
KEY_FILE = "vapid_private.pem"
DEFAULT_SUBJECT = f"mailto:{CITY.contact_email}"
URGENCIES = ("very-low", "low", "normal", "high")  # RFC 8030 §5.3
MAX_RECORD = 4096  # the largest encrypted body push services take (one aes128gcm record)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")  # plain http allowed there only (tests, a local fake)
JWT_LIFETIME = 12 * 60 * 60  # RFC 8292: no more than 24 h; 12 h as pywebpush does
JWT_RENEW_BEFORE = 60 * 60  # a cached JWT is re-signed when less than this is left of it
_EXCERPT = 1024  # bytes of an error answer kept (and read at all)

# Hosts of the browsers' push services, for registering subscriptions: see is_known_push_service.
KNOWN_PUSH_SERVICES = (
    "fcm.googleapis.com",  # Chrome, Edge (Chromium), Opera, Samsung Internet, Brave
    "android.googleapis.com",  # old Chrome subscriptions
    ".push.services.mozilla.com",  # Firefox
    ".notify.windows.com",  # legacy Edge
    ".push.apple.com",  # Safari (web.push.apple.com)
)


# -- errors ---------------------------------------------------------------------------------------


class PushError(Exception):
    """A push not accepted. ``permanent``: retrying this push cannot help. ``status``: the push
    service's HTTP status (None when no answer came: refused before sending, a timeout, no
    connection). ``retry_after``: seconds the service asked to wait. ``body``: the start of the
    service's answer."""

    permanent: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.body = body

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class PushGone(PushError):
    """404/410: the subscription has expired or was withdrawn. Delete it."""

    permanent = True


class PushRejected(PushError):
    """The push service refused this push for good (400, 401, 403, 413…), or it was not sent at
    all because it could not succeed (not https, malformed keys, too large)."""

    permanent = True


class PushUnavailable(PushError):
    """Not now (429, 5xx, a timeout, no connection): try again, after ``retry_after`` if set.
    ``maybe_sent``: the request went out but no answer came, so the browser may get it twice."""

    permanent = False

    def __init__(self, message: str, *, maybe_sent: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.maybe_sent = maybe_sent


# -- VAPID keys -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VapidKeys:
    private_pem: bytes  # PKCS#8 PEM of the P-256 private key
    public_key: (
        str  # applicationServerKey: base64url uncompressed P-256 point (pushManager.subscribe)
    )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    text = text.strip()
    if not text or any(ch not in _B64URL for ch in text.rstrip("=")):
        raise ValueError("not base64url")
    text = text.rstrip("=").replace("+", "-").replace("/", "_")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/")


def _keys_of(key: ec.EllipticCurvePrivateKey) -> VapidKeys:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(private_pem=pem, public_key=_b64url(point))


def _load_pem(pem: bytes, where: str) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        # (the key itself is never put in a message)
        raise ValueError(f"{where}: not a readable unencrypted PEM private key") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError(f"{where}: a VAPID key must be an EC P-256 (prime256v1) key")
    return key


def _key_from_setting(value: str) -> ec.EllipticCurvePrivateKey:
    where = f"${ENV_PRIVATE_KEY}"
    if "-----BEGIN" in value:
        # one line with literal "\n" as .env files and container settings often carry it
        return _load_pem(value.replace("\\n", "\n").encode(), where)
    path = Path(value).expanduser()
    if path.is_file():
        try:
            return _load_pem(path.read_bytes(), f"{where} ({path})")
        except OSError as exc:
            raise ValueError(f"{where}: {path} cannot be read: {exc.strerror}") from None
    try:  # the raw 32-byte private key in base64url, as `web-push generate-vapid-keys` prints it
        raw = _b64url_decode(value)
        if len(raw) == 32:
            return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        pass
    raise ValueError(
        f"{where} is neither a PEM, nor the path of a readable PEM file, nor a base64url P-256 "
        "private key"
    )


def _read_key_file(path: Path) -> VapidKeys:
    pem = path.read_bytes()
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        log.warning("%s is readable by others (mode %o): chmod 600 it", path, mode)
    return _keys_of(_load_pem(pem, str(path)))


def _create_key_file(path: Path) -> None:
    """Writes a new key to ``path`` unless one is there: a complete file appears at once (written
    aside, then hard-linked, which fails rather than replaces), so processes starting together all
    end up reading the one that won."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = _keys_of(key).private_pem
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return  # another process was first: its key is the key
        except OSError:
            # no hard links on this file system: create it exclusively instead (a reader racing
            # us may see it short for a moment: load_or_create_vapid_keys retries)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return
            try:
                os.write(fd, pem)
                os.fsync(fd)
            finally:
                os.close(fd)
    finally:
        tmp.unlink(missing_ok=True)
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def load_or_create_vapid_keys(data_dir: Path) -> VapidKeys:
    """The server's VAPID keys: ``$VAPID_PRIVATE_KEY`` when set (a PEM, or its path), else
    ``data_dir/vapid_private.pem``, generated (mode 0600) the first time. Browsers subscribe with
    the public key, so the key must stay: a damaged file is an error, never replaced."""
    configured = os.environ.get(ENV_PRIVATE_KEY, "").strip()
    if configured:
        return _keys_of(_key_from_setting(configured))
    path = Path(data_dir) / KEY_FILE
    try:
        return _read_key_file(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    _create_key_file(path)
    deadline = time.monotonic() + 2.0
    while True:
        try:
            keys = _read_key_file(path)
        except ValueError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)  # another process is still writing it (no-hard-link file systems)
            continue
        log.info("VAPID keys in %s (applicationServerKey %s)", path, keys.public_key)
        return keys


# -- endpoints ----------------------------------------------------------------------------------------


def redact_endpoint(endpoint: str) -> str:
    """'https://fcm.googleapis.com/fcm/send/cV3…Xq9fZ1' -> 'fcm.googleapis.com/…Xq9fZ1'."""
    try:
        host = urlsplit(endpoint).hostname or "?"
    except ValueError:
        host = "?"
    return f"{host}/…{endpoint[-6:]}"


def check_endpoint(endpoint: str) -> None:
    """PushRejected unless ``endpoint`` is an https URL without credentials (or http on
    127.0.0.1/localhost, for tests)."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
        parts.port  # noqa: B018 (raises on a bad port)
    except (ValueError, TypeError):
        raise PushRejected(f"endpoint {redact_endpoint(str(endpoint))} is not a URL") from None
    if not host:
        raise PushRejected(f"endpoint {redact_endpoint(endpoint)} has no host")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise PushRejected(f"endpoint {redact_endpoint(endpoint)} has credentials in it")
    scheme = parts.scheme.lower()
    if scheme == "https" or (scheme == "http" and host.lower() in LOOPBACK_HOSTS):
        return
    raise PushRejected(f"endpoint {redact_endpoint(endpoint)} is not https")


def is_known_push_service(endpoint: str) -> bool:
    """Whether ``endpoint`` is on a browser vendor's push service (KNOWN_PUSH_SERVICES): for the
    API that registers subscriptions, so the sender never POSTs to hosts a client made up."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme != "https" or parts.username is not None or parts.password is not None:
        return False
    return any(
        host.endswith(known) if known.startswith(".") else host == known
        for known in KNOWN_PUSH_SERVICES
    )


def subscription_key_problem(p256dh: str, auth: str) -> tuple[str, str] | None:
    """("p256dh" or "auth", what is wrong) when a subscription's keys cannot be used to encrypt
    for it: p256dh must be an uncompressed point on P-256, auth 16 bytes; None when both can."""
    try:
        point = _b64url_decode(p256dh)
        if len(point) != 65 or point[0] != 4:
            raise ValueError("not an uncompressed point")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, TypeError, AttributeError, binascii.Error):
        return "p256dh", "the subscription's p256dh is not a P-256 public key"
    try:
        secret = _b64url_decode(auth)
    except (ValueError, TypeError, AttributeError, binascii.Error):
        secret = b""
    if len(secret) != 16:
        return "auth", "the subscription's auth secret is not 16 bytes of base64url"
    return None


def _subscription_keys(p256dh: str, auth: str) -> None:
    if problem := subscription_key_problem(p256dh, auth):
        raise PushRejected(problem[1])


# -- sending -------------------------------------------------------------------------------------------


class _RedactFilter(logging.Filter):
    """Rewrites urllib3's records made while this thread sends a push, which name the request's
    path (the secret part of the endpoint)."""

    local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        secret = getattr(self.local, "secret", None)
        if secret:
            message = record.getMessage()
            if secret[0] in message:
                record.msg, record.args = message.replace(secret[0], secret[1]), ()
        return True


_redact = _RedactFilter()
for _name in ("urllib3.connectionpool", "urllib3.connection", "urllib3.util.retry"):
    _logger = logging.getLogger(_name)
    if not any(isinstance(f, _RedactFilter) for f in _logger.filters):
        _logger.addFilter(_redact)


def _session(trust_env: bool) -> requests.Session:
    session = requests.Session()
    session.trust_env = trust_env  # proxies from the environment, except for loopback
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))  # none kept
    adapter = HTTPAdapter(pool_connections=16, pool_maxsize=32)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


@dataclass
class _Answer:
    status: int
    headers: requests.structures.CaseInsensitiveDict
    excerpt: str


class WebPushSender:
    """Sends Web Push messages signed with ``keys``; ``subject`` is the VAPID contact (mailto: or
    https:) push services write to about problems; ``timeout`` bounds connecting and each read."""

    def __init__(
        self, keys: VapidKeys, subject: str = DEFAULT_SUBJECT, timeout: float = 10.0
    ) -> None:
        key = _load_pem(keys.private_pem, "VapidKeys.private_pem")
        if _keys_of(key).public_key != keys.public_key:
            raise ValueError("VapidKeys.public_key is not the public key of private_pem")
        if not (subject.startswith("mailto:") and "@" in subject) and not subject.startswith(
            "https://"
        ):
            raise ValueError(f"the VAPID subject must be a mailto: or https: URL, not {subject!r}")
        self.keys, self.subject, self.timeout = keys, subject, timeout
        self._vapid = Vapid02(private_key=key)
        try:
            self._vapid.sign({"aud": "https://push.example", "sub": subject, "exp": 1})
        except VapidException as exc:
            raise ValueError(f"the VAPID subject {subject!r} is refused: {exc}") from None
        self._jwts: dict[str, tuple[str, int]] = {}  # origin -> (Authorization, exp)
        self._lock = threading.Lock()
        self._sessions = {True: _session(True), False: _session(False)}

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()

    async def send(
        self,
        endpoint: str,
        p256dh: str,
        auth: str,
        payload: dict,
        *,
        ttl: int = 86400,
        urgency: str = "normal",
    ) -> str | None:
        """Encrypts ``payload`` (as JSON) for the subscription and POSTs it: the push service's
        message id (its Location header), or None. Raises PushGone, PushRejected, PushUnavailable.
        ``ttl``: seconds the service keeps it for an offline browser (0: now or never)."""
        if urgency not in URGENCIES:
            raise ValueError(f"urgency must be one of {', '.join(URGENCIES)}, not {urgency!r}")
        if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 0:
            raise ValueError(f"ttl must be a whole number of seconds >= 0, not {ttl!r}")
        check_endpoint(endpoint)
        _subscription_keys(p256dh, auth)
        try:
            data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        except (TypeError, ValueError) as exc:
            raise PushRejected(f"the payload is not JSON-serializable: {exc}") from None
        return await asyncio.to_thread(self._send, endpoint, p256dh, auth, data, ttl, urgency)

    # -- in a worker thread -----------------------------------------------------------------

    def _authorization(self, origin: str) -> str:
        now = int(time.time())
        with self._lock:
            cached = self._jwts.get(origin)
            if cached and cached[1] - now > JWT_RENEW_BEFORE:
                return cached[0]
            exp = now + JWT_LIFETIME
            claims = {"aud": origin, "exp": exp, "sub": self.subject}
            header = self._vapid.sign(claims)["Authorization"]
            self._jwts[origin] = (header, exp)
            return header

    def _send(
        self, endpoint: str, p256dh: str, auth: str, data: bytes, ttl: int, urgency: str
    ) -> str | None:
        where = redact_endpoint(endpoint)
        origin = endpoint_origin(endpoint)
        try:
            pusher = WebPusher({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}})
            body = pusher.encode(data, "aes128gcm")["body"]
        except (WebPushException, ValueError) as exc:
            raise PushRejected(
                f"push to {where}: cannot encrypt for this subscription: {exc}"
            ) from None
        if len(body) > MAX_RECORD:
            raise PushRejected(
                f"push to {where}: the payload is {len(data)} bytes, {len(body)} encrypted; Web Push "
                f"takes {MAX_RECORD} at most"
            )
        try:
            authorization = self._authorization(origin)
        except VapidException as exc:  # an origin py_vapid will not sign for (an IPv6 literal…)
            raise PushRejected(f"push to {where}: cannot sign VAPID for {origin}: {exc}") from None
        headers = {
            "Authorization": authorization,
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(ttl),
            "Urgency": urgency,
        }
        answer = self._post(endpoint, where, body, headers)
        status = answer.status
        if 200 <= status < 300:
            location = answer.headers.get("Location") or None
            log.debug("push to %s: %s", where, status)
            return location
        retry_after = retry_after_seconds(answer.headers.get("Retry-After"))
        detail = f": {answer.excerpt}" if answer.excerpt else ""
        message = f"push to {where}: {status}{detail}"
        if status in (404, 410):
            log.info("push to %s: %s, the subscription is gone", where, status)
            raise PushGone(message, status=status, body=answer.excerpt)
        if status == 429 or status == 408 or status >= 500:
            log.warning("push to %s: %s (retry after %s s)", where, status, retry_after)
            raise PushUnavailable(
                message, status=status, retry_after=retry_after, body=answer.excerpt
            )
        log.warning("push to %s rejected: %s%s", where, status, detail)
        raise PushRejected(message, status=status, body=answer.excerpt)

    def _post(self, endpoint: str, where: str, body: bytes, headers: dict[str, str]) -> _Answer:
        parts = urlsplit(endpoint)
        secret = parts.path + (f"?{parts.query}" if parts.query else "")
        local = (parts.hostname or "").lower() in LOOPBACK_HOSTS
        session = self._sessions[not local]
        _RedactFilter.local.secret = (secret, "/…" + endpoint[-6:])
        try:
            response = session.post(
                endpoint,
                data=body,
                headers=headers,
                timeout=(self.timeout, self.timeout),
                allow_redirects=False,
                stream=True,
            )
            try:
                raw = response.raw.read(_EXCERPT, decode_content=True) or b""
            except Exception:  # a broken error body: the status is what matters
                raw = b""
            finally:
                response.close()
        except requests.Timeout as exc:
            sent = not isinstance(exc, requests.ConnectTimeout)
            what = "timed out waiting for an answer" if sent else "timed out connecting"
            log.warning("push to %s: %s after %s s", where, what, self.timeout)
            raise PushUnavailable(f"push to {where}: {what}", maybe_sent=sent) from None
        except requests.RequestException as exc:
            reason = _scrub(str(exc), endpoint, secret)
            log.warning("push to %s: %s: %s", where, type(exc).__name__, reason)
            raise PushUnavailable(f"push to {where}: {type(exc).__name__}: {reason}") from None
        finally:
            _RedactFilter.local.secret = None
        excerpt = raw.decode("utf-8", "replace").strip()
        return _Answer(response.status_code, response.headers, excerpt)


def endpoint_origin(endpoint: str) -> str:
    """The endpoint's origin as a VAPID ``aud``: scheme://host[:port], a default port left out."""
    parts = urlsplit(endpoint)
    scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    if ":" in host:
        host = f"[{host}]"
    if port is None or (scheme, port) in (("https", 443), ("http", 80)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _scrub(text: str, endpoint: str, secret: str) -> str:
    """``text`` without the endpoint's secret part (requests' messages quote the URL)."""
    tail = "/…" + endpoint[-6:]
    text = text.replace(endpoint, redact_endpoint(endpoint))
    if secret:
        text = text.replace(secret, tail)
    return text
