"""The SMS channel's tables: one conversation per phone, every inbound message (idempotency on
Twilio's MessageSid, and the reply given), delivery receipts. Consent (STOP/START) is the
notifications' (backend/notify/tables.py), draft photos the storage's (backend/storage/draft_photos.py)."""

from __future__ import annotations

from piccolo.columns import Boolean, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class SmsConversation(Table):
    """Where a phone's dialog stands. `state` and `draft` expire after 30 idle minutes; the
    language stays (chosen with LANG, or the one last detected)."""

    id: Serial  # Piccolo's own primary key

    phone = Varchar(length=32, unique=True)  # E.164
    language = Varchar(length=2, default="en")
    language_chosen = Boolean(default=False)
    state = Varchar(length=32, default="idle")
    draft = Text(default="{}")  # JSON: sms.dialog.Draft
    version = Integer(default=0)  # optimistic lock across processes
    updated_at = Timestamptz()


class SmsMessage(Table):
    """Every inbound message once: a Twilio retry (same MessageSid) gets the reply first given.

    The delivery that inserts the row claims the message (`claimed_by`, a lease renewed while it
    answers, until `claimed_until`); others wait for `reply`, written once. A claim whose lease ran
    out (its holder died) is taken over by the next delivery."""

    id: Serial  # Piccolo's own primary key

    message_sid = Varchar(length=64, unique=True)
    phone = Varchar(length=32, index=True)
    body = Text(default="")
    num_media = Integer(default=0)
    reply = Text(null=True, default=None)  # "" when nothing was answered (STOP…)
    received_at = Timestamptz(index=True)
    claimed_by = Varchar(length=32, null=True, default=None)
    claimed_until = Timestamptz(null=True, default=None)


class SmsDelivery(Table):
    """Twilio's status callbacks for the messages we send: the latest status of each."""

    id: Serial  # Piccolo's own primary key

    message_sid = Varchar(length=64, unique=True)
    status = Varchar(length=24)
    error_code = Integer(null=True, default=None)
    phone = Varchar(length=32, null=True, default=None)
    updated_at = Timestamptz()
