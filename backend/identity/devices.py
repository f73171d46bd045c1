"""Anonymous devices: an app registers once and sends `Authorization: Bearer <token>`.

A token is an HS256 JWT (PyJWT, as staff access tokens) with claims `sub` (the device id, as a
string), `uid` (the device's uid, hex), `typ` "device", `iat`, `exp` and `iss` "city311". Its key is
derived from CITY311_SECRET_KEY (SHA-256 of a device-token label and the key), so it is never the
key that signs staff tokens, and a forged or altered token is refused without a database read. A
well-signed token is then checked against the device row: the uid must be that device's (a token is
never valid for another device, even after a database restore that reuses ids), the device must not
be revoked, and the token must be younger than `token_days` (`exp`, and `iat` + `token_days` as
configured now, whichever comes first; the app refreshes it before then with
POST /api/v1/devices/me/token).

Tokens issued before the JWTs, `<device id>.<device uid>.<issued at, epoch seconds>.<HMAC>`, are
still accepted, with the same checks, until they expire: the legacy branch (`_verify_legacy`) can
be deleted once CITY311_DEVICE_TOKEN_DAYS days have passed since the first release issuing JWTs
was deployed (every older token has expired by then, and a refresh always answers a JWT).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

import msgspec

from backend.db import Reader, Writer
from backend.errors import Unauthorized
from backend.identity import repo
from backend.identity.jwt_tokens import (
    BadToken,
    derive_key,
    is_jwt_shaped,
    read,
    sign,
    unverified_type,
)

PLATFORMS = ("ios", "android", "web", "unknown")
NOT_VALID = "the device token is not valid"
EXPIRED = "the device token has expired; register again with POST /api/v1/devices"


class DeviceClaims(msgspec.Struct, frozen=True):
    sub: str
    uid: str
    typ: Literal["device"]
    iat: int
    exp: int
    iss: str


def _refused(message: str) -> Unauthorized:
    return Unauthorized.for_field("Authorization", message)


def is_device_token(token: str) -> bool:
    """Whether a token has a device token's shape (either format), its signature unchecked: lets
    the staff API tell a resident's token from a bad staff token."""
    token = token.strip()
    if token.count(".") == 3:
        return True
    return is_jwt_shaped(token) and unverified_type(token) == "device"


class DeviceService:
    def __init__(
        self,
        secret_key: str,
        reader: Reader,
        writer: Writer,
        token_days: int = 365,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = derive_key(b"city311-device-jwt", secret_key)
        self._legacy_key = hashlib.sha256(b"city311-device-token:" + secret_key.encode()).digest()
        self._reader = reader
        self._writer = writer
        self.token_seconds = token_days * 86400
        self._clock = clock

    # -- tokens (no I/O) --------------------------------------------------------------------

    def issue(self, device_id: int, device_uid: uuid.UUID) -> str:
        issued = int(self._clock())
        claims = {
            "sub": str(device_id),
            "uid": device_uid.hex,
            "typ": "device",
            "iat": issued,
            "exp": issued + self.token_seconds,
        }
        return sign(self._key, claims)

    def verify(self, token: str) -> tuple[int, str]:
        """(device id, uid hex) of a well-signed, unexpired token; raises Unauthorized otherwise."""
        token = token.strip()
        if token.count(".") == 3:
            return self._verify_legacy(token)
        if not is_jwt_shaped(token):
            raise _refused(NOT_VALID)
        try:
            # expiry is checked below against our clock (injectable in tests)
            claims = read(self._key, token, DeviceClaims)
        except BadToken:
            raise _refused(NOT_VALID) from None
        if not (claims.sub.isascii() and claims.sub.isdigit()):
            raise _refused(NOT_VALID)
        if min(claims.exp, claims.iat + self.token_seconds) < self._clock():
            raise _refused(EXPIRED)
        return int(claims.sub), claims.uid

    def _sign_legacy(self, payload: str) -> str:
        mac = hmac.new(self._legacy_key, payload.encode(), hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def _verify_legacy(self, token: str) -> tuple[int, str]:
        """A token in the format issued before the JWTs (see the module's docstring)."""
        parts = token.split(".")
        if len(parts) != 4 or not all(p.isascii() and p.isdigit() for p in (parts[0], parts[2])):
            raise _refused(NOT_VALID)
        payload = ".".join(parts[:3])
        if not hmac.compare_digest(self._sign_legacy(payload), parts[3]):
            raise _refused(NOT_VALID)
        if int(parts[2]) + self.token_seconds < self._clock():
            raise _refused(EXPIRED)
        return int(parts[0]), parts[1]

    def from_header(self, header: str | None) -> tuple[int, str] | None:
        """(device id, uid) from an Authorization header; None when absent, Unauthorized when bad."""
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise _refused("use 'Authorization: Bearer <token>'")
        return self.verify(token)

    # -- the device rows --------------------------------------------------------------------

    async def authenticate(self, header: str | None) -> int | None:
        """The device id an Authorization header proves; None when absent."""
        claimed = self.from_header(header)
        if claimed is None:
            return None
        device_id, uid = claimed
        row = await repo.device(self._reader, device_id)
        if row is None or uuid.UUID(str(row["uid"])).hex != uid:
            raise _refused("this device is not registered here")
        if row["revoked_at"] is not None:
            raise _refused(
                "this device token was revoked; register again with POST /api/v1/devices"
            )
        return device_id

    async def register(self, platform: str) -> tuple[int, uuid.UUID]:
        uid = uuid.uuid4()
        async with self._writer.transaction():
            device_id = await repo.insert_device(uid, platform, datetime.now(UTC))
        return device_id, uid

    async def refresh(self, device_id: int) -> str:
        row = await repo.device(self._reader, device_id)
        if row is None:
            raise _refused("this device is not registered here")
        return self.issue(device_id, uuid.UUID(str(row["uid"])))

    async def revoke(self, device_id: int) -> None:
        async with self._writer.transaction():
            await repo.revoke_device(device_id, datetime.now(UTC))
