"""The report dialog's steps, as data: STEPS names each state with its prompt and its reply
handler, and MISSING lists, in order, what a draft may still lack and the state that asks for it
(the police report's states, sms/police.py, are steps like the others)."""

from __future__ import annotations

from collections.abc import Callable

from backend.catalog.answers import validate_answers
from backend.catalog.snapshot import Question
from backend.catalog.translate import service_name
from backend.errors import DomainError
from backend.i18n.messages import status_name
from backend.notify.segments import fits, segments
from sms import police
from sms.answers import NO_PHOTO, answer_in
from sms.bot import Bot, Step
from sms.commands import follow
from sms.drafts import MAX_OPTIONS
from sms.intents import squeeze
from sms.turns import Turn, fitted_list


def _type_names(bot: Bot, turn: Turn) -> list[str]:
    """The names of the draft's candidate types, in the conversation's language."""
    catalog, language = bot.services.catalog, turn.conv.language
    names = []
    for code in turn.draft.get("choices", []):
        service = catalog.by_code(code)
        names.append(service_name(language, code, service.name if service else code))
    return names


async def _on_choose_type(bot: Bot, turn: Turn) -> str | None:
    choices = turn.draft.get("choices", [])
    if turn.parsed.keyword == "number":
        if turn.parsed.number and 1 <= turn.parsed.number <= len(choices):
            turn.draft.update(code=choices[turn.parsed.number - 1], type_picked=True)
            bot.drafts.prefill_answers(turn, turn.draft["code"])
            return None
        return turn.say("bad_choice", options=f"1-{len(choices)}")
    return await _on_ask_type(bot, turn)


async def _on_ask_type(bot: Bot, turn: Turn) -> str | None:
    """A description of the problem (again): its best types, taken when confident."""
    parsed = turn.parsed
    choices = parsed.choices or bot.parser.match_service(turn.text, turn.conv.language)
    turn.draft["description"] = (turn.draft.get("description", "") + " " + turn.text).strip()
    turn.draft["choices"] = [c.code for c in choices][:MAX_OPTIONS]
    if parsed.service_code:
        turn.draft["code"] = parsed.service_code
        bot.drafts.prefill_answers(turn, parsed.service_code)
    if parsed.place and "lat" not in turn.draft:
        bot.drafts.place(turn, parsed.location)
    return None


async def _on_location(bot: Bot, turn: Turn) -> str | None:
    """An address or cross streets (or a number picking one of the candidates)."""
    candidates = turn.draft.get("candidates")
    if candidates and turn.parsed.keyword == "number":
        n = turn.parsed.number or 0
        if not 1 <= n <= len(candidates):
            return turn.say("bad_choice", options=f"1-{len(candidates)}")
        address, lat, long = candidates[n - 1]
        turn.draft.pop("candidates", None)
        reply = bot.drafts.point(turn, lat, long, address, "text")
        if reply is None and turn.draft.get("type_picked"):
            turn.draft["confirmed"] = True  # both picked from lists: nothing left to confirm
        return reply
    place, result = turn.parsed.place, turn.parsed.location
    if place is None:
        place, result = bot.parser.find_place(turn.text)
    if place is None:
        corrected, reply = bot.drafts.correct(turn)  # "it's rats, actually": asked where again
        return reply if corrected else turn.say("location_unknown")
    return bot.drafts.place(turn, result)


def _confirm_prompt(bot: Bot, turn: Turn) -> str:
    """The type and the place together, before filing: YES, or what or where it is; and, when
    the draft has no photo yet, a photo (one reply instead of a question of its own)."""
    service = bot.drafts.service(turn)
    if turn.draft.get("located_by") == "photo":
        key = "confirm_photo_location"
    else:
        key = "confirm_location" if turn.draft.get("photos") else "confirm_offer_photo"
    return turn.say(key, service=service.name if service else "", address=turn.draft["address"])


async def _on_confirm_location(bot: Bot, turn: Turn) -> str | None:
    """YES (or SKIP, "no photo"): type and place are right, and no photo comes (it was offered
    with them); a photo: right, with the photo; else a correction, or what is wrong asked."""
    if turn.parsed.keyword in ("yes", "skip"):
        turn.draft.update(confirmed=True, photo_skipped=True)
        return None
    corrected, reply = bot.drafts.correct(turn)
    if corrected:
        return reply
    if turn.photos:  # a photo sent with words that correct nothing ("here it is")
        turn.draft["confirmed"] = True
        return None
    if NO_PHOTO.search(squeeze(turn.text)):  # "no photo, sorry"
        turn.draft.update(confirmed=True, photo_skipped=True)
        return None
    if turn.parsed.keyword == "no" and turn.draft.get("type_picked"):
        for key in ("lat", "long", "address", "located_by"):
            turn.draft.pop(key, None)  # they picked the type: the place is what is wrong
        return turn.say("ask_location")
    return turn.say("fix_what")


def _pages(turn: Turn, q: Question) -> list[list[int]]:
    """The question's choices in pages that each fit two SMS segments ("0) more" leads on)."""
    pages: list[list[int]] = [[]]
    more = f" 0) {turn.say('more')}"
    for i in range(len(q.choices)):
        trial = pages[-1] + [i]
        text = turn.say("question_choices", label=q.label, options=_choice_list(q, trial) + more)
        if pages[-1] and segments(text) > 2:
            pages.append([i])
        else:
            pages[-1] = trial
    return pages


def _choice_list(q: Question, indexes: list[int]) -> str:
    return " ".join(f"{i + 1}) {q.choices[i].name}" for i in indexes)


async def _on_question(bot: Bot, turn: Turn) -> str | None:
    """An answer in plain words (an option's label or a paraphrase, in any of the four languages,
    yes/no words, several picks, a number in words or with a unit), or a number from the list;
    a correction of the type or place instead; never a validator's words back to the resident."""
    q = bot.drafts.question(turn)
    if q is None:
        return None
    if q.choices:
        n = turn.parsed.number if turn.parsed.keyword == "number" else None
        more = n == 0 or squeeze(turn.text) in ("more", squeeze(turn.say("more")))
        if more and len(_pages(turn, q)) > 1:
            turn.draft["page"] = (turn.draft.get("page", 0) + 1) % len(_pages(turn, q))
            return _question_prompt(bot, turn)
    elif q.datatype not in ("number",) and turn.parsed.intent != "answer":
        corrected, reply = bot.drafts.correct(turn)  # a correction, not an answer
        if corrected:
            return reply
    value = answer_in(q, turn.text, bot.drafts.english_question(turn.draft.get("code"), q.code))
    try:
        answer = validate_answers((q,), {q.code: value}) if value is not None else None
    except DomainError:
        answer = None
    if not answer:
        corrected, reply = bot.drafts.correct(turn)  # "no, it's rats"
        if corrected:
            return reply
        if q.choices:
            return turn.say("bad_choice", options=f"1-{len(q.choices)}")
        return turn.say("bad_number") if q.datatype == "number" else question_text(turn, q)
    turn.draft.setdefault("answers", {}).update(answer)
    turn.draft.pop("page", None)
    return None


def _question_prompt(bot: Bot, turn: Turn) -> str:
    q = bot.drafts.question(turn)
    assert q is not None
    return question_text(turn, q)


def question_text(turn: Turn, q: Question) -> str:
    """A question as texted: its label, and for a list the current page of its choices."""
    if not q.choices:
        return turn.say("question", label=q.label)
    pages = _pages(turn, q)
    page = pages[turn.draft.get("page", 0) % len(pages)]
    options = _choice_list(q, page)
    if len(pages) > 1:
        options += f" 0) {turn.say('more')}"
    return turn.say("question_choices", label=q.label, options=options)


async def _on_photo(bot: Bot, turn: Turn) -> str | None:
    if turn.parsed.keyword in ("skip", "no") or NO_PHOTO.search(squeeze(turn.text)):
        turn.draft["photo_skipped"] = True
        return None
    corrected, reply = bot.drafts.correct(turn)
    return reply if corrected else turn.say("ask_photo")


async def _on_offer_follow(bot: Bot, turn: Turn) -> str | None:
    keyword = turn.parsed.keyword
    if keyword == "follow" or keyword == "yes":
        number = turn.draft["duplicate"][0]
        followed = await follow(bot, turn, number)
        return await bot.then(turn, followed, followed)
    if keyword in ("new", "no"):  # theirs is another: on with what is still missing
        turn.draft.pop("duplicate", None)
        if keyword == "new" and turn.draft.pop("offer_placed", False):
            # NEW to a type and place shown: they are right (and it is filed without asking for
            # a photo, as soon as the type's questions are answered)
            turn.draft.update(confirmed=True, photo_skipped=True)
        return None
    corrected, reply = bot.drafts.correct(turn)
    return reply if corrected else _offer_prompt(bot, turn)


def _offer_prompt(bot: Bot, turn: Turn) -> str:
    """A similar open request nearby: FOLLOW it, or NEW. It names the draft's place when that
    fits two segments (NEW then says type and place are right), else says "near there"."""
    number, service, status = turn.draft["duplicate"]
    values = dict(
        service=service,
        tracking_number=number,
        status=status_name(turn.conv.language, status),
    )
    placed = turn.say("offer_follow_place", address=turn.draft["address"], **values)
    turn.draft["offer_placed"] = fits(placed)
    return placed if fits(placed) else turn.say("offer_follow", **values)


STEPS: dict[str, Step] = {
    "choose_type": Step(
        lambda bot, turn: fitted_list(turn, "choose_type", "choices", _type_names(bot, turn)),
        _on_choose_type,
    ),
    "ask_type": Step(lambda bot, turn: turn.say("ask_type"), _on_ask_type),
    "pick_location": Step(
        lambda bot, turn: fitted_list(
            turn, "pick_location", "candidates", [c[0] for c in turn.draft["candidates"]]
        ),
        _on_location,
    ),
    "ask_location": Step(lambda bot, turn: turn.say("ask_location"), _on_location),
    "confirm_location": Step(_confirm_prompt, _on_confirm_location),
    "question": Step(_question_prompt, _on_question),
    "ask_photo": Step(lambda bot, turn: turn.say("ask_photo"), _on_photo),
    "offer_follow": Step(_offer_prompt, _on_offer_follow),
}

# The states once a draft's type and place are known: a similar request nearby is offered first.
PLACED = frozenset({"confirm_location", "question", "ask_photo"})
# What a draft may lack, in the order it is asked for, and the state that asks.
MISSING: list[tuple[Callable[[Bot, Turn], bool], str]] = [
    (
        lambda bot, turn: not turn.draft.get("code") and bool(turn.draft.get("choices")),
        "choose_type",
    ),
    (lambda bot, turn: not turn.draft.get("code"), "ask_type"),
    (
        lambda bot, turn: "lat" not in turn.draft and bool(turn.draft.get("candidates")),
        "pick_location",
    ),
    (lambda bot, turn: "lat" not in turn.draft, "ask_location"),
    (lambda bot, turn: not turn.draft.get("confirmed"), "confirm_location"),
    (lambda bot, turn: bot.drafts.question(turn) is not None, "question"),
    (
        lambda bot, turn: not turn.draft.get("photos") and not turn.draft.get("photo_skipped"),
        "ask_photo",
    ),
]

STEPS.update(police.POLICE_STEPS)
