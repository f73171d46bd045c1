""" "Is it fixed?": a day after a request is completed its reporter is asked, once; by text a NO
reopens it with the resident's words as a public note, a YES is thanked; an app reporter gets it
by push."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.notify.tables import Notification
from backend.service_requests.models import Subscriber
from sms.channel import sms_bot
from sms.dialog import Inbound
from tests.factories import pothole

PHONE = "+13125550177"
NOON = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # any date


@pytest.fixture
def clock(services, monkeypatch):
    now = {"t": NOON}
    monkeypatch.setattr(services.requests, "clock", lambda: now["t"])
    monkeypatch.setattr(services.dispatcher, "clock", lambda: now["t"])
    return now


async def _completed_sms_report(services, language="en") -> str:
    result = await services.requests.submit(
        pothole(channel="sms", reporter_phone=PHONE, subscriber=Subscriber.phone(PHONE, language))
    )
    tn = result.request.tracking_number
    await services.requests.transition(tn, "completed", actor="staff:1", channel="staff")
    return tn


async def _text(bot, body, at):
    return await bot.handle(
        Inbound(f"SM{at.timestamp():.0f}{body[:3]}", PHONE, body, received_at=at)
    )


async def test_a_no_reopens_it_with_the_residents_words(services, clock):
    tn = await _completed_sms_report(services)
    assert await services.requests.ask_if_fixed() == 0  # not a day yet
    clock["t"] = NOON + timedelta(hours=25)
    assert await services.requests.ask_if_fixed() == 1
    assert await services.requests.ask_if_fixed() == 0  # once
    (asked,) = await Notification.select().where(Notification.kind == "fixed_check")
    assert asked["target"] == PHONE and "Is it fixed? Reply YES or NO" in asked["body"]
    await services.dispatcher.run_once()
    bot = sms_bot(services)
    at = clock["t"] + timedelta(hours=2)
    reply = await _text(bot, "NO, still a hole there", at)
    assert f"{tn} is reopened" in reply
    view = await services.requests.get(tn)
    assert view.status == "reopened" and view.latest_public_note == "still a hole there"
    history = await services.requests.history(tn)
    assert history[-1].to_status == "reopened" and history[-1].note == "still a hole there"
    assert "already reopened" in await _text(bot, "no", at + timedelta(minutes=1))


async def test_a_yes_is_thanked_and_changes_nothing(services, clock):
    tn = await _completed_sms_report(services, "es")
    clock["t"] = NOON + timedelta(hours=25)
    await services.requests.ask_if_fixed()
    (asked,) = await Notification.select().where(Notification.kind == "fixed_check")
    assert "¿Se arregló?" in asked["body"]
    await services.dispatcher.run_once()
    reply = await _text(sms_bot(services), "si", clock["t"] + timedelta(hours=1))
    assert "Gracias" in reply
    assert (await services.requests.get(tn)).status == "completed"


async def test_without_a_question_asked_yes_and_no_mean_nothing_special(services, clock):
    await _completed_sms_report(services)
    reply = await _text(sms_bot(services), "no", NOON + timedelta(hours=1))
    assert "didn't get that" in reply


async def test_old_completions_are_not_asked(services, clock):
    await _completed_sms_report(services)
    clock["t"] = NOON + timedelta(days=9)
    assert await services.requests.ask_if_fixed() == 0
