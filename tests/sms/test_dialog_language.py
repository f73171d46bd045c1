"""The conversation's language: a first text decides it whatever it asks (a tracking number,
FOLLOW, HELP), a follower keeps it, and "I can't read English" in the resident's words switches
the conversation — the question they could not read comes again in their language."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest

from backend.i18n.messages import say
from backend.service_requests.tables import Subscription
from sms.channel import sms_bot
from sms.dialog import Inbound
from tests.factories import pothole

PHONE = "+13125550111"
_sids = itertools.count(1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # any date

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=30)
        return self.now


@pytest.fixture
def bot(services):
    bot = sms_bot(services)
    bot.clock = Clock()
    return bot


async def text(bot, body: str, phone: str = PHONE) -> str:
    reply = await bot.handle(Inbound(f"SL{next(_sids):032x}", phone, body, received_at=bot.clock()))
    assert reply is not None, body
    return reply


async def _existing(services) -> str:
    return (await services.requests.submit(pothole())).request.tracking_number


@pytest.mark.parametrize(
    ("first", "language", "fragment"),
    [
        ("estado {tn}", "es", "recibido"),
        ("seguir {tn}", "es", "Recibirá avisos"),
        ("obserwuj {tn}", "pl", "Dostaniesz SMS"),
        ("关注 {tn}", "zh", "您将收到"),
        ("状态 {tn}", "zh", "已收到"),
        ("ayuda", "es", "diga el problema"),
        ("pomoc", "pl", "co i gdzie"),
        ("帮助", "zh", "请发问题和地点"),
    ],
)
async def test_a_first_text_decides_the_language_whatever_it_asks(
    services, bot, first, language, fragment
):
    tn = await _existing(services)
    assert fragment.lower() in (await text(bot, first.format(tn=tn))).lower()
    conv = await bot.store.conversation(PHONE)
    assert conv.language == language


async def test_a_follower_keeps_the_language_of_the_first_text(services, bot):
    tn = await _existing(services)
    await text(bot, f"seguir {tn}")
    await text(bot, "2")  # a keyword later says nothing of the language
    rows = await Subscription.select(Subscription.language).where(Subscription.target == PHONE)
    assert [r["language"] for r in rows] == ["es"]
    assert "recibido" in await text(bot, f"STATUS {tn}")


@pytest.mark.parametrize(
    ("plea", "language", "fragment"),
    [
        ("no hablo inglés", "es", "¿Dónde está?"),
        ("nie mówię po angielsku", "pl", "Gdzie?"),
        ("我看不懂英文", "zh", "在哪里？"),
    ],
)
async def test_i_cant_read_english_asks_again_in_the_residents_language(
    services, bot, plea, language, fragment
):
    assert "Where is it?" in await text(bot, "pothole")
    assert fragment in await text(bot, plea)
    conv = await bot.store.conversation(PHONE)
    assert (conv.language, conv.language_chosen, conv.state) == (language, True, "ask_location")


async def test_a_plea_outside_a_report_says_the_language_is_set(bot):
    assert "中文" in await text(bot, "我看不懂英文")
    assert "español" in await text(bot, "no hablo inglés", phone="+13125550112")


@pytest.mark.parametrize(
    ("dialog", "language", "told"),
    [
        (["1845 W Cortland 有涂鸦", "是", "1", "1", "2"], "zh", "清除涂鸦"),
        (["hay un bache muy hondo en 3300 W Fullerton", "si", "2"], "es", "Bache en la"),
        (["dziura w jezdni 3300 W Fullerton", "tak", "2"], "pl", "Dziura w jezdni"),
    ],
)
async def test_a_reporters_updates_come_in_the_language_they_texted_in(
    services, bot, dialog, language, told
):
    from backend.notify.tables import Notification

    for body in dialog:
        reply = await text(bot, body)
    tn = re.search(r"SR\d\d-\d{8}", reply).group()
    assert told in reply
    await services.requests.transition(tn, "in_progress", actor="staff:1", channel="staff")
    rows = await Notification.select(Notification.language, Notification.body).where(
        (Notification.target == PHONE) & (Notification.kind == "status_changed")
    )
    assert [r["language"] for r in rows] == [language]
    assert told in rows[0]["body"] and say(language, "status.in_progress") in rows[0]["body"]
