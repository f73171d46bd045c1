"""Photos texted (MMS) for a request not filed yet: kept in the database with the phone's draft
until it is filed or dropped, and purged when the draft is abandoned (backend/jobs/purge.py)."""

from __future__ import annotations

from datetime import datetime

from piccolo.columns import Bytea, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table

from backend.db import Reader, Writer


class SmsDraftPhoto(Table):
    """Photos (MMS) kept with a draft until it is filed or dropped; at most 5 per phone."""

    id: Serial  # Piccolo's own primary key

    phone = Varchar(length=32, index=True)
    position = Integer()
    content = Bytea()
    created_at = Timestamptz()


class DraftPhotos:
    def __init__(self, reader: Reader, writer: Writer) -> None:
        self.reader, self.writer = reader, writer

    async def add_photo(self, phone: str, content: bytes, at: datetime) -> int:
        """Keeps a photo with the phone's draft; the number of photos it now has."""
        async with self.writer.transaction():
            row = await self.reader.fetchrow(
                "SELECT COUNT(*) AS n FROM sms_draft_photo WHERE phone = $1", phone
            )
            count = int(row["n"]) if row else 0
            await SmsDraftPhoto.insert(
                SmsDraftPhoto(phone=phone, position=count, content=content, created_at=at)
            )
        return count + 1

    async def photos(self, phone: str) -> list[bytes]:
        rows = await self.reader.fetch(
            "SELECT content FROM sms_draft_photo WHERE phone = $1 ORDER BY position", phone
        )
        return [bytes(r["content"]) for r in rows]

    async def drop_photos(self, phone: str) -> None:
        async with self.writer.transaction():
            await SmsDraftPhoto.delete().where(SmsDraftPhoto.phone == phone)

    async def drop_photos_before(self, moment: datetime) -> int:
        """Photos of drafts abandoned before `moment` (the purge job's part)."""
        async with self.writer.transaction():
            rows = (
                await SmsDraftPhoto.delete()
                .where(SmsDraftPhoto.created_at < moment)
                .returning(SmsDraftPhoto.id)
            )
        return len(rows)
