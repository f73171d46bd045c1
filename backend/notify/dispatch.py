"""Sends what the outbox holds: claims due rows, hands each to its channel's transport, and marks
it sent (with the provider's id), retried with backoff, or failed. A number that said STOP is
never texted: its rows are suppressed here, at the last moment, whenever the STOP came."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from backend.notify.store import Claimed, OutboxStore
from backend.notify.transports import DeliveryFailed, Transport

log = logging.getLogger("city311.notify")

BACKOFF = (30, 120, 600, 3600)  # seconds before attempts 2, 3, 4, 5…
GIVE_UP = timedelta(days=1)
LEASE = timedelta(minutes=2)  # a claim not finished by then (its worker died) is due again


class Dispatcher:
    def __init__(
        self,
        store: OutboxStore,
        transports: dict[str, Transport],
        *,
        opted_out: Callable[[list[str]], Awaitable[set[str]]],
        opt_out: Callable[[str, datetime], Awaitable[None]],
        forget_subscription: Callable[[str], Awaitable[None]] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        batch: int = 200,
        concurrency: int = 8,
        lease: timedelta = LEASE,
        backoff: tuple[float, ...] = BACKOFF,
    ) -> None:
        self.store, self.transports = store, transports
        self.opted_out, self.opt_out = opted_out, opt_out
        self.forget_subscription = forget_subscription
        self.clock, self.batch, self.lease = clock, batch, lease
        self._slots = asyncio.Semaphore(concurrency)
        self.backoff = backoff or BACKOFF

    async def run_once(self) -> Counter[str]:
        """One pass: every due row, batch after batch. Returns how each ended."""
        outcome: Counter[str] = Counter()
        while True:
            now = self.clock()
            claimed = await self.store.claim(now, now + self.lease, self.batch)
            if not claimed:
                return outcome
            # STOP is checked at the last moment: once for the batch's numbers.
            stopped = await self.opted_out([n.target for n in claimed if n.channel == "sms"])
            # Each follower's rows one after the other, oldest first (the followers side by side):
            # what quiet hours held for one phone reaches it in the order it was written.
            turns: dict[tuple[str, str], list[Claimed]] = {}
            for n in claimed:
                turns.setdefault((n.channel, n.target), []).append(n)
            done = await asyncio.gather(*(self._in_turn(rows, stopped) for rows in turns.values()))
            results = [r for rows in done for r in rows]
            outcome.update(r for r in results if r and r != "live")
            # A follower's next update of a request waits for the one before it (the claim keeps
            # them in order): once that is done, claim again, so a pass sends all that is due.
            if len(claimed) < self.batch and all(r == "retried" for r in results):
                return outcome

    async def _in_turn(self, rows: list[Claimed], stopped: set[str]) -> list[str]:
        return [await self._deliver(n, stopped) for n in rows]

    async def _deliver(self, n: Claimed, stopped: set[str]) -> str:
        async with self._slots:
            attempts = n.attempts + 1
            if n.channel == "sms" and n.target in stopped:
                await self.store.failed(n.id, n.attempts, "opted out (STOP)", "suppressed")
                return "suppressed"
            transport = self.transports.get(n.channel)
            if transport is None:
                await self.store.failed(n.id, attempts, f"no transport for {n.channel}")
                return "failed"
            try:
                provider_id = await transport.send(n)
            except DeliveryFailed as exc:
                return await self._failed(n, attempts, exc)
            except Exception as exc:  # a transport's bug or a network error: try again later
                log.exception("notification %s: unexpected error", n.id)
                return await self._failed(
                    n, attempts, DeliveryFailed(repr(exc)[:200], permanent=False)
                )
            await self.store.sent(n.id, provider_id, self.clock())
            return "sent" if n.channel != "live" else "live"  # a wake-up, not a message

    async def _failed(self, n: Claimed, attempts: int, exc: DeliveryFailed) -> str:
        now = self.clock()
        if exc.opted_out:
            await self.opt_out(n.target, now)
        if exc.gone and self.forget_subscription is not None:
            await self.forget_subscription(n.target)
        if exc.permanent:
            status = "suppressed" if exc.opted_out or exc.gone else "failed"
            await self.store.failed(n.id, attempts, str(exc), status)
            log.info("notification %s: %s (%s)", n.id, status, exc)
            return status
        wait = self.backoff[min(attempts - 1, len(self.backoff) - 1)]
        if exc.retry_after:
            wait = max(wait, exc.retry_after)
        retry_at = now + timedelta(seconds=wait)
        if retry_at - n.created_at > GIVE_UP:
            await self.store.failed(n.id, attempts, f"gave up after a day: {exc}")
            return "failed"
        await self.store.retry(n, attempts, retry_at, str(exc))
        return "retried"
