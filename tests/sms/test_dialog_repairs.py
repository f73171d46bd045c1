"""Repairing a conversation, on both engines: NEVERMIND (in each language) drops the draft and
texts go on, while Twilio's opt-out words end every text and say how to come back; HELP says both."""

from __future__ import annotations

import pytest

from backend.notify.tables import SmsConsent
from tests.sms import test_dialog
from tests.sms.test_dialog import PHONE, _filed, converse

clock, bot = test_dialog.clock, test_dialog.bot  # the same fixtures: a clock, the bot on it


@pytest.mark.parametrize(
    "words",
    ["NEVERMIND", "never mind", "Nevermind!", "start over", "forget it", "olvídalo",
     "no importa", "nieważne", "zacznij od nowa", "算了", "重新开始"],
)  # fmt: skip
async def test_nevermind_drops_the_draft_and_texts_go_on(services, bot, clock, words):
    await converse(
        bot, [("pothole at 1845 w cortland", "- right?"), (words, "report is dropped")], clock=clock
    )
    conv = await bot.store.conversation(PHONE)
    assert conv.state == "idle" and conv.draft == {}
    assert not await bot.store.opted_out(PHONE)
    await converse(bot, [("yes", "Sorry, I didn't get that")], clock=clock)  # nothing to confirm
    assert await _filed(services) == []


async def test_nevermind_says_the_report_is_dropped_in_the_residents_language(services, bot, clock):
    replies = await converse(
        bot,
        [("hay un bache en 3300 W Fullerton", "¿correcto?"), ("olvídalo", "el reporte se borró")],
        clock=clock,
    )
    assert "START" not in replies[-1]
    await converse(bot, [("NEVERMIND", "empecemos de nuevo")], clock=clock)  # no draft now


@pytest.mark.parametrize(
    "word", ["CANCEL", "cancel", "STOP", "End", "QUIT", "STOPALL", "stop all", "UNSUBSCRIBE",
             "revoke", "optout"],
)  # fmt: skip
async def test_twilios_opt_out_words_stay_opt_outs(services, bot, clock, word):
    replies = await converse(
        bot, [("pothole at 1845 w cortland", "- right?"), (word, "START")], clock=clock
    )
    assert "NEVERMIND" in replies[-1]  # a draft was open: how to drop just the report
    assert await bot.store.opted_out(PHONE)
    consent = await SmsConsent.select().where(SmsConsent.phone == PHONE).first()
    assert consent["opted_out"] is True
    await converse(bot, [("pothole at 1845 w cortland", None), ("HELP", None)], clock=clock)
    await converse(bot, [("START", "City311 texts again")], clock=clock)
    await converse(bot, [("yes", "Sorry, I didn't get that")], clock=clock)  # the draft is gone


async def test_an_opt_out_without_a_draft_says_only_how_to_come_back(services, bot, clock):
    (reply,) = await converse(bot, [("STOP", "START")], clock=clock)
    assert "NEVERMIND" not in reply


@pytest.mark.parametrize(
    "language,word,nevermind",
    [("es", "AYUDA", "OLVIDALO"), ("pl", "POMOC", "NIEWAŻNE"), ("zh", "帮助", "算了")],
)
async def test_help_states_nevermind_and_stop(services, bot, clock, language, word, nevermind):
    (reply,) = await converse(bot, [("HELP", "NEVERMIND")], clock=clock)
    assert "STOP" in reply and "START" in reply
    await converse(bot, [(f"LANG {language.upper()}", "")], clock=clock)
    # the resident's own word for NEVERMIND; STOP and START are the carriers' (English) words
    (reply,) = await converse(bot, [(word, nevermind)], clock=clock)
    assert "STOP" in reply and "START" in reply
