"""The `Bot` protocol, through which the dialog's parts (its steps in sms/steps.py and
sms/police.py, the answers of sms/info.py and sms/where.py, the commands of sms/commands.py) call
back into the bot (sms/dialog.py) without importing it; and a dialog `Step`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sms.drafts import Drafts
from sms.parse import Parser
from sms.store import SmsStore
from sms.turns import Turn

if TYPE_CHECKING:
    from backend.services import Services


class Bot(Protocol):
    """What of the bot (sms/dialog.py: SmsBot) its parts use."""

    @property
    def services(self) -> Services: ...
    @property
    def parser(self) -> Parser: ...
    @property
    def store(self) -> SmsStore: ...
    @property
    def drafts(self) -> Drafts: ...

    async def start_report(self, turn: Turn) -> str:
        """A draft whose type is already known: what it still lacks."""
        ...

    async def next_prompt(self, turn: Turn) -> str:
        """The first thing the draft lacks, asked; or the request filed."""
        ...

    async def then(self, turn: Turn, done: str, short: str) -> str:
        """After the first of two problems: the second's draft."""
        ...


@dataclass(frozen=True)
class Step:
    """A state of the dialog: what it asks, and what a reply to it does (a reply of its own, or
    None to move on to whatever is missing next)."""

    prompt: Callable[[Bot, Turn], str]
    on_reply: Callable[[Bot, Turn], Awaitable[str | None]]
