"""What each follower chose: the channels that may reach them, their own quiet hours, and a daily
digest instead of each update as it happens. A device sets them through the app API
(`/api/v1/me/preferences`), a phone by SMS keywords (QUIET 22-7, QUIET OFF, DIGEST, INSTANT).

No row is the defaults: every channel of the follower's kind, the city's quiet hours
(`CITY311_QUIET_HOURS`), each update as it happens. The outbox reads them while it writes a
change's notifications (backend/notify/outbox.py), in the change's transaction; new quiet hours
(QUIET OFF, say) reschedule what they held, in the same transaction as the choice.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime

import msgspec

from backend.db import Reader, Writer
from backend.errors import InvalidInput
from backend.notify import repo
from backend.notify.quiet import QuietHours, parse_hours

# The channels each kind of follower can be reached on (a device's app also sees changes live on
# the page it has open: that is not a notification, and cannot be turned off).
KIND_CHANNELS = {"device": ("push",), "phone": ("sms",)}


class Keep(enum.Enum):
    """A choice left as it is (quiet hours may be set to None: the city's)."""

    KEEP = "keep"


KEEP = Keep.KEEP


class Preference(msgspec.Struct, frozen=True):
    channels: tuple[str, ...]
    quiet_hours: str | None = None  # None: the city's; "": none
    digest: bool = False


def default(kind: str) -> Preference:
    return Preference(channels=KIND_CHANNELS.get(kind, ()))


def check_quiet_hours(spec: str | None, field: str = "quiet_hours") -> str | None:
    """'22:00-07:00' as the resident wrote it, normalised; '' for none; None for the city's."""
    if spec is None:
        return None
    spec = spec.strip()
    if not spec or spec.lower() in ("none", "off"):
        return ""
    hours = parse_hours(spec)
    if hours is None:
        raise InvalidInput.for_field(
            field, f"'{spec[:20]}' is not quiet hours: write e.g. 22:00-07:00, or none"
        )
    return hours


class Preferences:
    def __init__(
        self,
        reader: Reader,
        writer: Writer,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        city_quiet_hours: str = "",
    ) -> None:
        self.reader, self.writer, self.clock = reader, writer, clock
        self.city_quiet_hours = city_quiet_hours  # CITY311_QUIET_HOURS: a follower's default

    async def of(self, kind: str, target: str) -> Preference:
        return (await self.of_many([(kind, target)])).get((kind, target), default(kind))

    async def of_many(self, followers: list[tuple[str, str]]) -> dict[tuple[str, str], Preference]:
        """The stored choices of those who have any (the others: `default(kind)`)."""
        found: dict[tuple[str, str], Preference] = {}
        for r in await repo.preferences(self.reader, sorted(set(followers))):
            found[(r["kind"], r["target"])] = Preference(
                channels=tuple(r["channels"]),
                quiet_hours=r["quiet_hours"],
                digest=bool(r["digest"]),
            )
        return found

    async def set(
        self,
        kind: str,
        target: str,
        *,
        channels: list[str] | None = None,
        quiet_hours: str | None | Keep = KEEP,
        digest: bool | None = None,
    ) -> Preference:
        """Change some choices (the others stay); returns them all."""
        current = await self.of(kind, target)
        if channels is not None:
            unknown = sorted(set(channels) - set(KIND_CHANNELS[kind]))
            if unknown:
                allowed = ", ".join(KIND_CHANNELS[kind]) or "none"
                raise InvalidInput.for_field(
                    "channels", f"'{unknown[0]}' is not a channel here; use: {allowed}"
                )
            current = msgspec.structs.replace(current, channels=tuple(dict.fromkeys(channels)))
        if not isinstance(quiet_hours, Keep):
            current = msgspec.structs.replace(current, quiet_hours=check_quiet_hours(quiet_hours))
        if digest is not None:
            current = msgspec.structs.replace(current, digest=digest)
        now = self.clock()
        async with self.writer.transaction():
            await repo.save_preference(
                kind, target, list(current.channels), current.quiet_hours, current.digest, now
            )
            if not isinstance(quiet_hours, Keep):
                await self._reschedule(kind, target, current.quiet_hours, now)
        return current

    async def _reschedule(self, kind: str, target: str, spec: str | None, now: datetime) -> None:
        """What the follower's quiet hours held is due when their new ones allow: now, after
        QUIET OFF. Rows never tried yet only (a retry keeps its backoff); all get the same time,
        so the dispatcher sends them in the order they were written. A row already claimed is
        `sending`, not touched."""
        due = QuietHours(self.city_quiet_hours if spec is None else spec).release(now)
        if kind == "phone":
            channel, targets = "sms", [target]
        elif kind == "device" and target.isdigit():
            rows = await repo.device_subscriptions(self.reader, int(target))
            channel, targets = "push", [str(r["id"]) for r in rows]
        else:
            return
        if targets:
            await repo.reschedule_untried(channel, targets, due)
