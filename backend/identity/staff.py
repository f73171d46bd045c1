"""Staff accounts: users with a role (and departments), Argon2id passwords, login with lockout.

Passwords are hashed with Argon2id (argon2-cffi). Hashing and verifying take ~0.1 s of CPU each, so
they run on a small thread pool of their own (one thread fewer than the cores, at least one) with
parallelism 1: a burst of logins keeps one core busy and leaves the event loop the other. After a
successful login a hash made with older parameters is rehashed. An unknown username still costs one
verify (against a dummy hash), so the answer's timing does not tell who has an account.

Lockout: `lockout_attempts` failed logins in a row lock the account for `lockout_minutes`; while it
is locked every login is refused with `LockedOut` (HTTP 429 with Retry-After) without checking the
password, and the attempts are not counted. The count starts again from zero when the lock is set,
after any successful login, and when the last failure is older than `lockout_minutes`.

A username without an account is locked out the same way (its failures are kept in
StaffLoginFailure, by name): the same answers (401 "wrong username or password", then 429 with the
same Retry-After), the same work (one password verify, one count), so neither the answers nor their
timing tell whether an account exists. The hourly purge forgets failures no longer counted.

Usernames are kept in lower case; a login may type them in any case. Disabled users cannot log in
(nor refresh: see staff_tokens.py), and the guard refuses their access tokens at once.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from backend.db import Reader, Writer, as_utc, is_unique_violation
from backend.errors import (
    Conflict,
    DomainError,
    FieldError,
    InvalidInput,
    NotFound,
    Unauthorized,
)
from backend.identity import repo, repo_staff

_T = TypeVar("_T")

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
MAX_USERNAME = 200  # what a login may type (staff_login_failure.username)
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{2,59}")
WRONG_LOGIN = "wrong username or password"


class StaffRole(StrEnum):
    OPERATOR = "operator"  # takes phone reports, files requests for residents
    DEPARTMENT = "department"  # works the queues of its departments
    SUPERVISOR = "supervisor"  # oversees every department's queues
    ADMIN = "admin"  # manages accounts; reaches every staff route


ROLES = tuple(role.value for role in StaffRole)


class StaffPrincipal(msgspec.Struct, frozen=True):
    """Who a staff request comes from. `ip` is the client's address (set by the HTTP guard)."""

    id: int
    username: str
    role: StaffRole
    department_ids: tuple[int, ...] = ()
    ip: str | None = None


class StaffUserInfo(msgspec.Struct, frozen=True):
    id: int
    username: str
    role: str
    departments: tuple[str, ...]  # slugs
    created_at: datetime
    disabled_at: datetime | None
    last_login_at: datetime | None
    locked_until: datetime | None


class LockedOut(DomainError):
    """Too many failed logins in a row: the account refuses logins until `until`."""

    status = 429
    title = "Too many requests"
    slug = "rate-limited"

    def __init__(
        self, detail: str, errors: list[FieldError] | None = None, *, retry_after: int = 60
    ) -> None:
        super().__init__(detail, errors if errors is not None else [FieldError("username", detail)])
        self.retry_after = retry_after  # seconds


def password_hasher() -> PasswordHasher:
    """argon2-cffi's defaults (RFC 9106's low-memory choice: t=3, 64 MiB) with parallelism 1."""
    return PasswordHasher(time_cost=3, memory_cost=65536, parallelism=1)


def _now() -> datetime:
    return datetime.now(UTC)


class StaffDirectory:
    def __init__(
        self,
        reader: Reader,
        writer: Writer,
        *,
        lockout_attempts: int = 5,
        lockout_minutes: int = 15,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._reader = reader
        self._writer = writer
        self.lockout_attempts = lockout_attempts
        self.lockout = timedelta(minutes=lockout_minutes)
        self._hasher = hasher or password_hasher()
        self._clock = clock
        self._pool: ThreadPoolExecutor | None = None
        self._dummy_hash: str | None = None

    # -- hashing, off the event loop -----------------------------------------------------------

    async def _off_loop(self, fn: Callable[..., _T], *args: Any) -> _T:
        if self._pool is None:
            workers = max(1, (os.cpu_count() or 2) - 1)
            self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    async def hash_password(self, password: str) -> str:
        return await self._off_loop(self._hasher.hash, password)

    async def _verify(self, encoded: str, password: str) -> bool:
        def verify() -> bool:
            try:
                return self._hasher.verify(encoded, password)
            except (VerificationError, InvalidHashError):
                return False

        return await self._off_loop(verify)

    async def _verify_nobody(self, password: str) -> None:
        """The cost of one verify for a username that has no account."""
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash_password("not the password of anyone here")
        await self._verify(self._dummy_hash, password)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    # -- accounts ------------------------------------------------------------------------------

    async def create_user(
        self, username: str, password: str, role: str, departments: list[str] | None = None
    ) -> StaffUserInfo:
        """A new account; InvalidInput naming each field that breaks a rule, Conflict when taken."""
        username = username.strip().lower()
        departments = list(departments or [])
        errors: list[FieldError] = []
        if not _USERNAME.fullmatch(username):
            errors.append(
                FieldError(
                    "username",
                    "3 to 60 characters: letters, digits and . _ @ - (starting with a letter "
                    "or digit)",
                )
            )
        if len(password) < MIN_PASSWORD:
            errors.append(FieldError("password", f"at least {MIN_PASSWORD} characters"))
        elif len(password) > MAX_PASSWORD:
            errors.append(FieldError("password", f"at most {MAX_PASSWORD} characters"))
        if role not in ROLES:
            errors.append(FieldError("role", f"one of {', '.join(StaffRole)}"))
        elif role == StaffRole.DEPARTMENT and not departments:
            errors.append(FieldError("departments", "a department user needs a department"))
        elif role != StaffRole.DEPARTMENT and departments:
            errors.append(
                FieldError("departments", f"only department users have departments, not {role}")
            )
        department_ids = await self._department_ids(departments, errors)
        if errors:
            raise InvalidInput("; ".join(f"{e.field}: {e.message}" for e in errors), errors)
        password_hash = await self.hash_password(password)
        try:
            async with self._writer.transaction():
                await repo_staff.insert_user(
                    username, password_hash, str(role), self._clock(), department_ids
                )
        except Exception as exc:
            if is_unique_violation(exc):
                raise Conflict.for_field("username", f"{username} is taken") from None
            raise
        return await self.user(username)

    async def _department_ids(self, slugs: list[str], errors: list[FieldError]) -> list[int]:
        ids: list[int] = []
        for i, slug in enumerate(slugs):
            found = await repo_staff.department_id(self._reader, slug)
            if found is None:
                errors.append(FieldError(f"departments[{i}]", f"no department has slug {slug!r}"))
            elif found not in ids:
                ids.append(found)
        return ids

    async def user(self, username: str) -> StaffUserInfo:
        users = await self._users(username.strip().lower())
        if not users:
            raise NotFound.for_field("username", f"no staff user is called {username}")
        return users[0]

    async def list_users(self) -> list[StaffUserInfo]:
        return await self._users()

    async def _users(self, username: str | None = None) -> list[StaffUserInfo]:
        rows = await repo_staff.users(self._reader, username)
        slugs = await repo_staff.department_slugs(self._reader) if rows else {}
        return [
            StaffUserInfo(
                id=r["id"],
                username=r["username"],
                role=r["role"],
                departments=tuple(slugs.get(r["id"], ())),
                created_at=as_utc(r["created_at"]),
                disabled_at=as_utc(r["disabled_at"]),
                last_login_at=as_utc(r["last_login_at"]),
                locked_until=as_utc(r["locked_until"]),
            )
            for r in rows
        ]

    async def departments(self, department_ids: tuple[int, ...]) -> list[dict[str, Any]]:
        """id, slug and name of each of the given departments."""
        rows = await repo_staff.departments(self._reader)
        return [r for r in rows if r["id"] in department_ids]

    async def disable_user(self, username: str) -> StaffUserInfo:
        """Disables the account and revokes its refresh tokens; NotFound when there is none."""
        user = await self.user(username)
        now = self._clock()
        async with self._writer.transaction():
            await repo_staff.disable_user(user.id, now)
            await repo.revoke_user_sessions(user.id, now)
        return await self.user(username)

    # -- login ---------------------------------------------------------------------------------

    async def authenticate(self, username: str, password: str) -> StaffPrincipal:
        """The principal a username and password prove; Unauthorized, or LockedOut."""
        name = username.strip().lower()
        row = await repo_staff.login_row(self._reader, name)
        now = self._clock()
        if row is None:
            await self._refuse_nobody(name[:MAX_USERNAME], password, now)
        _check_lock(row["locked_until"], now)
        if len(password) > MAX_PASSWORD:
            await self._verify_nobody(password[:MAX_PASSWORD])
            verified = False
        else:
            verified = await self._verify(row["password_hash"], password)
        if not verified:
            await self._count_failure(now, user_id=row["id"])
            raise Unauthorized.for_field("password", WRONG_LOGIN)
        if row["disabled_at"] is not None:
            raise Unauthorized.for_field("username", "this account is disabled")
        new_hash = None
        if self._hasher.check_needs_rehash(row["password_hash"]):
            new_hash = await self.hash_password(password)
        async with self._writer.transaction():
            await repo_staff.record_login(row["id"], now, new_hash)
        return await self.principal(row["id"])

    async def _refuse_nobody(self, name: str, password: str, now: datetime) -> NoReturn:
        """A login to a username without an account: locked out, verified and counted exactly as
        a wrong password for an account would be, and refused with the same answers."""
        _check_lock(await repo_staff.nobody_locked_until(self._reader, name), now)
        await self._verify_nobody(password[:MAX_PASSWORD])
        await self._count_failure(now, username=name)
        raise Unauthorized.for_field("password", WRONG_LOGIN)

    async def _count_failure(
        self, now: datetime, *, user_id: int | None = None, username: str | None = None
    ) -> None:
        """One more failed login in a row (repo_staff.count_failure says how they count)."""
        async with self._writer.transaction():
            await repo_staff.count_failure(
                now, self.lockout, self.lockout_attempts, user_id=user_id, username=username
            )

    async def forget_failures(self, now: datetime | None = None) -> int:
        """Drop the failures of usernames without an account that no longer count (the purge)."""
        cutoff = (now or self._clock()) - self.lockout
        async with self._writer.transaction():
            return await repo_staff.forget_failures(cutoff)

    async def principal(self, user_id: int) -> StaffPrincipal:
        """The principal of an enabled account (for a refresh); Unauthorized otherwise."""
        row = await repo_staff.user(self._reader, user_id)
        if row is None or row["disabled_at"] is not None:
            raise Unauthorized.for_field("username", "this account is disabled")
        return StaffPrincipal(
            id=row["id"],
            username=row["username"],
            role=StaffRole(row["role"]),
            department_ids=await repo_staff.user_department_ids(self._reader, user_id),
        )

    async def active_username(self, user_id: int) -> str | None:
        """The username of an enabled account, else None (one indexed read per staff request)."""
        row = await repo_staff.user(self._reader, user_id)
        return row["username"] if row and row["disabled_at"] is None else None


def _check_lock(locked_until: datetime | None, now: datetime) -> None:
    locked_until = as_utc(locked_until)
    if locked_until is not None and locked_until > now:
        wait = max(1, int((locked_until - now).total_seconds() + 0.999))
        raise LockedOut(
            f"too many failed logins: this account refuses logins for {_minutes(wait)}",
            retry_after=wait,
        )


def _minutes(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    return f"{minutes} more minute{'s' if minutes != 1 else ''}"
