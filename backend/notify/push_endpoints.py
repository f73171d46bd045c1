"""Push endpoints (capability URLs: whoever holds one can push to that browser) and subscription
keys: checked before anything is sent, and named in logs by host and last 6 characters only."""

from __future__ import annotations

import binascii
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from backend.notify.push_errors import PushRejected
from backend.notify.vapid import b64url_decode

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")  # plain http allowed there only (tests, a local fake)

# Hosts of the browsers' push services, for registering subscriptions: see is_known_push_service.
KNOWN_PUSH_SERVICES = (
    "fcm.googleapis.com",  # Chrome, Edge (Chromium), Opera, Samsung Internet, Brave
    "android.googleapis.com",  # old Chrome subscriptions
    ".push.services.mozilla.com",  # Firefox
    ".notify.windows.com",  # legacy Edge
    ".push.apple.com",  # Safari (web.push.apple.com)
)


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
        point = b64url_decode(p256dh)
        if len(point) != 65 or point[0] != 4:
            raise ValueError("not an uncompressed point")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, TypeError, AttributeError, binascii.Error):
        return "p256dh", "the subscription's p256dh is not a P-256 public key"
    try:
        secret = b64url_decode(auth)
    except (ValueError, TypeError, AttributeError, binascii.Error):
        secret = b""
    if len(secret) != 16:
        return "auth", "the subscription's auth secret is not 16 bytes of base64url"
    return None


def check_subscription_keys(p256dh: str, auth: str) -> None:
    if problem := subscription_key_problem(p256dh, auth):
        raise PushRejected(problem[1])


def endpoint_origin(endpoint: str) -> str:
    """The endpoint's origin as a VAPID ``aud``: scheme://host[:port], a default port left out."""
    parts = urlsplit(endpoint)
    scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    if ":" in host:
        host = f"[{host}]"
    if port is None or (scheme, port) in (("https", 443), ("http", 80)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"
