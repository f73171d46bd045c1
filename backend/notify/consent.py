"""SMS consent (STOP / START per number): the SMS channel records it, and every sender (the
notification dispatcher, the bot's replies) asks here first."""

from __future__ import annotations

from datetime import datetime

from backend.db import Reader, Writer
from backend.notify.tables import SmsConsent


class ConsentStore:
    def __init__(self, reader: Reader, writer: Writer) -> None:
        self.reader, self.writer = reader, writer

    async def opted_out(self, phone: str) -> bool:
        row = await self.reader.fetchrow(
            "SELECT opted_out FROM sms_consent WHERE phone = $1", phone
        )
        return bool(row and row["opted_out"])

    async def opted_out_among(self, phones: list[str]) -> set[str]:
        """Which of these numbers said STOP (one query for a dispatch batch)."""
        found: set[str] = set()
        unique = sorted(set(phones))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ", ".join(f"${i}" for i in range(1, len(chunk) + 1))
            rows = await self.reader.fetch(
                f"SELECT phone FROM sms_consent WHERE opted_out AND phone IN ({marks})", *chunk
            )
            found.update(str(r["phone"]) for r in rows)
        return found

    async def set_opted_out(self, phone: str, opted_out: bool, at: datetime) -> None:
        async with self.writer.transaction():
            await SmsConsent.insert(
                SmsConsent(phone=phone, opted_out=opted_out, changed_at=at)
            ).on_conflict(
                target=SmsConsent.phone,
                action="DO UPDATE",
                values=[SmsConsent.opted_out, SmsConsent.changed_at],
            )
