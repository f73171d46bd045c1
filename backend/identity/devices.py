"""Anonymous device tokens: an app registers once and sends `Authorization: Bearer <token>`.

A token is `<device id>.<device uid>.<signature>`, signed with CITY311_SECRET_KEY, so a forged or
altered token is refused without a database read; the device row is still checked where it is used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime

from backend.db import Reader
from backend.errors import Unauthorized
from backend.identity.tables import Device

PLATFORMS = ("ios", "android", "web", "unknown")


class DeviceTokens:
    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"city311-device-token:" + secret_key.encode()).digest()

    def _sign(self, payload: str) -> str:
        mac = hmac.new(self._key, payload.encode(), hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def issue(self, device_id: int, device_uid: uuid.UUID) -> str:
        payload = f"{device_id}.{device_uid.hex}"
        return f"{payload}.{self._sign(payload)}"

    def verify(self, token: str) -> int:
        """The device id a well-signed token names; raises Unauthorized otherwise."""
        parts = token.strip().split(".")
        if len(parts) == 3 and parts[0].isdigit():
            payload = f"{parts[0]}.{parts[1]}"
            if hmac.compare_digest(self._sign(payload), parts[2]):
                return int(parts[0])
        raise Unauthorized.for_field("Authorization", "the device token is not valid")

    def from_header(self, header: str | None) -> int | None:
        """Device id from an Authorization header; None when absent, Unauthorized when bad."""
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized.for_field("Authorization", "use 'Authorization: Bearer <token>'")
        return self.verify(token)


async def register_device(platform: str) -> tuple[int, uuid.UUID]:
    uid = uuid.uuid4()
    rows = await Device.insert(
        Device(uid=uid, platform=platform, created_at=datetime.now(UTC))
    ).returning(Device.id)
    return rows[0]["id"], uid


async def device_exists(reader: Reader, device_id: int) -> bool:
    return await reader.fetchrow("SELECT 1 AS found FROM device WHERE id = $1", device_id) is not None
