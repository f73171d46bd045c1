"""One text as Twilio (or the terminal simulator) hands it to the SMS bot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Inbound:
    """One text as Twilio (or the terminal simulator) hands it over."""

    message_sid: str
    phone: str  # E.164
    body: str
    media: list[tuple[str, str]] = field(default_factory=list)  # (url, content type)
    received_at: datetime | None = None


# (url) -> (bytes, content type): how the bot fetches a texted photo (Twilio's media URL)
MediaFetcher = Callable[[str], Awaitable[tuple[bytes, str]]]
