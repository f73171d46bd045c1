"""The SMS channel's reads and writes (the only module that knows its tables): conversations,
inbound messages and delivery receipts, on both engines; consent and draft photos are the
domain's stores, which SmsStore is too."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from backend.db import Reader, Writer, as_stored, as_utc
from backend.notify.consent import ConsentStore
from backend.storage.draft_photos import DraftPhotos
from sms.tables import SmsConversation, SmsDelivery, SmsMessage

# Twilio's message statuses in the order they happen: a late "sent" never overwrites "delivered".
_PROGRESS = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "receiving": 3,
    "received": 4,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
    "read": 5,
    "canceled": 4,
    "partially_delivered": 4,
}


class ConcurrentChange(Exception):
    """Another message from the same phone changed the conversation meanwhile."""


class _AnsweredBefore(Exception):
    """The message has a reply already: this delivery's is not stored."""


@dataclass
class Conversation:
    phone: str
    language: str = "en"
    language_chosen: bool = False
    state: str = "idle"
    draft: dict[str, Any] = field(default_factory=dict)
    version: int = -1  # -1: not stored yet
    updated_at: datetime | None = None


class SmsStore(ConsentStore, DraftPhotos):
    """The channel's own rows, with the consent (backend/notify/consent.py) and the draft photos
    (backend/storage/draft_photos.py) it records."""

    def __init__(self, reader: Reader, writer: Writer) -> None:
        self.reader, self.writer = reader, writer

    # -- inbound messages: one claim, one reply --------------------------------------------------

    async def claim(
        self,
        message_sid: str,
        phone: str,
        body: str,
        num_media: int,
        at: datetime,
        holder: str,
        until: datetime,
    ) -> bool:
        """Records a MessageSid claimed by `holder` until `until`, in a transaction of its own (the
        other deliveries see the claim at once); False when it was recorded already."""
        async with self.writer.transaction():
            rows = (
                await SmsMessage.insert(
                    SmsMessage(
                        message_sid=message_sid,
                        phone=phone,
                        body=body,
                        num_media=num_media,
                        received_at=at,
                        claimed_by=holder,
                        claimed_until=until,
                    )
                )
                .on_conflict(action="DO NOTHING")
                .returning(SmsMessage.id)
            )
        return bool(rows)

    async def reply_of(self, message_sid: str) -> tuple[str | None, datetime | None]:
        """The reply stored for a MessageSid ("" for none given; None while it is being
        answered), and until when its claim holds."""
        row = await self.reader.fetchrow(
            "SELECT reply, claimed_until FROM sms_message WHERE message_sid = $1", message_sid
        )
        if row is None:
            return None, None
        return row["reply"], as_utc(row["claimed_until"])

    async def take_over(
        self, message_sid: str, holder: str, now: datetime, until: datetime
    ) -> bool:
        """Claims an unanswered message whose claim ran out before `now` (its holder died or gave
        up); False when it is answered, or still held, or another delivery took it first."""
        unclaimed = SmsMessage.claimed_until.is_null() | (SmsMessage.claimed_until < now)
        async with self.writer.transaction():
            rows = (
                await SmsMessage.update(
                    {SmsMessage.claimed_by: holder, SmsMessage.claimed_until: until}
                )
                .where((SmsMessage.message_sid == message_sid) & SmsMessage.reply.is_null())
                .where(unclaimed)
                .returning(SmsMessage.id)
            )
        return bool(rows)

    async def renew(self, message_sid: str, holder: str, until: datetime | None) -> bool:
        """Extends `holder`'s claim (None: gives it up, for the next delivery to take)."""
        async with self.writer.transaction():
            rows = (
                await SmsMessage.update({SmsMessage.claimed_until: until})
                .where((SmsMessage.message_sid == message_sid) & SmsMessage.reply.is_null())
                .where(SmsMessage.claimed_by == holder)
                .returning(SmsMessage.id)
            )
        return bool(rows)

    async def answer(self, message_sid: str, reply: str, conv: Conversation, at: datetime) -> str:
        """Stores the reply and the conversation it leaves, in one transaction, and returns the
        reply kept. The reply is written once: when another delivery (one that took over this
        one's claim) answered first, nothing of this one is kept and that reply is returned.
        ConcurrentChange when another message of the phone changed the conversation."""
        try:
            async with self.writer.transaction():
                rows = (
                    await SmsMessage.update({SmsMessage.reply: reply})
                    .where((SmsMessage.message_sid == message_sid) & SmsMessage.reply.is_null())
                    .returning(SmsMessage.id)
                )
                if not rows:
                    raise _AnsweredBefore
                await self.save_conversation(conv, at)
        except _AnsweredBefore:
            stored, _ = await self.reply_of(message_sid)
            return stored or ""
        return reply

    async def messages_since(self, phone: str, since: datetime) -> int:
        # On the Reader (inline on SQLite): through Piccolo, a read outside a transaction opened
        # a new aiosqlite connection each time, 13% of the webhook's event loop under load.
        row = await self.reader.fetchrow(
            "SELECT count(*) AS n FROM sms_message WHERE phone = $1 AND received_at >= $2",
            phone,
            as_stored(since),
        )
        return int(row["n"]) if row else 0

    # -- conversations -------------------------------------------------------------------------

    async def conversation(self, phone: str) -> Conversation:
        row = await self.reader.fetchrow(
            "SELECT language, language_chosen, state, draft, version, updated_at "
            "FROM sms_conversation WHERE phone = $1",
            phone,
        )
        if row is None:
            return Conversation(phone)
        return Conversation(
            phone=phone,
            language=row["language"],
            language_chosen=bool(row["language_chosen"]),
            state=row["state"],
            draft=json.loads(row["draft"] or "{}"),
            version=row["version"],
            updated_at=as_utc(row["updated_at"]),
        )

    async def save_conversation(self, conv: Conversation, at: datetime) -> None:
        """Stores it if nobody changed it since it was read; else ConcurrentChange."""
        values: dict[Column, Any] = {
            SmsConversation.language: conv.language,
            SmsConversation.language_chosen: conv.language_chosen,
            SmsConversation.state: conv.state,
            SmsConversation.draft: json.dumps(conv.draft, ensure_ascii=False),
            SmsConversation.version: conv.version + 1,
            SmsConversation.updated_at: at,
        }
        changes: dict[Column | str, Any] = {column: value for column, value in values.items()}
        async with self.writer.transaction():
            if conv.version < 0:
                rows = (
                    await SmsConversation.insert(
                        SmsConversation({SmsConversation.phone: conv.phone, **values})
                    )
                    .on_conflict(action="DO NOTHING")
                    .returning(SmsConversation.id)
                )
            else:
                rows = (
                    await SmsConversation.update(changes)
                    .where(
                        (SmsConversation.phone == conv.phone)
                        & (SmsConversation.version == conv.version)
                    )
                    .returning(SmsConversation.id)
                )
        if not rows:
            raise ConcurrentChange(conv.phone)
        conv.version += 1

    # -- delivery receipts ---------------------------------------------------------------------

    async def record_delivery(
        self, message_sid: str, status: str, error_code: int | None, phone: str | None, at: datetime
    ) -> None:
        async with self.writer.transaction():
            row = await self.reader.fetchrow(
                "SELECT status FROM sms_delivery WHERE message_sid = $1", message_sid
            )
            if row is None:
                await SmsDelivery.insert(
                    SmsDelivery(
                        message_sid=message_sid,
                        status=status,
                        error_code=error_code,
                        phone=phone,
                        updated_at=at,
                    )
                ).on_conflict(action="DO NOTHING")
            elif _PROGRESS.get(status, 0) >= _PROGRESS.get(row["status"], 0):
                await SmsDelivery.update(
                    {
                        SmsDelivery.status: status,
                        SmsDelivery.error_code: error_code,
                        SmsDelivery.updated_at: at,
                    }
                ).where(SmsDelivery.message_sid == message_sid)

    async def delivery(self, message_sid: str) -> tuple[str, int | None] | None:
        row = await self.reader.fetchrow(
            "SELECT status, error_code FROM sms_delivery WHERE message_sid = $1", message_sid
        )
        return (row["status"], row["error_code"]) if row else None
