"""Texts answered in any state: STATUS, FOLLOW SR…, QUIET/DIGEST/INSTANT, and YES or NO to "is it
fixed?" (NO reopens the request)."""

from __future__ import annotations

import re
from datetime import timedelta

from backend.catalog.translate import service_name
from backend.errors import NotFound
from backend.i18n.messages import status_name
from backend.notify.segments import how_many_fit, shortened
from backend.service_requests.models import ListFilters, Subscriber
from sms.bot import Bot
from sms.preference_words import PreferenceCommand
from sms.turns import Turn

FIXED_ANSWER_WINDOW = timedelta(days=3)
# "NO, still a hole there" -> ("NO", "still a hole there"); "不，还有坑" -> ("不", "还有坑")
FIRST_WORD = re.compile(r"^\s*([^\s,.;:!?，。！？]+)[\s,.;:!?，。！？]*(.*)$", re.S)


async def fixed_answer(bot: Bot, turn: Turn) -> str | None:
    """YES or NO (and what is still wrong) to "is it fixed?", asked in the last 3 days: NO
    reopens the request with the resident's words as a public note."""
    found = FIRST_WORD.match(turn.text)
    if not found:
        return None
    first = bot.parser.parse(found.group(1), language=turn.conv.language)
    keyword = first.keyword if first.intent == "answer" else None
    if keyword not in ("yes", "no"):
        return None
    asked = await bot.services.dispatcher.store.asked_if_fixed(
        turn.conv.phone, turn.at - FIXED_ANSWER_WINDOW
    )
    if asked is None:
        return None
    tracking_number, language = asked
    if not turn.conv.language_chosen:
        turn.conv.language = language  # the one we asked in
    view = await bot.services.requests.get(tracking_number)
    if keyword == "yes":
        return turn.say("fixed_thanks")
    if view.status != "completed":
        return turn.say(
            "fixed_already",
            tracking_number=view.tracking_number,
            status=status_name(turn.conv.language, view.status),
        )
    words = found.group(2).strip(" ,.;:-!") or turn.say("not_fixed_note")
    await bot.services.requests.transition(
        view.tracking_number,
        "reopened",
        actor=Subscriber.phone(turn.conv.phone).actor,
        channel="sms",
        note=words[:1000],
        public=True,
    )
    return turn.say("reopened", tracking_number=view.tracking_number)


async def preference(bot: Bot, turn: Turn, command: PreferenceCommand) -> str:
    """QUIET …, DIGEST, INSTANT: how this phone hears of what it follows."""
    preferences, phone = bot.services.preferences, turn.conv.phone
    if command.language and not turn.conv.language_chosen:  # "SILENCIO 22-7": in Spanish
        turn.conv.language = command.language
    if command.kind == "quiet":
        if command.hours == "?":
            return turn.say("quiet_help")
        pref = await preferences.set("phone", phone, quiet_hours=command.hours)
        if pref.quiet_hours == "":
            return turn.say("quiet_off")
        hours = pref.quiet_hours or bot.services.settings.quiet_hours
        return turn.say("quiet_set", hours=hours) if hours else turn.say("quiet_off")
    await preferences.set("phone", phone, digest=command.kind == "digest")
    if command.kind == "digest":
        hour, minute = bot.services.settings.digest_time
        return turn.say("digest_on", time=f"{hour:02d}:{minute:02d}")
    return turn.say("digest_off")


async def status(bot: Bot, turn: Turn) -> str:
    lang, number = turn.conv.language, turn.parsed.tracking_number
    if number:
        try:
            view = await bot.services.requests.get_public(number)
        except NotFound:
            return turn.say("unknown_request", tracking_number=number)

        def reply_one(note: str) -> str:
            return turn.say(
                "status_one",
                tracking_number=view.tracking_number,
                service=service_name(lang, view.service_code, view.service_name),
                status=status_name(lang, view.status),
                note=turn.say("note", note=note) if note else "",
            )

        # staff's note, cut so that the reply keeps to two segments
        return reply_one(shortened((view.latest_public_note or "")[:80], reply_one))
    page = await bot.services.requests.search(
        ListFilters(followed_by=Subscriber.phone(turn.conv.phone), limit=3)
    )
    if not page.items:
        return turn.say("status_none")
    lines = [
        f"{v.tracking_number} {service_name(lang, v.service_code, v.service_name)}: "
        f"{status_name(lang, v.status)}"
        for v in page.items
    ]

    def reply_many(n: int) -> str:
        return turn.say("status_many", lines="; ".join(lines[:n]))

    return reply_many(how_many_fit(reply_many, len(lines)))  # the latest that fit two segments


async def follow(bot: Bot, turn: Turn, number: str) -> str:
    try:
        await bot.services.requests.follow(
            number, Subscriber.phone(turn.conv.phone, turn.conv.language), channel="sms"
        )
        view = await bot.services.requests.get(number)
    except NotFound:
        return turn.say("unknown_request", tracking_number=number)
    return turn.say(
        "followed",
        tracking_number=view.tracking_number,
        service=service_name(turn.conv.language, view.service_code, view.service_name),
        status=status_name(turn.conv.language, view.status),
    )
