"""The interpreter callback queue's statements. The service (callbacks.py) opens the
transactions; these run inside them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.columns import Column

from backend.db import Reader, Row
from backend.interpreters.tables import InterpreterCallback

COLUMNS = (
    "id, phone, channel, language, language_name, text, texts, status, created_at, updated_at, "
    "done_at, done_by, interpreter_language, tracking_number, note"
)
_SELECT = f"SELECT {COLUMNS} FROM interpreter_callback"


async def open_callback(phone: str) -> Row | None:
    """The phone's newest open callback (every column), in the caller's transaction."""
    rows = await (
        InterpreterCallback.select()
        .where(InterpreterCallback.phone == phone)
        .where(InterpreterCallback.status == "open")
        .order_by(InterpreterCallback.id, ascending=False)
        .limit(1)
    )
    return rows[0] if rows else None


async def append_text(
    callback_id: int,
    text: str,
    texts: int,
    message_sid: str | None,
    at: datetime,
    language: tuple[str, str] | None = None,
) -> None:
    """The callback's texts (all of them, and how many), and its language if now known."""
    values: dict[Column | str, Any] = {
        InterpreterCallback.text: text,
        InterpreterCallback.texts: texts,
        InterpreterCallback.last_message_sid: message_sid,
        InterpreterCallback.updated_at: at,
    }
    if language is not None:
        values[InterpreterCallback.language] = language[0]
        values[InterpreterCallback.language_name] = language[1]
    await InterpreterCallback.update(values).where(InterpreterCallback.id == callback_id)


async def insert_callback(
    phone: str,
    channel: str,
    language: str | None,
    language_name: str,
    text: str,
    message_sid: str | None,
    at: datetime,
) -> int:
    inserted = await InterpreterCallback.insert(
        InterpreterCallback(
            phone=phone,
            channel=channel,
            language=language,
            language_name=language_name,
            text=text,
            texts=1,
            last_message_sid=message_sid,
            status="open",
            created_at=at,
            updated_at=at,
        )
    ).returning(InterpreterCallback.id)
    callback_id: int = inserted[0]["id"]
    return callback_id


async def callback_in_transaction(callback_id: int) -> Row | None:
    """A callback (every column) as the caller's transaction sees it."""
    rows = await InterpreterCallback.select().where(InterpreterCallback.id == callback_id)
    return rows[0] if rows else None


async def callback(reader: Reader, callback_id: int) -> Row | None:
    return await reader.fetchrow(f"{_SELECT} WHERE id = $1", callback_id)


async def callbacks(reader: Reader, status: str | None, limit: int, after: int) -> list[Row]:
    """Callbacks after the id `after` (with this status, if given), by id."""
    terms, args = ["id > $1"], list[int | str]([after])
    if status is not None:
        args.append(status)
        terms.append(f"status = ${len(args)}")
    return await reader.fetch(
        f"{_SELECT} WHERE {' AND '.join(terms)} ORDER BY id LIMIT {int(limit)}", *args
    )


async def mark_done(
    callback_id: int,
    staff_id: int,
    interpreter_language: str | None,
    tracking_number: str | None,
    note: str | None,
    at: datetime,
) -> bool:
    """False when the callback is no longer open (marked done meanwhile)."""
    changed = (
        await InterpreterCallback.update(
            {
                InterpreterCallback.status: "done",
                InterpreterCallback.done_at: at,
                InterpreterCallback.done_by: staff_id,
                InterpreterCallback.interpreter_language: interpreter_language,
                InterpreterCallback.tracking_number: tracking_number,
                InterpreterCallback.note: note,
                InterpreterCallback.updated_at: at,
            }
        )
        .where((InterpreterCallback.id == callback_id) & (InterpreterCallback.status == "open"))
        .returning(InterpreterCallback.id)
    )
    return bool(changed)
