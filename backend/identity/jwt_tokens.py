"""The signed tokens devices and staff carry: HS256 JWTs (PyJWT) issued by "city311", each kind
with a key of its own derived from CITY311_SECRET_KEY, their claims checked into a msgspec struct.
Expiry is left to the caller, which checks it against its own (injectable) clock."""

from __future__ import annotations

import hashlib
from typing import Any, TypeVar

import jwt
import msgspec

ISSUER = "city311"
ALGORITHM = "HS256"
MAX_TOKEN = 4096  # characters: anything longer is refused unread

_Claims = TypeVar("_Claims")


class BadToken(Exception):
    """Not a well-signed token of this key with the claims asked for."""


def derive_key(label: bytes, secret_key: str) -> bytes:
    """The key of one kind of token: SHA-256 of `label`, a colon and the secret key."""
    return hashlib.sha256(label + b":" + secret_key.encode()).digest()


def is_jwt_shaped(token: str) -> bool:
    """Three dot-separated parts and not too long (nothing checked)."""
    return token.count(".") == 2 and len(token) <= MAX_TOKEN


def sign(key: bytes, claims: dict[str, Any]) -> str:
    """A token of `claims` (issued by city311)."""
    return jwt.encode({**claims, "iss": ISSUER}, key, algorithm=ALGORITHM)


def read(key: bytes, token: str, claims: type[_Claims]) -> _Claims:
    """The claims of a token signed with `key` by city311, as `claims`; BadToken otherwise. Its
    expiry is not checked here."""
    try:
        raw = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={
                "require": ["sub", "iat", "exp", "iss"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
        return msgspec.convert(raw, claims)
    except (jwt.InvalidTokenError, msgspec.ValidationError):
        raise BadToken from None


def unverified_type(token: str) -> object:
    """The `typ` claim of a JWT, its signature unchecked (None when it cannot be read)."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return None
    return claims.get("typ")
