"""The interpreter callback queue: `queue()` (the SMS bot, for a text in a language it does not
speak), `list()` and `done()` (staff, who call back with an interpreter).

A phone has at most one open callback: a further text while it waits is appended to it, and a
redelivery of the same message (Twilio's, or the bot's own retry) adds nothing. Marking one done
records who called, the interpreter's language, and the request filed on the call, if any.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec

from backend.db import Reader, Writer, as_utc
from backend.errors import Conflict, InvalidInput, NotFound
from backend.interpreters import repo
from backend.service_requests.tracking import parse_tracking_number

MAX_TEXT = 4000  # the texts one callback keeps (the newest are cut, never the first)
STATUSES = ("open", "done")
# An IETF language tag's language (ISO 639-1 or -3) and an optional script or region: "ar",
# "zh-Hant", "yue", "pt-BR"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$"
LANGUAGE_CODE = re.compile(LANGUAGE_PATTERN)
# a payload's interpreter language, as the OpenAPI documents show it
LanguageTag = Annotated[
    str,
    msgspec.Meta(
        min_length=2,
        max_length=16,
        pattern=LANGUAGE_PATTERN,
        description="An ISO 639 language code, with a script or region if need be: ar, ht, pt-BR",
    ),
]


class CallbackView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    phone: str
    channel: str
    language: str | None
    language_name: str
    text: str
    texts: int
    status: str
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None = None
    done_by: int | None = None
    interpreter_language: str | None = None
    tracking_number: str | None = None
    note: str | None = None


def check_language(code: str | None, field: str) -> str | None:
    """A language tag as sent ("ar", "pt-BR"), or a 422 naming `field`."""
    if code is None:
        return None
    code = code.strip()
    if not LANGUAGE_CODE.match(code):
        raise InvalidInput.for_field(
            field, f"{field}: a language code such as ar, ht, ko or pt-BR (ISO 639)"
        )
    return code


def _view(row: dict[str, Any]) -> CallbackView:
    fields = {name: row[name] for name in CallbackView.__struct_fields__}
    for moment in ("created_at", "updated_at", "done_at"):
        fields[moment] = as_utc(fields[moment])
    return CallbackView(**fields)


def _now() -> datetime:
    return datetime.now(UTC)


class InterpreterCallbacks:
    def __init__(
        self,
        reader: Reader,
        writer: Writer,
        clock: Callable[[], datetime] = _now,
        request_exists: Callable[[str], Awaitable[object]] | None = None,
    ) -> None:
        """`request_exists`: looks a tracking number up (RequestService.get), NotFound when no
        request has it; a callback marked done names only a request that exists."""
        self.reader, self.writer, self.clock = reader, writer, clock
        self.request_exists = request_exists

    async def queue(
        self,
        phone: str,
        text: str,
        *,
        language: str | None,
        language_name: str,
        message_sid: str | None = None,
        channel: str = "sms",
    ) -> CallbackView:
        """The phone's open callback with this text in it (a new one if none is open)."""
        now = self.clock()
        text = text.strip()[:MAX_TEXT]
        async with self.writer.transaction():
            row = await repo.open_callback(phone)
            if row is not None:
                if message_sid is not None and row["last_message_sid"] == message_sid:
                    return _view(row)  # this very message, again
                learnt = (
                    (language, language_name)
                    if row["language"] is None and language is not None
                    else None
                )
                await repo.append_text(
                    row["id"],
                    f"{row['text']}\n{text}"[:MAX_TEXT],
                    row["texts"] + 1,
                    message_sid,
                    now,
                    learnt,
                )
                callback_id: int = row["id"]
            else:
                callback_id = await repo.insert_callback(
                    phone, channel, language, language_name, text, message_sid, now
                )
            return await self._get(callback_id)

    async def _get(self, callback_id: int) -> CallbackView:
        row = await repo.callback_in_transaction(callback_id)
        if row is None:
            raise NotFound(f"no interpreter callback {callback_id}")
        return _view(row)

    async def get(self, callback_id: int) -> CallbackView:
        row = await repo.callback(self.reader, callback_id)
        if row is None:
            raise NotFound(f"no interpreter callback {callback_id}")
        return _view(row)

    async def page(
        self, status: str | None = "open", limit: int = 50, after: int | None = None
    ) -> list[CallbackView]:
        """Oldest first (the longest waiting on top); `after` an id: the next page."""
        if status is not None and status not in STATUSES:
            raise InvalidInput.for_field("status", "status: open or done")
        rows = await repo.callbacks(self.reader, status, limit, after or 0)
        return [_view(row) for row in rows]

    async def done(
        self,
        callback_id: int,
        *,
        staff_id: int,
        interpreter_language: str | None,
        tracking_number: str | None = None,
        note: str | None = None,
    ) -> CallbackView:
        """Called back: who, with which interpreter language, and what came of it. Once only."""
        if tracking_number is not None and self.request_exists is not None:
            try:
                await self.request_exists(tracking_number)
            except NotFound:
                raise InvalidInput.for_field(
                    "trackingNumber", f"trackingNumber: no request {tracking_number[:40]}"
                ) from None
        interpreter_language = check_language(interpreter_language, "interpreterLanguage")
        if tracking_number is not None:
            number = parse_tracking_number(tracking_number)
            if number is None:
                raise InvalidInput.for_field(
                    "trackingNumber", "trackingNumber: a tracking number, e.g. SR26-00012345"
                )
            tracking_number = number
        now = self.clock()
        async with self.writer.transaction():
            current = await self._get(callback_id)
            if current.status != "open":
                raise Conflict(f"interpreter callback {callback_id} is already done")
            changed = await repo.mark_done(
                callback_id,
                staff_id,
                interpreter_language or current.language,
                tracking_number,
                note,
                now,
            )
            if not changed:  # another staff member marked it done meanwhile
                raise Conflict(f"interpreter callback {callback_id} is already done")
            return await self._get(callback_id)
