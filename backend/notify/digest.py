"""Daily digests: for each follower who chose one, the updates held since the last digest become
one message (the newest update's row carries it; the others are marked told in it)."""

from __future__ import annotations

from datetime import datetime

from backend.notify.store import OutboxStore

# Said before the updates, in the follower's language (each update was rendered in it already).
HEADER = {
    "en": "City311 daily update ({n}):",
    "es": "City311, resumen del día ({n}):",
    "pl": "City311, podsumowanie dnia ({n}):",
    "zh": "City311 每日更新（{n}）：",
}
MAX_BODY = 600  # four SMS segments at most
PREFIXES = ("City311: ", "City311：")


def digest_body(language: str, bodies: list[str]) -> str:
    header = HEADER.get(language, HEADER["en"]).format(n=len(bodies))
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
        title = f"City311: {len(rows)} update{'s' if len(rows) != 1 else ''}"
        await store.digest(newest["id"], [r["id"] for r in rows[:-1]], title, body, now)
        composed += 1
    return composed
