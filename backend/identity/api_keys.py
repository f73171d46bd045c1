"""Open311 API keys: made by `city311 keys create`, shown once, stored as a SHA-256, revocable.

A key is `c311_` + 32 random URL-safe characters. Only its hash is kept (a database dump gives no
usable key); its first characters (`prefix`) name it in lists. A check records when the key was
last used, at most once a minute, so a busy client does not turn every POST into two writes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import msgspec

from backend.db import Reader, Writer, as_utc
from backend.identity import repo

PREFIX = "c311_"
_TOUCH_EVERY = timedelta(minutes=1)


class CreatedKey(msgspec.Struct, frozen=True):
    id: int
    name: str
    key: str  # the only time the whole key exists outside the client


class KeyInfo(msgspec.Struct, frozen=True):
    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class ApiKeyStore:
    def __init__(self, reader: Reader, writer: Writer, clock: Callable[[], datetime] = _now):
        self._reader = reader
        self._writer = writer
        self._clock = clock

    async def create(self, name: str) -> CreatedKey:
        name = name.strip()
        if not name or len(name) > 120:
            raise ValueError("a key's name is 1 to 120 characters (who it is for)")
        key = PREFIX + secrets.token_urlsafe(24)
        async with self._writer.transaction():
            key_id = await repo.insert_api_key(
                name, key[: len(PREFIX) + 4], _hash(key), self._clock()
            )
        return CreatedKey(id=key_id, name=name, key=key)

    async def check(self, key: str | None) -> int | None:
        """The id of the live key `key` is, else None (unknown, revoked, or no key)."""
        if not key or len(key) > 200:
            return None
        row = await repo.api_key_by_hash(self._reader, _hash(key))
        if row is None or row["revoked_at"] is not None:
            return None
        now = self._clock()
        last = as_utc(row["last_used_at"])
        if last is None or now - last >= _TOUCH_EVERY:
            async with self._writer.transaction():
                await repo.touch_api_key(row["id"], now)
        key_id: int = row["id"]
        return key_id

    async def list(self) -> list[KeyInfo]:
        rows = await repo.api_keys(self._reader)
        return [
            KeyInfo(
                id=r["id"],
                name=r["name"],
                prefix=r["prefix"],
                created_at=as_utc(r["created_at"]),
                revoked_at=as_utc(r["revoked_at"]),
                last_used_at=as_utc(r["last_used_at"]),
            )
            for r in rows
        ]

    async def revoke(self, key_id: int) -> bool:
        """False when there is no such live key."""
        async with self._writer.transaction():
            return await repo.revoke_api_key(key_id, self._clock())
