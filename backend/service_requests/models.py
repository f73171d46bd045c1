"""Domain values passed between the write path, the read side and the channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from backend.service_requests.audit import Actor

SUBSCRIBER_KINDS = ("device", "phone", "push")


class Subscriber(msgspec.Struct, frozen=True):
    """Someone who follows requests: a device (its id), a phone (E.164, for SMS) or a Web Push
    subscription (its id). `language` is the one their updates are written in."""

    kind: str
    target: str
    language: str = "en"

    @classmethod
    def device(cls, device_id: int, language: str = "en") -> Subscriber:
        return cls("device", str(device_id), language)

    @classmethod
    def phone(cls, e164: str, language: str = "en") -> Subscriber:
        return cls("phone", e164, language)

    @property
    def actor(self) -> str:
        """How history names them; a phone number is never written out whole."""
        if self.kind == "phone":
            return f"phone:…{self.target[-4:]}"
        return f"{self.kind}:{self.target}"


class SubmitCommand(msgspec.Struct, kw_only=True):
    """What any channel hands to RequestService.submit; photos are the raw uploaded bytes.
    `subscriber` (the reporter's device or phone) follows the request from its first moment."""

    service_code: str
    channel: str
    lat: float | None = None
    long: float | None = None
    description: str = ""
    address: str | None = None
    answers: dict[str, object] = msgspec.field(default_factory=dict)
    reporter_name: str | None = None
    reporter_email: str | None = None
    reporter_phone: str | None = None
    device_id: int | None = None
    subscriber: Subscriber | None = None
    idempotency_key: str | None = None
    photos: list[bytes] = msgspec.field(default_factory=list)
    media_url: str | None = None  # Open311: a link to media, recorded and never fetched
    # other private reporter details (Open311's device_id, account_id); never shown publicly
    reporter_extra: dict[str, str] = msgspec.field(default_factory=dict)
    # the language the resident used (the SMS conversation's, the app's, the phone call's);
    # None when the channel does not say (Open311). Staff see it, the public never.
    language: str | None = None
    # a phone intake: whether an interpreter helped
    interpreter_used: bool = False
    interpreter_language: str | None = None  # the interpreter's language ("ar"), when one helped
    # staff taking it (a phone intake): named in the history and the audit trail
    actor: Actor | None = None


class RequestView(msgspec.Struct, kw_only=True):
    """The public view of a request: never carries the reporter's name, phone or e-mail."""

    id: int
    tracking_number: str
    service_code: str
    service_name: str
    status: str
    description: str
    address: str | None
    lat: float
    long: float
    community_area: int | None
    ward: int | None = None
    police_district: int | None = None
    police_beat: str | None = None
    latest_public_note: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    photo_uids: list[str]
    channel: str = ""
    # the request this one duplicates (its tracking number), when staff marked it a duplicate
    duplicate_of: str | None = None
    media_url: str | None = None  # a link an Open311 client sent (never fetched)
    # the language it was made in: for staff views only, never rendered publicly
    language: str | None = None


class EventView(msgspec.Struct, kw_only=True):
    kind: str
    from_status: str | None
    to_status: str | None
    note: str | None
    public: bool
    actor: str
    channel: str
    created_at: datetime
    id: int = 0  # its place in the history (the live stream's event id)


class SubmitResult(msgspec.Struct, kw_only=True):
    request: RequestView
    replayed: bool  # True when an Idempotency-Key matched an earlier submit


class ListFilters(msgspec.Struct, kw_only=True):
    near: tuple[float, float] | None = None
    radius_m: float = 500.0
    service_type_id: int | None = None
    statuses: frozenset[str] | None = None
    reporter_device_id: int | None = None
    # leaves out the requests this device reported (those without a device are kept)
    not_reporter_device_id: int | None = None
    followed_by: Subscriber | None = None
    before_id: int | None = None  # keyset cursor: only rows with a smaller id
    limit: int = 20
    # types whose requests are left out (the private ones: RequestService.list fills it)
    hidden_type_ids: tuple[int, ...] = ()


class FeedFilters(msgspec.Struct, kw_only=True):
    """A date-ordered read of requests (Open311's GET requests): oldest first by `order` (when
    they were made, or last changed), then by id, so pages stay put while new requests arrive.
    `tracking_numbers`, when given, is the whole filter."""

    tracking_numbers: list[str] | None = None
    service_type_ids: list[int] | None = None
    statuses: frozenset[str] | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    box: tuple[float, float, float, float] | None = None  # south, west, north, east
    order: str = "created"  # or "updated"
    offset: int = 0
    limit: int = 1000
    # types whose requests are left out (the private ones: RequestService.feed fills it)
    hidden_type_ids: tuple[int, ...] = ()


class Page(msgspec.Struct, kw_only=True):
    items: list[RequestView]
    next_before_id: int | None


class WorkOrderView(msgspec.Struct, kw_only=True):
    """A department's work on a request, with what a queue shows of the request."""

    id: int
    status: str
    department_id: int
    department: str
    assignee_id: int | None
    assignee: str | None
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    tracking_number: str
    service_code: str
    service_name: str
    request_status: str
    address: str | None
    ward: int | None
    community_area: int | None
    request_created_at: datetime
    sla_due_at: datetime | None
    language: str | None = None  # the request's (the resident's language)


class QueueFilters(msgspec.Struct, kw_only=True):
    """A department's queue, oldest first: open work orders unless `statuses` says otherwise."""

    department_id: int
    statuses: frozenset[str] | None = None
    service_type_id: int | None = None
    ward: int | None = None
    community_area: int | None = None
    language: str | None = None  # the request's language
    due_before: datetime | None = None  # SLA due at or before this moment
    created_before: datetime | None = None  # the request made at or before this moment (its age)
    after_id: int | None = None  # keyset cursor: only work orders with a larger id
    limit: int = 50


class QueuePage(msgspec.Struct, kw_only=True):
    items: list[WorkOrderView]
    next_after_id: int | None


class AuditView(msgspec.Struct, kw_only=True):
    id: int
    actor_kind: str
    actor_id: int | None
    kind: str
    tracking_number: str | None
    details: dict[str, Any]
    ip: str | None
    created_at: datetime


class AuditFilters(msgspec.Struct, kw_only=True):
    tracking_number: str | None = None
    actor_kind: str | None = None
    actor_id: int | None = None
    kind: str | None = None
    before_id: int | None = None  # newest first; keyset cursor
    limit: int = 50
