"""Anonymous devices: an app registers once and sends `Authorization: Bearer <token>`.

A token is `<device id>.<device uid>.<issued at, epoch seconds>.<signature>`, signed with
CITY311_SECRET_KEY, so a forged or altered token is refused without a database read. A well-signed
token is then checked against the device row: the uid must be that device's (a token is never
valid for another device, even after a database restore that reuses ids), the device must not be
revoked, and the token must be younger than `token_days` (the app refreshes it before then with
POST /api/v1/devices/me/token).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from datetime import UTC, datetime

from backend.db import Reader, Writer
from backend.errors import Unauthorized
from backend.identity.tables import Device

PLATFORMS = ("ios", "android", "web", "unknown")


def _refused(message: str) -> Unauthorized:
    return Unauthorized.for_field("Authorization", message)


class DeviceService:
    def __init__(
        self,
        secret_key: str,
        reader: Reader,
        writer: Writer,
        token_days: int = 365,
        clock=time.time,
    ) -> None:
        self._key = hashlib.sha256(b"city311-device-token:" + secret_key.encode()).digest()
        self._reader = reader
        self._writer = writer
        self.token_seconds = token_days * 86400
        self._clock = clock

    # -- tokens (no I/O) --------------------------------------------------------------------

    def _sign(self, payload: str) -> str:
        mac = hmac.new(self._key, payload.encode(), hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def issue(self, device_id: int, device_uid: uuid.UUID) -> str:
        payload = f"{device_id}.{device_uid.hex}.{int(self._clock())}"
        return f"{payload}.{self._sign(payload)}"

    def verify(self, token: str) -> tuple[int, str]:
        """(device id, uid hex) of a well-signed, unexpired token; raises Unauthorized otherwise."""
        parts = token.strip().split(".")
        if len(parts) != 4 or not all(p.isascii() and p.isdigit() for p in (parts[0], parts[2])):
            raise _refused("the device token is not valid")
        payload = ".".join(parts[:3])
        if not hmac.compare_digest(self._sign(payload), parts[3]):
            raise _refused("the device token is not valid")
        if int(parts[2]) + self.token_seconds < self._clock():
            raise _refused("the device token has expired; register again with POST /api/v1/devices")
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
        row = await self._reader.fetchrow(
            "SELECT uid, revoked_at FROM device WHERE id = $1", device_id
        )
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
            rows = await Device.insert(
                Device(uid=uid, platform=platform, created_at=datetime.now(UTC))
            ).returning(Device.id)
        return rows[0]["id"], uid

    async def refresh(self, device_id: int) -> str:
        row = await self._reader.fetchrow("SELECT uid FROM device WHERE id = $1", device_id)
        if row is None:
            raise _refused("this device is not registered here")
        return self.issue(device_id, uuid.UUID(str(row["uid"])))

    async def revoke(self, device_id: int) -> None:
        async with self._writer.transaction():
            await Device.update({Device.revoked_at: datetime.now(UTC)}).where(
                (Device.id == device_id) & Device.revoked_at.is_null()
            )
