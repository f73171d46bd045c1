"""Device tokens: JWTs (claims, expiry by our clock, forgery, a staff token is not one), and tokens
of the format issued before them, which keep working until they expire."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

import jwt
import pytest

from backend.errors import Unauthorized
from backend.identity.devices import DeviceService, is_device_token

DAY = 86400
NOW = 1_900_000_000  # any instant


def legacy_token(secret_key: str, device_id: int, uid_hex: str, issued: int) -> str:
    """A token exactly as DeviceService.issue made them before the JWTs:
    `<id>.<uid hex>.<issued at>.<first 18 bytes of an HMAC-SHA256, URL-safe base64, unpadded>`."""
    key = hashlib.sha256(b"city311-device-token:" + secret_key.encode()).digest()
    payload = f"{device_id}.{uid_hex}.{issued}"
    mac = hmac.new(key, payload.encode(), hashlib.sha256).digest()[:18]
    return f"{payload}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


class Clock:
    def __init__(self) -> None:
        self.now = float(NOW)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def devices(services, clock):
    return DeviceService("a key", services.reader, services.writer, token_days=30, clock=clock)


def test_a_token_is_an_hs256_jwt_naming_the_device(devices):
    uid = uuid.uuid4()
    token = devices.issue(42, uid)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims == {
        "sub": "42",
        "uid": uid.hex,
        "typ": "device",
        "iat": NOW,
        "exp": NOW + 30 * DAY,
        "iss": "city311",
    }
    assert devices.verify(token) == (42, uid.hex)
    assert is_device_token(token)


def test_tokens_expire_by_the_services_clock_in_either_format(devices, clock):
    uid = uuid.uuid4()
    token = devices.issue(7, uid)
    old = legacy_token("a key", 7, uid.hex, NOW)
    clock.now += 30 * DAY
    assert devices.verify(token) == (7, uid.hex) == devices.verify(old)
    clock.now += 1
    for expired in (token, old):
        with pytest.raises(Unauthorized, match="expired"):
            devices.verify(expired)


def test_a_shorter_lifetime_configured_later_applies_to_tokens_already_issued(
    devices, services, clock
):
    token = devices.issue(7, uuid.uuid4())
    shorter = DeviceService("a key", services.reader, services.writer, token_days=1, clock=clock)
    clock.now += DAY + 1
    with pytest.raises(Unauthorized, match="expired"):
        shorter.verify(token)


def test_forged_and_foreign_tokens_are_refused_in_either_format(devices, services, clock):
    uid = uuid.uuid4()
    token = devices.issue(7, uid)
    other = DeviceService("another key", services.reader, services.writer, clock=clock)
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = [
        other.issue(7, uid),
        legacy_token("another key", 7, uid.hex, NOW),
        jwt.encode(claims, "k" * 32, algorithm="HS256"),
        jwt.encode(claims, None, algorithm="none"),  # type: ignore[arg-type]  # unsigned
        jwt.encode({**claims, "sub": "x7"}, devices._key, algorithm="HS256"),
        jwt.encode({**claims, "typ": "staff"}, devices._key, algorithm="HS256"),
        jwt.encode({**claims, "iss": "elsewhere"}, devices._key, algorithm="HS256"),
        jwt.encode({k: v for k, v in claims.items() if k != "exp"}, devices._key),
        token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "x" * 5000 + "." + token,
        "",
    ]
    for bad in forged:
        with pytest.raises(Unauthorized, match="not valid"):
            devices.verify(bad)


async def test_a_staff_token_is_not_a_device_token(devices, services):
    staff_like = jwt.encode(
        {"sub": "1", "typ": "staff", "iat": NOW, "exp": NOW + 60, "iss": "city311"}, "k" * 32
    )
    assert not is_device_token(staff_like)
    with pytest.raises(Unauthorized, match="not valid"):
        devices.verify(staff_like)
