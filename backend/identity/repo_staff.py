"""The staff accounts' statements: users, their departments, logins and failed-login counts. The
directory (staff.py) opens the transactions; these run inside them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from backend.db import Reader, Row
from backend.identity.tables import StaffDepartment, StaffLoginFailure, StaffUser


async def insert_user(
    username: str, password_hash: str, role: str, at: datetime, department_ids: list[int]
) -> int:
    rows = await StaffUser.insert(
        StaffUser(username=username, password_hash=password_hash, role=role, created_at=at)
    ).returning(StaffUser.id)
    user_id: int = rows[0]["id"]
    for department_id in department_ids:
        await StaffDepartment.insert(StaffDepartment(user=user_id, department=department_id))
    return user_id


async def department_id(reader: Reader, slug: str) -> int | None:
    row = await reader.fetchrow("SELECT id FROM department WHERE slug = $1", slug)
    return None if row is None else int(row["id"])


async def users(reader: Reader, username: str | None = None) -> list[Row]:
    """Every account, or the one called `username`, by id."""
    where, args = ("WHERE u.username = $1", (username,)) if username is not None else ("", ())
    return await reader.fetch(
        "SELECT u.id, u.username, u.role, u.created_at, u.disabled_at, u.last_login_at, "
        f"u.locked_until FROM staff_user u {where} ORDER BY u.id",
        *args,
    )


async def department_slugs(reader: Reader) -> dict[int, list[str]]:
    """Each user's department slugs, in slug order."""
    rows = await reader.fetch(
        'SELECT sd."user" AS user_id, d.slug FROM staff_department sd '
        "JOIN department d ON d.id = sd.department ORDER BY d.slug"
    )
    out: dict[int, list[str]] = {}
    for r in rows:
        out.setdefault(r["user_id"], []).append(r["slug"])
    return out


async def departments(reader: Reader) -> list[Row]:
    """id, slug and name of every department, by name."""
    return await reader.fetch("SELECT id, slug, name FROM department ORDER BY name")


async def disable_user(user_id: int, at: datetime) -> None:
    await StaffUser.update({StaffUser.disabled_at: at}).where(
        (StaffUser.id == user_id) & StaffUser.disabled_at.is_null()
    )


async def login_row(reader: Reader, username: str) -> Row | None:
    return await reader.fetchrow(
        "SELECT id, username, role, password_hash, disabled_at, locked_until "
        "FROM staff_user WHERE username = $1",
        username,
    )


async def nobody_locked_until(reader: Reader, username: str) -> datetime | None:
    """Until when a username without an account refuses logins, if it ever failed."""
    row = await reader.fetchrow(
        "SELECT locked_until FROM staff_login_failure WHERE username = $1", username
    )
    return row["locked_until"] if row else None


async def record_login(user_id: int, at: datetime, new_hash: str | None) -> None:
    """A successful login: the failures forgotten, the time kept, a rehashed password stored."""
    values: dict[Any, Any] = {
        StaffUser.failed_logins: 0,
        StaffUser.locked_until: None,
        StaffUser.last_login_at: at,
    }
    if new_hash:
        values[StaffUser.password_hash] = new_hash
    await StaffUser.update(values).where(StaffUser.id == user_id)


async def count_failure(
    now: datetime,
    lockout: timedelta,
    attempts: int,
    *,
    user_id: int | None = None,
    username: str | None = None,
) -> None:
    """One more failed login in a row for an account (`user_id`) or a username without one (a
    failure older than the lockout no longer counts); at `attempts` the lock is set and the count
    starts again."""
    table: type[Any]
    if user_id is not None:
        table, where = StaffUser, StaffUser.id == user_id
    else:
        table, where = StaffLoginFailure, StaffLoginFailure.username == username
        await table.insert(table(username=username, failed_logins=0)).on_conflict(
            action="DO NOTHING"
        )
    stale = table.last_failed_at.is_null() | (table.last_failed_at < now - lockout)
    await table.update({table.failed_logins: 0}).where(where & stale)
    rows = (
        await table.update(
            {table.failed_logins: table.failed_logins + 1, table.last_failed_at: now}
        )
        .where(where)
        .returning(table.failed_logins)
    )
    if rows and rows[0]["failed_logins"] >= attempts:
        await table.update({table.failed_logins: 0, table.locked_until: now + lockout}).where(where)


async def forget_failures(cutoff: datetime) -> int:
    rows = (
        await StaffLoginFailure.delete()
        .where(StaffLoginFailure.last_failed_at < cutoff)
        .returning(StaffLoginFailure.id)
    )
    return len(rows)


async def user(reader: Reader, user_id: int) -> Row | None:
    """id, username, role and disabled_at of an account."""
    return await reader.fetchrow(
        "SELECT id, username, role, disabled_at FROM staff_user WHERE id = $1", user_id
    )


async def user_department_ids(reader: Reader, user_id: int) -> tuple[int, ...]:
    rows = await reader.fetch(
        'SELECT department FROM staff_department WHERE "user" = $1 ORDER BY department', user_id
    )
    return tuple(r["department"] for r in rows)
