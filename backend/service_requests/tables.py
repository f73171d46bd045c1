"""Domain tables: service requests, append-only history events, photos, subscriptions (followers of
every kind), idempotency keys, work orders and the staff audit trail."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from backend.catalog.tables import Department, ServiceType
from backend.identity.tables import Device, StaffUser

# Nothing that tells of a request is ever deleted with it (or with its type, reporter device,
# department or assignee): a delete of a row something still refers to is refused (migration 0025).
RESTRICT = OnDelete.restrict


class TrackingSequence(Table):
    """One row per year; the next tracking number is `last_value + 1`, taken under a row lock."""

    id: Serial  # Piccolo's own primary key, named for the type checker
    year = Integer(unique=True)
    last_value = Integer(default=0)


class ServiceRequest(Table):
    id: Serial  # Piccolo's own primary key, named for the type checker
    tracking_number = Varchar(length=16, unique=True)
    service_type = ForeignKey(references=ServiceType, index=True, on_delete=RESTRICT)
    status = Varchar(length=20, index=True)
    description = Text(default="")
    latitude = DoublePrecision(index=True)
    longitude = DoublePrecision()
    # Where the nearby search finds it (repo.geo_row, repo.geo_cell; docs/design.md): the map's
    # row, a band ~278 m high, and its cell, ~278 x 276 m. Indexed with longitude, a wide search
    # range-scans a few rows' slices of its box; with the id, a narrow one reads each cell's
    # newest entries only, however many requests a cell holds.
    geo_row = Integer(default=0)
    geo_cell = BigInt(default=0)
    address = Text(null=True, default=None)
    community_area = Integer(null=True, default=None)
    ward = Integer(null=True, default=None)  # the 2023 map
    police_district = Integer(null=True, default=None)
    police_beat = Varchar(length=4, null=True, default=None)  # "1713"
    answers = JSON(default="{}")
    channel = Varchar(length=20)
    reporter_device = ForeignKey(
        references=Device, null=True, default=None, index=True, on_delete=RESTRICT
    )
    reporter_name = Varchar(length=120, null=True, default=None)
    reporter_email = Varchar(length=254, null=True, default=None)
    reporter_phone = Varchar(length=32, null=True, default=None)
    latest_public_note = Text(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    closed_at = Timestamptz(null=True, default=None)
    # when the SLA sweep found it open past its type's SLA (once; staff see it)
    sla_late_at = Timestamptz(null=True, default=None)
    # when its reporter was asked "is it fixed?" (a day after it was completed; once)
    fixed_asked_at = Timestamptz(null=True, default=None)
    # when its type's SLA runs out (created_at + sla_days; None for types without one)
    sla_due_at = Timestamptz(null=True, default=None)
    # set when staff mark it a duplicate: the request it duplicates
    duplicate_of: ForeignKey[ServiceRequest] = ForeignKey(
        references="self", null=True, default=None, index=True, on_delete=RESTRICT
    )
    # Open311's media_url: recorded, shown, never fetched
    media_url = Text(null=True, default=None)
    # the language the request was made in (staff see it, the public never): the SMS
    # conversation's, the app's (Accept-Language), a phone call's; None when unknown (Open311)
    language = Varchar(length=8, null=True, default=None)
    # a phone intake: whether an interpreter was used
    interpreter_used = Boolean(default=False)
    interpreter_language = Varchar(length=16, null=True, default=None)  # "ar": the interpreter's
    # other private reporter details a channel was given (Open311's device_id, account_id)
    reporter_extra = JSON(default="{}")


class RequestEvent(Table):
    """Append-only history: never updated, never deleted while its request exists."""

    id: Serial  # Piccolo's own primary key, named for the type checker
    request = ForeignKey(references=ServiceRequest, index=True, on_delete=RESTRICT)
    kind = Varchar(length=24)  # submitted, status_changed, note, followed, unfollowed
    from_status = Varchar(length=20, null=True, default=None)
    to_status = Varchar(length=20, null=True, default=None)
    note = Text(null=True, default=None)
    public = Boolean(default=True)
    actor = Varchar(length=80)
    channel = Varchar(length=20)
    created_at = Timestamptz()


class Photo(Table):
    id: Serial  # Piccolo's own primary key, named for the type checker
    uid = Varchar(length=32, unique=True)  # file name in the media directory
    request = ForeignKey(references=ServiceRequest, index=True, on_delete=RESTRICT)
    position = Integer(default=0)
    width = Integer()
    height = Integer()
    size_bytes = Integer()
    created_at = Timestamptz()


class Subscription(Table):
    """Who follows a request: one row per (request, kind, target), unique (migration 0005).

    kind "device": target is the device id; "phone": an E.164 number (SMS); "push": the id of a
    Web Push subscription. `language` is the one the follower's updates are written in.
    """

    id: Serial  # Piccolo's own primary key, named for the type checker
    request = ForeignKey(references=ServiceRequest, index=True, on_delete=RESTRICT)
    kind = Varchar(length=10)
    target = Varchar(length=255)
    language = Varchar(length=8, default="en")
    created_at = Timestamptz()


class IdempotencyRecord(Table):
    id: Serial  # Piccolo's own primary key, named for the type checker
    key = Varchar(length=255, unique=True)
    fingerprint = Varchar(length=64)
    request = ForeignKey(references=ServiceRequest, on_delete=RESTRICT)
    created_at = Timestamptz(index=True)


class WorkOrder(Table):
    """The work a department owes a request: every submit opens one for the type's owner
    department. Its status: new, assigned, in_progress, done."""

    id: Serial  # Piccolo's own primary key, named for the type checker
    request = ForeignKey(references=ServiceRequest, index=True, on_delete=RESTRICT)
    department = ForeignKey(references=Department, on_delete=RESTRICT)
    status = Varchar(length=12)
    assignee = ForeignKey(references=StaffUser, null=True, default=None, on_delete=RESTRICT)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    done_at = Timestamptz(null=True, default=None)
    # Copies of the request's, kept in step when it moves or changes type: a queue filtered by
    # them reads its own index (migration 0020) instead of joining every open work order.
    service_type = Integer(null=True, default=None)
    ward = Integer(null=True, default=None)
    community_area = Integer(null=True, default=None)


class AuditEvent(Table):
    """Append-only record of what staff (and API clients) did: never updated, never deleted.
    `actor_kind`/`actor_id` name who (a staff user's or an API key's id), `kind` is an AuditKind."""

    id: Serial  # Piccolo's own primary key, named for the type checker
    actor_kind = Varchar(length=12)
    actor_id = Integer(null=True, default=None)
    kind = Varchar(length=32)
    request = ForeignKey(
        references=ServiceRequest, null=True, default=None, index=True, on_delete=RESTRICT
    )
    details = JSON(default="{}")
    ip = Varchar(length=45, null=True, default=None)
    created_at = Timestamptz(index=True)
