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
import http.cookiejar
import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from py_vapid import Vapid02, VapidException
from pywebpush import WebPusher, WebPushException
from requests.adapters import HTTPAdapter

from backend.city import CITY
from backend.notify.push_endpoints import (
    KNOWN_PUSH_SERVICES,
    LOOPBACK_HOSTS,
    check_endpoint,
    check_subscription_keys,
    endpoint_origin,
    is_known_push_service,
    redact_endpoint,
    subscription_key_problem,
)
from backend.notify.push_errors import PushError, PushGone, PushRejected, PushUnavailable
from backend.notify.vapid import VapidKeys, keys_of, load_or_create_vapid_keys, load_pem
from backend.retry_after import retry_after_seconds

# what the sender's callers import from here: the sender, its errors, its keys, its checks
__all__ = [
    "KNOWN_PUSH_SERVICES",
    "PushError",
    "PushGone",
    "PushRejected",
    "PushUnavailable",
    "VapidKeys",
    "WebPushSender",
    "check_endpoint",
    "endpoint_origin",
    "is_known_push_service",
    "load_or_create_vapid_keys",
    "redact_endpoint",
    "retry_after_seconds",
    "subscription_key_problem",
]

log = logging.getLogger("city311.notify.webpush")

DEFAULT_SUBJECT = f"mailto:{CITY.contact_email}"
URGENCIES = ("very-low", "low", "normal", "high")  # RFC 8030 §5.3
MAX_RECORD = 4096  # the largest encrypted body push services take (one aes128gcm record)
JWT_LIFETIME = 12 * 60 * 60  # RFC 8292: no more than 24 h; 12 h as pywebpush does
JWT_RENEW_BEFORE = 60 * 60  # a cached JWT is re-signed when less than this is left of it
_EXCERPT = 1024  # bytes of an error answer kept (and read at all)


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
    headers: requests.structures.CaseInsensitiveDict[str]
    excerpt: str


class WebPushSender:
    """Sends Web Push messages signed with ``keys``; ``subject`` is the VAPID contact (mailto: or
    https:) push services write to about problems; ``timeout`` bounds connecting and each read."""

    def __init__(
        self, keys: VapidKeys, subject: str = DEFAULT_SUBJECT, timeout: float = 10.0
    ) -> None:
        key = load_pem(keys.private_pem, "VapidKeys.private_pem")
        if keys_of(key).public_key != keys.public_key:
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
        payload: dict[str, Any],
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
        check_subscription_keys(p256dh, auth)
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
            header = str(self._vapid.sign(claims)["Authorization"])
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


def _scrub(text: str, endpoint: str, secret: str) -> str:
    """``text`` without the endpoint's secret part (requests' messages quote the URL)."""
    tail = "/…" + endpoint[-6:]
    text = text.replace(endpoint, redact_endpoint(endpoint))
    if secret:
        text = text.replace(secret, tail)
    return text
