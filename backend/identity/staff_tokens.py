"""Staff tokens: short-lived JWT access tokens, and opaque refresh tokens kept hashed in StaffSession.

An access token is an HS256 JWT with claims `sub` (the user id, as a string), `role`, `deps` (the
user's department ids), `typ` "staff", `iat`, `exp` and `iss` "city311". Its key is derived from
CITY311_SECRET_KEY (SHA-256 of a staff-token label and the key), so it is never the key that signs
resident device tokens. It lives `access_minutes` (answered as `expiresIn` seconds). Each staff
request also checks that the account still exists and is not disabled: disabling is immediate.

A refresh token is 32 random bytes (URL-safe base64), stored as its SHA-256, valid `refresh_days`.
Refreshing rotates it: the one sent is revoked and a new pair is returned, in one transaction, so a
token is exchanged at most once (a second use, or a revoked, expired or unknown token: 401).
Logging out revokes it; the access token then lasts until its expiry (at most `access_minutes`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Literal

import msgspec

from backend.db import Reader, Writer, as_utc
from backend.errors import Unauthorized
from backend.identity import repo
from backend.identity.devices import is_device_token
from backend.identity.jwt_tokens import BadToken, derive_key, is_jwt_shaped, read, sign
from backend.identity.staff import StaffDirectory, StaffPrincipal, StaffRole

MAX_TOKEN = 4096  # a refresh token's characters at the most
LOGIN_HINT = "log in with POST /api/staff/v1/auth/login"


class TokenPair(msgspec.Struct, frozen=True):
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives


class AccessClaims(msgspec.Struct, frozen=True):
    sub: str
    role: StaffRole
    deps: list[int]
    typ: Literal["staff"]
    iat: int
    exp: int
    iss: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _refused(field: str, message: str) -> Unauthorized:
    return Unauthorized.for_field(field, message)


class StaffTokens:
    def __init__(
        self,
        secret_key: str,
        reader: Reader,
        writer: Writer,
        directory: StaffDirectory,
        *,
        access_minutes: int = 15,
        refresh_days: int = 14,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._key = derive_key(b"city311-staff-token", secret_key)
        self._reader = reader
        self._writer = writer
        self._directory = directory
        self.access_seconds = access_minutes * 60
        self.refresh_lifetime = timedelta(days=refresh_days)
        self._clock = clock

    # -- access tokens (no I/O) ----------------------------------------------------------------

    def access_token(self, principal: StaffPrincipal) -> str:
        issued = int(self._clock().timestamp())
        claims = {
            "sub": str(principal.id),
            "role": str(principal.role),
            "deps": list(principal.department_ids),
            "typ": "staff",
            "iat": issued,
            "exp": issued + self.access_seconds,
        }
        return sign(self._key, claims)

    def read_access(self, token: str) -> AccessClaims:
        """The claims of a well-signed, unexpired staff access token; Unauthorized otherwise."""
        if not is_jwt_shaped(token):
            raise _refused(
                "Authorization",
                f"not a staff access token (a resident device token never is); {LOGIN_HINT}",
            )
        try:
            # expiry is checked below against our clock (injectable in tests)
            claims = read(self._key, token, AccessClaims)
        except BadToken:
            if is_device_token(token):  # a resident's JWT, signed with the device key
                raise _refused(
                    "Authorization",
                    f"not a staff access token (a resident device token never is); {LOGIN_HINT}",
                ) from None
            raise _refused(
                "Authorization", f"the staff access token is not valid; {LOGIN_HINT}"
            ) from None
        if not claims.sub.isdigit():
            raise _refused("Authorization", f"the staff access token is not valid; {LOGIN_HINT}")
        if claims.exp <= self._clock().timestamp():
            raise _refused(
                "Authorization",
                "the staff access token has expired; refresh it with "
                "POST /api/staff/v1/auth/refresh",
            )
        return claims

    async def principal(self, token: str, ip: str | None = None) -> StaffPrincipal:
        """Who an access token names, if the account is still enabled; Unauthorized otherwise."""
        claims = self.read_access(token)
        user_id = int(claims.sub)
        username = await self._directory.active_username(user_id)
        if username is None:
            raise _refused("Authorization", "this staff account is disabled")
        return StaffPrincipal(
            id=user_id,
            username=username,
            role=claims.role,
            department_ids=tuple(claims.deps),
            ip=ip,
        )

    # -- sessions (refresh tokens) -------------------------------------------------------------

    async def start_session(self, principal: StaffPrincipal) -> TokenPair:
        async with self._writer.transaction():
            refresh = await self._new_session(principal.id)
        return TokenPair(self.access_token(principal), refresh, self.access_seconds)

    async def _new_session(self, user_id: int) -> str:
        refresh = secrets.token_urlsafe(32)
        now = self._clock()
        await repo.insert_session(user_id, _hash(refresh), now, now + self.refresh_lifetime)
        return refresh

    async def refresh(self, refresh_token: str) -> TokenPair:
        """A new pair for a live refresh token, which is revoked; Unauthorized otherwise."""
        refused = _refused("refreshToken", f"the refresh token is not valid; {LOGIN_HINT}")
        if not refresh_token or len(refresh_token) > MAX_TOKEN:
            raise refused
        now = self._clock()
        async with self._writer.transaction():
            row = await repo.session_by_hash(self._reader, _hash(refresh_token))
            if row is None or row["revoked_at"] is not None:
                raise refused
            if as_utc(row["expires_at"]) <= now:
                raise _refused("refreshToken", f"the refresh token has expired; {LOGIN_HINT}")
            if not await repo.take_session(
                row["id"], now
            ):  # exchanged by a concurrent refresh a moment ago
                raise refused
            principal = await self._directory.principal(row["user_id"])
            refresh = await self._new_session(principal.id)
        return TokenPair(self.access_token(principal), refresh, self.access_seconds)

    async def revoke(self, refresh_token: str) -> bool:
        """Logs a session out; False when the token was not live."""
        if not refresh_token or len(refresh_token) > MAX_TOKEN:
            return False
        async with self._writer.transaction():
            return await repo.revoke_session_by_hash(_hash(refresh_token), self._clock())
