"""Builds the SMS bot from the domain services (for the webhook, the terminal simulator and tests)."""

from __future__ import annotations

from functools import lru_cache

from backend.services import Services
from backend.transports.twilio import TwilioApi
from sms.dialog import SmsBot
from sms.parse import Parser
from sms.store import SmsStore


@lru_cache(maxsize=1)
def parser() -> Parser:
    """The parser over the shipped catalog and streets: built once per process (~0.6 s)."""
    return Parser.load()


def sms_bot(services: Services, twilio: TwilioApi | None = None) -> SmsBot:
    """The bot; MMS photos are fetched through `twilio` (by default the services' client, made from
    the TWILIO_* settings; without them, texted photos are refused politely)."""
    twilio = twilio or services.twilio or TwilioApi.from_settings(services.settings)
    return SmsBot(
        services,
        SmsStore(services.reader, services.writer),
        parser(),
        fetch_media=twilio.fetch_media_async if twilio else None,
    )
