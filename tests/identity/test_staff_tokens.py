"""Staff tokens: JWT access tokens (claims, expiry, forgery) and refresh tokens (rotation, once only,
expiry, logout, disabled accounts)."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from backend.errors import Unauthorized
from backend.identity.staff import StaffDirectory, StaffRole
from backend.identity.staff_tokens import StaffTokens
from backend.identity.tables import StaffUser
from tests.identity.test_staff import PASSWORD, Clock, RecordingHasher


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def directory(services, clock):
    made = StaffDirectory(services.reader, services.writer, hasher=RecordingHasher(), clock=clock)
    yield made
    made.close()


@pytest.fixture
def tokens(services, directory, clock):
    return StaffTokens("a key", services.reader, services.writer, directory, clock=clock)


async def _login(directory, services, role="department"):
    slug = (await services.reader.fetchrow("SELECT slug FROM department ORDER BY slug"))["slug"]
    await directory.create_user("dept1", PASSWORD, role, [slug] if role == "department" else [])
    return await directory.authenticate("dept1", PASSWORD)


async def test_an_access_token_carries_the_documented_claims(directory, services, tokens, clock):
    principal = await _login(directory, services)
    pair = await tokens.start_session(principal)
    assert pair.expires_in == 15 * 60
    header = jwt.get_unverified_header(pair.access_token)
    claims = jwt.decode(pair.access_token, options={"verify_signature": False})
    assert header["alg"] == "HS256"
    now = int(clock.now.timestamp())
    assert claims == {
        "sub": str(principal.id),
        "role": "department",
        "deps": list(principal.department_ids),
        "typ": "staff",
        "iat": now,
        "exp": now + 15 * 60,
        "iss": "city311",
    }
    proved = await tokens.principal(pair.access_token, "192.0.2.7")
    assert proved == principal.__class__(
        id=principal.id,
        username="dept1",
        role=StaffRole.DEPARTMENT,
        department_ids=principal.department_ids,
        ip="192.0.2.7",
    )


async def test_an_access_token_expires(directory, services, tokens, clock):
    token = tokens.access_token(await _login(directory, services))
    clock.now += timedelta(minutes=14, seconds=59)
    tokens.read_access(token)
    clock.now += timedelta(seconds=1)
    with pytest.raises(Unauthorized, match="expired"):
        tokens.read_access(token)


async def test_forged_altered_and_foreign_tokens_are_refused(directory, services, tokens, clock):
    principal = await _login(directory, services)
    token = tokens.access_token(principal)
    other_key = StaffTokens("another key", services.reader, services.writer, directory, clock=clock)
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = [
        other_key.access_token(principal),
        jwt.encode({**claims, "role": "admin"}, "k" * 32, algorithm="HS256"),  # not our key
        jwt.encode(claims, None, algorithm="none"),  # type: ignore[arg-type]  # unsigned
        token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "12.0123456789abcdef0123456789abcdef.1700000000.c2lnbmF0dXJl",  # a device token's shape
        "",
    ]
    for bad in forged:
        with pytest.raises(Unauthorized):
            tokens.read_access(bad)


async def test_a_disabled_accounts_access_token_stops_at_once(directory, services, tokens):
    token = tokens.access_token(await _login(directory, services))
    await directory.disable_user("dept1")
    with pytest.raises(Unauthorized, match="disabled"):
        await tokens.principal(token)


async def test_refresh_rotates_and_a_token_is_exchanged_once(directory, services, tokens, clock):
    first = await tokens.start_session(await _login(directory, services))
    clock.now += timedelta(minutes=20)
    second = await tokens.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert (await tokens.principal(second.access_token)).username == "dept1"
    with pytest.raises(Unauthorized):
        await tokens.refresh(first.refresh_token)
    with pytest.raises(Unauthorized):
        await tokens.refresh("never issued")
    third = await tokens.refresh(second.refresh_token)
    assert await tokens.revoke(third.refresh_token) is True
    assert await tokens.revoke(third.refresh_token) is False
    with pytest.raises(Unauthorized):
        await tokens.refresh(third.refresh_token)


async def test_a_refresh_token_expires(directory, services, tokens, clock):
    pair = await tokens.start_session(await _login(directory, services))
    clock.now += timedelta(days=14)
    with pytest.raises(Unauthorized, match="expired"):
        await tokens.refresh(pair.refresh_token)


async def test_a_disabled_user_cannot_refresh(directory, services, tokens, clock):
    pair = await tokens.start_session(await _login(directory, services))
    # disabled behind the directory's back: its sessions were not revoked (disable_user does that)
    await StaffUser.update({StaffUser.disabled_at: clock.now}).where(StaffUser.username == "dept1")
    with pytest.raises(Unauthorized, match="disabled"):
        await tokens.refresh(pair.refresh_token)
