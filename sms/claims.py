"""Every text answered once: Twilio may deliver a text more than once, even several times at once.
The first delivery claims its MessageSid and answers; the others wait for that reply and give it
too. A claim whose holder died (its lease not renewed) is taken over by the next delivery."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta

from backend.errors import Conflict
from backend.logsafe import mask_phone as masked
from sms.inbound import Inbound
from sms.store import ConcurrentChange, Conversation, SmsStore

log = logging.getLogger("city311.sms")

# A message's claim lasts this long unless its holder renews it (every third of it) while answering.
CLAIM_LEASE = timedelta(seconds=15)
# How long a second delivery of a message waits for the first's reply (Twilio gives up at 15 s).
REPLY_WAIT = timedelta(seconds=10)


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class AnswersOnce:
    """The part of the bot (sms/dialog.py) that claims each message and stores its one reply;
    `_answer` is the dialog's."""

    store: SmsStore
    clock: Callable[[], datetime]

    def __init__(self, store: SmsStore, clock: Callable[[], datetime]) -> None:
        self.store, self.clock = store, clock
        self.lease, self.reply_wait = CLAIM_LEASE, REPLY_WAIT
        # one message of a phone at a time in this process (a lock lives while anyone holds it)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def handle(self, inbound: Inbound) -> str | None:
        """The reply to one text (None: say nothing). Twilio may deliver a text more than once,
        even several times at once: the first delivery claims its MessageSid and answers; the
        others wait for that reply and answer it too, so nothing is done twice and every
        delivery gets the same answer. A claim whose holder died (its lease not renewed) is
        taken over by the next delivery; one still held after `reply_wait` is a Conflict."""
        at = inbound.received_at or self.clock()
        sid, holder = inbound.message_sid, uuid.uuid4().hex
        body = inbound.body[:1600]
        until = self.clock() + self.lease
        if not await self.store.claim(
            sid, inbound.phone, body, len(inbound.media), at, holder, until
        ):
            earlier = await self._reply_given(sid, holder)
            if earlier is not None:
                log.info("sms from %s: delivered again, answered as before", masked(inbound.phone))
                return earlier or None
        keeping = asyncio.create_task(self._keep_claim(sid, holder))
        try:
            reply = await self._answer_once(inbound, at)
        except Exception:
            await _stop(keeping)
            await self.store.renew(sid, holder, None)  # the next delivery answers at once
            raise
        finally:
            await _stop(keeping)
        log.info("sms from %s: %s", masked(inbound.phone), "replied" if reply else "no reply")
        return reply or None

    async def _reply_given(self, message_sid: str, holder: str) -> str | None:
        """The reply another delivery of this message gave, waiting for it while that delivery
        holds the message; None when this one took over a claim that ran out."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.reply_wait.total_seconds()
        pause = 0.01
        while True:
            reply, until = await self.store.reply_of(message_sid)
            if reply is not None:
                return reply
            now = self.clock()
            ran_out = until is None or until <= now
            if ran_out and await self.store.take_over(message_sid, holder, now, now + self.lease):
                log.warning("sms %s: its claim ran out; answered by this delivery", message_sid)
                return None
            if loop.time() >= deadline:
                raise Conflict.for_field(
                    "MessageSid",
                    "this message is still being answered (another delivery of it came first); "
                    "try again in a few seconds",
                )
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.2)

    async def _keep_claim(self, message_sid: str, holder: str) -> None:
        """Renews the claim while this delivery answers, so that nobody takes it over."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                await self.store.renew(message_sid, holder, self.clock() + self.lease)
            except Exception as exc:  # the database, for a moment: the next renewal may work
                log.warning("sms %s: claim not renewed: %r", message_sid, exc)

    async def _answer_once(self, inbound: Inbound, at: datetime) -> str:
        """Answers as the holder of the message's claim: the reply and the conversation it leaves
        are stored together; the reply kept is returned ("" for none)."""
        lock = self._locks.get(inbound.phone)
        if lock is None:
            lock = self._locks[inbound.phone] = asyncio.Lock()
        async with lock:
            for attempt in range(3):
                conv, reply = await self._answer(inbound, at)
                try:
                    return await self.store.answer(inbound.message_sid, reply or "", conv, at)
                except ConcurrentChange:  # another process answered this phone meanwhile
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _answer(self, inbound: Inbound, at: datetime) -> tuple[Conversation, str | None]:
        """The reply to one text and the conversation it leaves (not stored yet)."""
        raise NotImplementedError
