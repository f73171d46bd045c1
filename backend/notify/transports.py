"""How a notification leaves: one small protocol, one class per channel (SMS through Twilio's SDK,
Web Push, and a log transport standing in when a channel is not configured)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

from backend.logsafe import escape, mask_phone
from backend.notify.store import IN_DOUBT, Claimed
from backend.transports.twilio import SendError, TwilioApi

log = logging.getLogger("city311.notify")


class DeliveryFailed(Exception):
    """`permanent`: retrying cannot help (an invalid number, an opted-out one, a gone subscription)."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        retry_after: float | None = None,
        opted_out: bool = False,
        gone: bool = False,
    ) -> None:
        super().__init__(message)
        self.permanent, self.retry_after = permanent, retry_after
        self.opted_out, self.gone = opted_out, gone


class Transport(Protocol):
    channel: str

    async def send(self, notification: Claimed) -> str | None:
        """Hands it to the provider; the provider's id for it. Raises DeliveryFailed."""
        ...


class Pace:
    """At most `per_second` sends, spaced evenly (a long code sends ~1 a second, a short code 100)."""

    def __init__(self, per_second: float | None) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


class SmsTransport:
    channel = "sms"

    def __init__(self, api: TwilioApi, status_callback: str | None, per_second: float | None):
        self.api, self.status_callback = api, status_callback
        self.pace = Pace(per_second)

    async def send(self, notification: Claimed) -> str | None:
        try:
            if notification.in_doubt and (
                sid := await self.api.find_sent_async(
                    notification.target, notification.body, notification.created_at
                )
            ):
                return sid  # Twilio has it already: never sent twice
            await self.pace.wait()
            sent = await self.api.send_sms_async(
                notification.target, notification.body, status_callback=self.status_callback
            )
        except SendError as exc:
            # still in doubt until Twilio has answered whether it has the message
            doubt = IN_DOUBT if exc.maybe_sent or notification.in_doubt else ""
            raise DeliveryFailed(
                f"{doubt}twilio {exc.code}: {exc}",
                permanent=exc.permanent,
                retry_after=exc.retry_after,
                opted_out=exc.opted_out,
            ) from None
        return sent.sid


class LogTransport:
    """Records what would be sent (no provider configured): the log shows it, masked."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    async def send(self, notification: Claimed) -> str | None:
        target = mask_phone(notification.target) if self.channel == "sms" else "subscription"
        log.info("%s to %s (not sent: no provider configured): %s", self.channel, target,
                 escape(notification.body, limit=None))  # fmt: skip
        return f"log-{notification.id}"
