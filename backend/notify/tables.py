"""The notification outbox: one row per follower per channel per change, written in the change's
own transaction, sent later by the dispatch job (backend/jobs/dispatch.py)."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from backend.identity.tables import Device
from backend.service_requests.tables import ServiceRequest


class Notification(Table):
    id: Serial  # Piccolo's own primary key

    request = ForeignKey(references=ServiceRequest, index=True, on_delete=OnDelete.restrict)
    event = Integer()  # the request_event it tells of; unique with (channel, target): never twice
    kind = Varchar(length=24)  # status_changed | note | running_late | fixed_check | digest
    channel = Varchar(length=8)  # sms | push
    target = Varchar(length=255)  # E.164 phone, or a push subscription's id
    language = Varchar(length=2, default="en")
    title = Varchar(length=120, default="")
    body = Text()
    url = Varchar(length=255, default="")
    # pending -> sending (claimed) -> sent | failed (given up, or a permanent error) | suppressed
    # (the number said STOP, the subscription is gone); held (for the follower's daily digest)
    # -> digested (told in the digest, the newest of them carrying it); pending -> superseded (a
    # newer update of the same request reached the follower's outbox first: it is sent instead)
    status = Varchar(length=12, default="pending")
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(index=True)
    claimed_until = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    provider_id = Varchar(length=64, null=True, default=None, index=True)
    last_error = Text(null=True, default=None)
    created_at = Timestamptz()


class PushSubscription(Table):
    """A browser's Web Push subscription, registered by a device: the requests that device follows
    are pushed to it. Deleted when the push service says it is gone (404/410)."""

    id: Serial  # Piccolo's own primary key

    device = ForeignKey(references=Device, index=True)
    endpoint = Varchar(length=1024, unique=True)  # a capability URL: never shown or logged whole
    p256dh = Varchar(length=128)
    auth = Varchar(length=64)
    language = Varchar(length=2, default="en")
    created_at = Timestamptz()


class NotifyPreference(Table):
    """What a follower chose (a device through the app API, a phone by SMS keywords): the channels
    that may reach it, its quiet hours (None: the city's; "": none), and a daily digest instead of
    each update as it happens. Unique (kind, target) (migration 0023). No row: the defaults."""

    kind = Varchar(length=10)  # device | phone
    target = Varchar(length=255)  # the device's id, or the E.164 phone
    channels = JSON(default='["push", "sms"]')
    quiet_hours = Varchar(length=11, null=True, default=None)
    digest = Boolean(default=False)
    updated_at = Timestamptz()


class SmsConsent(Table):
    """STOP / START per number: everything that sends an SMS asks here first."""

    phone = Varchar(length=32, unique=True)
    opted_out = Boolean(default=False)
    changed_at = Timestamptz()
