"""Questions by text: "when is bulk pickup", "INFO recycling", "cómo saco la calcomanía de la
ciudad" are answered with the best information article's SMS answer and its link, in the
resident's language; a question is never filed as a request. When the article is about something
that can be requested (a bulk item pick-up), the bot offers to file that type: YES starts the
report, asking only for what it still lacks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from backend.catalog.translate import service_name
from backend.info.models import Hit, plain_letters, sms_text
from backend.notify.segments import fits
from sms.words import fold

if TYPE_CHECKING:
    from sms.bot import Bot
    from sms.turns import Turn

# "INFO <words>" in each language: the words are the question
_LEAD = re.compile(
    r"^\s*(?:info|information|informacion|informacja|信息|资讯|咨询)\s*[:\-]?\s+(.+)$"
)
# How much of a question the article must hold: a text that is surely a question (INFO, or the
# parser's "info" intent) takes the best article holding a third of its words; a text that might
# be anything else (not understood, or a report without a place that asks something) needs half.
SURE, UNSURE = 0.34, 0.5
_QUESTION = re.compile(
    r"\?|？|^(?:when|what|how|where|who|can|could|do|does|is|are|will|cuando|como|donde|que|"
    r"puedo|pueden|kiedy|jak|gdzie|czy|co)\b|(?:吗|呢|什么|怎么|如何|哪里|哪儿)"
    r"|\b(?:can|could|will|would|do|does) (?:they|you|the city|someone|i)\b"
)
OFFER = "info_offer"  # the draft key holding the type offered, for the next text only


def info_question(text: str) -> str | None:
    """The question of an "INFO <words>" text."""
    m = _LEAD.match(fold(text))
    return m.group(1) if m else None


def asks(text: str) -> bool:
    return bool(_QUESTION.search(fold(text).strip()))


async def answer_question(bot: Bot, turn: Turn) -> str | None:
    """The reply to a question by text, or None when the text is no question the information
    database answers (the dialog then goes on as before)."""
    offered = turn.draft.pop(OFFER, None)
    if offered and turn.parsed.keyword == "yes":
        return await _file_offered(bot, turn, offered)
    if offered and turn.parsed.keyword == "no":
        return turn.say("info_declined")
    question = info_question(turn.text)
    parsed = turn.parsed
    if question is not None:
        need = SURE
    elif parsed.intent == "info":
        question, need = turn.text, SURE
    elif parsed.intent == "unknown" or (
        parsed.intent == "report" and not parsed.place and asks(turn.text)
    ):
        question, need = turn.text, UNSURE
    else:
        return None
    hits = await bot.services.info.search(question, turn.conv.language, limit=1)
    if not hits or hits[0].matched < need:
        return None
    return _reply(bot, turn, hits[0])


def _reply(bot: Bot, turn: Turn, hit: Hit) -> str:
    answer = sms_text(hit.sms_answer, hit.source_url)
    code = next(
        (c for c in hit.service_codes if (t := bot.services.catalog.by_code(c)) and t.active), None
    )
    if code is None:
        return answer
    service = bot.services.catalog.by_code(code)
    assert service is not None
    offer = turn.say("info_offer", service=service_name(turn.conv.language, code, service.name))
    for reply in (
        f"{answer} {offer}",
        f"{plain_letters(hit.sms_answer)} {hit.source_url} {offer}",
        f"{hit.sms_answer} {offer}",
    ):
        if fits(reply):
            turn.draft[OFFER] = code
            return reply
    return answer


async def _file_offered(bot: Bot, turn: Turn, code: str) -> str:
    """YES to an offer: a report of that type, asking for what it lacks (where, first)."""
    service = bot.services.catalog.by_code(code)
    turn.draft.update(
        description=service.name if service else "", code=code, choices=[], answers={}
    )
    return await bot.start_report(turn)
