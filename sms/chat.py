"""`city311 sms chat --from +13125550100`: talk to the bot in a terminal, through the same code
path as the Twilio webhook (SmsBot.handle), without Twilio. `/photo PATH` sends a local photo as
an MMS; an empty line or end of input ends the chat."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from backend.identity.contact import ContactInvalid, normalize_phone
from backend.services import provide_services
from backend.settings import load_settings
from sms.dialog import SmsBot
from sms.inbound import Inbound
from sms.parse_cli import run as run_parse

__all__ = ["chat", "run_parse"]


async def _local_file(url: str) -> tuple[bytes, str]:
    """The simulator's "media host": files on this machine, named by file:// URLs."""
    if not url.startswith("file://"):
        raise ValueError("the simulator only sends local files")
    return Path(url.removeprefix("file://")).read_bytes(), "image/jpeg"


async def _converse(bot: SmsBot, phone: str, lines: Iterable[str], out: TextIO) -> None:
    for line in lines:
        text = line.rstrip("\r\n")
        if not text.strip():
            break
        media: list[tuple[str, str]] = []
        if text.startswith("/photo "):
            path = Path(text.removeprefix("/photo ").strip()).expanduser().resolve()
            media, text = [(f"file://{path}", "image/jpeg")], ""
        reply = await bot.handle(Inbound(f"CLI{uuid.uuid4().hex}", phone, text, media))
        out.write(f"< {reply}\n" if reply else "< (no reply)\n")
        out.flush()


def chat(phone: str, lines: Iterable[str], out: TextIO) -> int:
    from sms.channel import sms_bot

    try:
        phone = normalize_phone(phone)
    except ContactInvalid as exc:
        raise SystemExit(f"city311 sms chat: --from {exc}") from None

    async def run() -> None:
        services = await provide_services(load_settings())
        try:
            bot = sms_bot(services)
            bot.fetch_media = _local_file
            await _converse(bot, phone, lines, out)
        finally:
            await services.close()

    asyncio.run(run())
    return 0
