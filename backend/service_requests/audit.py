"""The staff audit trail's vocabulary: who acted (an Actor: a kind and an id, never free text)
and what they did (an AuditKind). Pure: no database, no web."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class ActorKind(StrEnum):
    STAFF = "staff"
    API_KEY = "api_key"
    SYSTEM = "system"


class AuditKind(StrEnum):
    REQUEST_CREATED = "request_created"
    STATUS_CHANGED = "status_changed"
    NOTE_ADDED = "note_added"
    RECLASSIFIED = "reclassified"
    MOVED = "moved"
    DUPLICATE_MARKED = "duplicate_marked"
    DUPLICATE_UNMARKED = "duplicate_unmarked"
    WORK_ORDER_CHANGED = "work_order_changed"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"


class Actor(msgspec.Struct, frozen=True):
    """Who did something: a staff user's id (or an API key's), and the address it came from."""

    kind: ActorKind
    id: int | None = None
    ip: str | None = None

    @classmethod
    def staff(cls, user_id: int, ip: str | None = None) -> Actor:
        return cls(ActorKind.STAFF, user_id, ip)

    @property
    def label(self) -> str:
        """How a request's history names them: `staff:12`."""
        return f"{self.kind.value}:{self.id}" if self.id is not None else self.kind.value
