"""Notify's statements besides the dispatcher's (store.py): followers' preferences, Web Push
subscriptions, and the outbox rows a change writes. Callers open the transactions."""

from __future__ import annotations

import json
from datetime import datetime

from piccolo.custom_types import Combinable

from backend.db import Reader, Row
from backend.notify.tables import Notification, NotifyPreference, PushSubscription

# -- preferences --------------------------------------------------------------------------------


async def preferences(reader: Reader, followers: list[tuple[str, str]]) -> list[Row]:
    """kind, target, channels (a list), quiet_hours and digest of the followers who chose any."""
    found: list[Row] = []
    for start in range(0, len(followers), 200):
        chunk = followers[start : start + 200]
        args: list[str] = []
        terms = []
        for kind, target in chunk:
            args += [kind, target]
            terms.append(f"(kind = ${len(args) - 1} AND target = ${len(args)})")
        rows = await reader.fetch(
            "SELECT kind, target, channels, quiet_hours, digest FROM notify_preference "
            f"WHERE {' OR '.join(terms)}",
            *args,
        )
        for r in rows:
            if isinstance(r["channels"], str):
                r = {**r, "channels": json.loads(r["channels"])}
            found.append(r)
    return found


async def save_preference(
    kind: str,
    target: str,
    channels: list[str],
    quiet_hours: str | None,
    digest: bool,
    at: datetime,
) -> None:
    await NotifyPreference.insert(
        NotifyPreference(
            kind=kind,
            target=target,
            channels=json.dumps(channels),
            quiet_hours=quiet_hours,
            digest=digest,
            updated_at=at,
        )
    ).on_conflict(
        target=(NotifyPreference.kind, NotifyPreference.target),
        action="DO UPDATE",
        values=[
            NotifyPreference.channels,
            NotifyPreference.quiet_hours,
            NotifyPreference.digest,
            NotifyPreference.updated_at,
        ],
    )


async def reschedule_untried(channel: str, targets: list[str], due: datetime) -> None:
    """Pending notifications never tried yet to these targets become due at `due`."""
    await Notification.update({Notification.next_attempt_at: due}).where(
        (Notification.channel == channel)
        & Notification.target.is_in(targets)
        & (Notification.status == "pending")
        & (Notification.attempts == 0)
    )


# -- Web Push subscriptions ---------------------------------------------------------------------

_SUBSCRIPTION = "SELECT id, device, endpoint, p256dh, auth, language FROM push_subscription"


async def save_subscription(
    device: int, endpoint: str, p256dh: str, auth: str, language: str, at: datetime
) -> None:
    """Inserted, or the same endpoint's row updated."""
    await PushSubscription.insert(
        PushSubscription(
            device=device,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            language=language,
            created_at=at,
        )
    ).on_conflict(
        target=PushSubscription.endpoint,
        action="DO UPDATE",
        values=[
            PushSubscription.device,
            PushSubscription.p256dh,
            PushSubscription.auth,
            PushSubscription.language,
        ],
    )


async def subscription_id(reader: Reader, endpoint: str) -> int | None:
    row = await reader.fetchrow("SELECT id FROM push_subscription WHERE endpoint = $1", endpoint)
    return None if row is None else int(row["id"])


async def device_subscriptions(reader: Reader, device: int) -> list[Row]:
    """id and endpoint of each subscription of a device."""
    return await reader.fetch(
        "SELECT id, endpoint FROM push_subscription WHERE device = $1", device
    )


async def delete_subscription(subscription_id: int, device: int | None = None) -> bool:
    """False when there is none (of that device, if given)."""
    where: Combinable = PushSubscription.id == subscription_id
    if device is not None:
        where = where & (PushSubscription.device == device)
    rows = await PushSubscription.delete().where(where).returning(PushSubscription.id)
    return bool(rows)


async def subscription(reader: Reader, subscription_id: int) -> Row | None:
    return await reader.fetchrow(f"{_SUBSCRIPTION} WHERE id = $1", subscription_id)


async def subscriptions_of(reader: Reader, devices: list[int]) -> list[Row]:
    marks = ", ".join(f"${i}" for i in range(1, len(devices) + 1))
    return await reader.fetch(f"{_SUBSCRIPTION} WHERE device IN ({marks}) ORDER BY id", *devices)


# -- the outbox rows of a change ----------------------------------------------------------------


async def insert_notifications(rows: list[Notification]) -> None:
    await Notification.insert(*rows).on_conflict(action="DO NOTHING")


async def latest_pending(request: int) -> dict[tuple[str, str], datetime]:
    """When the last pending notification of a request to each (channel, target) is due."""
    latest: dict[tuple[str, str], datetime] = {}
    for r in await Notification.select(
        Notification.channel, Notification.target, Notification.next_attempt_at
    ).where((Notification.request == request) & (Notification.status == "pending")):
        key = (r["channel"], r["target"])
        latest[key] = max(latest.get(key, r["next_attempt_at"]), r["next_attempt_at"])
    return latest


async def supersede(
    request: int, event_id: int, channel: str, targets: list[str], kinds: list[str]
) -> None:
    """Pending notifications of these kinds of a request, to these targets, of another event
    become superseded."""
    for start in range(0, len(targets), 500):
        await Notification.update(
            {Notification.status: "superseded", Notification.claimed_until: None}
        ).where(
            (Notification.request == request)
            & (Notification.status == "pending")
            & (Notification.channel == channel)
            & Notification.kind.is_in(kinds)
            & (Notification.event != event_id)
            & Notification.target.is_in(targets[start : start + 500])
        )
