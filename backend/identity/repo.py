"""The identity tables' statements: devices, Open311 API keys and staff sessions (the staff
accounts' are in repo_staff.py). The services open the transactions; these run inside them."""

from __future__ import annotations

import uuid
from datetime import datetime

from backend.db import Reader, Row
from backend.identity.tables import ApiKey, Device, StaffSession

# -- devices ------------------------------------------------------------------------------------


async def device(reader: Reader, device_id: int) -> Row | None:
    """uid and revoked_at of a device."""
    return await reader.fetchrow("SELECT uid, revoked_at FROM device WHERE id = $1", device_id)


async def insert_device(uid: uuid.UUID, platform: str, at: datetime) -> int:
    rows = await Device.insert(Device(uid=uid, platform=platform, created_at=at)).returning(
        Device.id
    )
    device_id: int = rows[0]["id"]
    return device_id


async def revoke_device(device_id: int, at: datetime) -> None:
    await Device.update({Device.revoked_at: at}).where(
        (Device.id == device_id) & Device.revoked_at.is_null()
    )


# -- Open311 API keys ---------------------------------------------------------------------------


async def insert_api_key(name: str, prefix: str, key_hash: str, at: datetime) -> int:
    rows = await ApiKey.insert(
        ApiKey(name=name, prefix=prefix, key_hash=key_hash, created_at=at)
    ).returning(ApiKey.id)
    key_id: int = rows[0]["id"]
    return key_id


async def api_key_by_hash(reader: Reader, key_hash: str) -> Row | None:
    """id, revoked_at and last_used_at of the key with this hash."""
    return await reader.fetchrow(
        "SELECT id, revoked_at, last_used_at FROM api_key WHERE key_hash = $1", key_hash
    )


async def touch_api_key(key_id: int, at: datetime) -> None:
    await ApiKey.update({ApiKey.last_used_at: at}).where(ApiKey.id == key_id)


async def api_keys(reader: Reader) -> list[Row]:
    return await reader.fetch(
        "SELECT id, name, prefix, created_at, revoked_at, last_used_at FROM api_key ORDER BY id"
    )


async def revoke_api_key(key_id: int, at: datetime) -> bool:
    """False when there is no such live key."""
    rows = (
        await ApiKey.update({ApiKey.revoked_at: at})
        .where((ApiKey.id == key_id) & ApiKey.revoked_at.is_null())
        .returning(ApiKey.id)
    )
    return bool(rows)


# -- staff sessions (refresh tokens) ------------------------------------------------------------


async def insert_session(user_id: int, token_hash: str, at: datetime, expires: datetime) -> None:
    await StaffSession.insert(
        StaffSession(user=user_id, token_hash=token_hash, created_at=at, expires_at=expires)
    )


async def session_by_hash(reader: Reader, token_hash: str) -> Row | None:
    """id, user_id, expires_at and revoked_at of the session with this refresh token hash."""
    return await reader.fetchrow(
        'SELECT id, "user" AS user_id, expires_at, revoked_at FROM staff_session '
        "WHERE token_hash = $1",
        token_hash,
    )


async def take_session(session_id: int, at: datetime) -> bool:
    """Revokes a live session; False when a concurrent refresh took it first."""
    rows = (
        await StaffSession.update({StaffSession.revoked_at: at})
        .where((StaffSession.id == session_id) & StaffSession.revoked_at.is_null())
        .returning(StaffSession.id)
    )
    return bool(rows)


async def revoke_session_by_hash(token_hash: str, at: datetime) -> bool:
    rows = (
        await StaffSession.update({StaffSession.revoked_at: at})
        .where((StaffSession.token_hash == token_hash) & StaffSession.revoked_at.is_null())
        .returning(StaffSession.id)
    )
    return bool(rows)


async def revoke_user_sessions(user_id: int, at: datetime) -> None:
    await StaffSession.update({StaffSession.revoked_at: at}).where(
        (StaffSession.user == user_id) & StaffSession.revoked_at.is_null()
    )
