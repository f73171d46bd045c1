"""`city311 sms chat` holds a whole conversation in Spanish, Polish and Chinese — a report with
its place, the type's question, the photo offered and declined, the tracking number, its status, help — and no reply
has an English word a resident must read: none of the words of the English texts (the bot's
sentences, the catalog's names, questions and options), street names and the carriers' own STOP
and START keywords aside."""

from __future__ import annotations

import io
import re

import pytest

from backend.catalog.translate import localized
from backend.i18n.messages import MESSAGES
from sms.channel import sms_bot
from sms.chat import _converse

CONVERSATIONS = {
    "es": ["hay un bache muy hondo en 3300 W Fullerton", "si", "2", "estado", "ayuda",
           "ratas en el callejón de 2400 S Kedzie", "no", "sin foto", "olvídalo"],
    "pl": ["dziura w jezdni 3300 W Fullerton", "tak", "2", "stan", "pomoc",
           "szczury w alejce przy 2400 S Kedzie", "nie", "bez zdjęcia", "2", "nieważne"],
    "zh": ["1845 W Cortland 有涂鸦", "是", "1", "1", "2", "查询", "帮助",
           "2400 S Kedzie 后巷有老鼠", "否", "没有照片", "算了"],
}  # fmt: skip
STREETS = {"fullerton", "kedzie", "cortland", "milwaukee", "ave", "st"}
# the carriers' opt-out and opt-in words (Twilio's, English in every language), our name, and
# words the languages share with English
ALLOWED = {"stop", "start", "city311", "chicago", "graffiti", "status", "sr26", "problem"}
WORD = r"[A-Za-z][A-Za-z0-9]{2,}"  # "SR26" and "City311" are one word; "en", "no", "i" none


def _english_words(services) -> set[str]:
    texts = list(MESSAGES.values())
    for t in services.catalog.types:
        texts.append(t.name)
        for q in t.questions:
            texts += [q.label, *(c.name for c in q.choices)]
    words = {w.lower() for text in texts for w in re.findall(WORD, text)}
    return words - STREETS - ALLOWED


@pytest.mark.parametrize("language", CONVERSATIONS)
async def test_a_whole_conversation_has_no_english_word(services, language):
    bot = sms_bot(services)
    out = io.StringIO()
    await _converse(bot, "+13125550177", CONVERSATIONS[language] + [""], out)
    replies = [line.removeprefix("< ") for line in out.getvalue().splitlines()]
    assert len(replies) == len(CONVERSATIONS[language]) and "(no reply)" not in replies
    assert any(re.search(r"SR\d\d-\d{8}", r) for r in replies)  # filed
    english = _english_words(services)
    found = {
        (reply, word)
        for reply in replies
        for word in re.findall(WORD, reply)
        if word.lower() in english
    }
    assert not found, sorted(found)
    conv = await bot.store.conversation("+13125550177")
    assert conv.language == language


def test_the_catalog_has_no_english_name_left_in_any_language(services):
    for language in ("es", "pl", "zh"):
        for t in services.catalog.types:
            if t.active:
                assert localized(t, language).name != t.name or t.name in ALLOWED, t.code
