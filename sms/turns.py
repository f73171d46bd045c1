"""The `Turn` being answered, which every part of the SMS dialog reads and changes, and the
numbered lists its replies show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.i18n.messages import say
from backend.notify.segments import how_many_fit
from sms.parse import Parsed
from sms.store import Conversation


@dataclass
class Turn:
    """One message being answered: the conversation, the text and its reading."""

    conv: Conversation
    text: str
    parsed: Parsed
    message_sid: str
    at: datetime
    photos: bool = False  # the message carried photos (a picture message, with or without words)

    @property
    def draft(self) -> dict[str, Any]:
        return self.conv.draft

    def say(self, key: str, **values: object) -> str:
        return say(self.conv.language, key, **values)


def options(names: list[str]) -> str:
    return " ".join(f"{i}) {name}" for i, name in enumerate(names, 1))


def fitted_list(turn: Turn, key: str, kept: str, names: list[str]) -> str:
    """A numbered list of names in the reply `key`: as many as fit two segments (the draft's
    `kept` list keeps those shown, so that the numbers answer them)."""

    def reply(n: int) -> str:
        return turn.say(key, options=options(names[:n]))

    n = how_many_fit(reply, len(names))
    turn.draft[kept] = turn.draft[kept][:n]
    return reply(n)
