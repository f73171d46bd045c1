"""Daily digests: for each follower who chose one, the updates held since the last digest become
one message (the newest update's row carries it; the others are marked told in it)."""

from __future__ import annotations

from datetime import datetime

from backend.i18n.messages import say
from backend.notify.store import OutboxStore

MAX_BODY = 600  # four SMS segments at most
PREFIXES = ("City311: ", "City311：")


def digest_body(language: str, bodies: list[str]) -> str:
    # said before the updates, in the follower's language (each update was rendered in it)
    header = say(language, "digest.header", n=len(bodies))
    lines = []
    for body in bodies:
        for prefix in PREFIXES:
            body = body.removeprefix(prefix)
        lines.append("- " + body)
    text = header
    for count, line in enumerate(lines):
        if len(text) + len(line) + 1 > MAX_BODY:
            return text + f"\n(+{len(lines) - count})"
        text += "\n" + line
    return text


async def send_digests(store: OutboxStore, now: datetime) -> int:
    """Compose every held follower's digest (sent by the next dispatch); how many."""
    composed = 0
    for rows in (await store.held()).values():
        newest = rows[-1]
        body = digest_body(newest["language"], [r["body"] for r in rows])
        title = say(newest["language"], "digest.title", n=len(rows))
        await store.digest(newest["id"], [r["id"] for r in rows[:-1]], title, body, now)
        composed += 1
    return composed
