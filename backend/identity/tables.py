"""Identity tables: residents' anonymous devices, staff users and their sessions, Open311 API keys."""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table

from backend.catalog.tables import Department


class Device(Table):
    id: Serial  # Piccolo's primary key, named for the type checker
    uid = UUID(unique=True)
    platform = Varchar(length=20, default="unknown")
    created_at = Timestamptz()
    # Set by DELETE /api/v1/devices/me: the token stops working; the device's requests stay.
    revoked_at = Timestamptz(null=True, default=None)


class StaffUser(Table):
    """A member of city staff. `role`: operator, department, supervisor or admin; a department
    user works the queues of the departments in StaffDepartment."""

    id: Serial  # Piccolo's primary key, named for the type checker
    username = Varchar(length=60, unique=True)
    password_hash = Varchar(length=200)  # Argon2id, argon2-cffi's encoded form
    role = Varchar(length=20)
    created_at = Timestamptz()
    disabled_at = Timestamptz(null=True, default=None)
    # lockout: failed logins in a row, and until when logins are refused
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)
    last_failed_at = Timestamptz(null=True, default=None)


class StaffLoginFailure(Table):
    """The lockout of a username that has no account, kept exactly as StaffUser keeps its own, so
    a login's answers do not tell whether a username exists (backend/identity/staff.py)."""

    id: Serial  # Piccolo's primary key, named for the type checker
    username = Varchar(length=200, unique=True)
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    last_failed_at = Timestamptz(null=True, default=None)


class StaffDepartment(Table):
    """Which departments a department user works for (one row per pair)."""

    id: Serial  # Piccolo's primary key, named for the type checker
    user = ForeignKey(references=StaffUser, index=True)
    department = ForeignKey(references=Department)


class StaffSession(Table):
    """A refresh token (stored hashed): exchanged once for a new pair, revoked on logout."""

    id: Serial  # Piccolo's primary key, named for the type checker
    user = ForeignKey(references=StaffUser, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class ApiKey(Table):
    """An Open311 api_key: shown once when made, stored as its SHA-256; `prefix` names it in lists."""

    id: Serial  # Piccolo's primary key, named for the type checker
    name = Varchar(length=120)
    prefix = Varchar(length=12)
    key_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)
