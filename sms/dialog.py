"""The SMS conversation: a texted report becomes a request, asking only for what is missing.

Dialogs are data (sms/steps.py): STEPS names each state with its prompt and its reply handler,
and MISSING lists, in order, what a draft may still lack and the state that asks for it. After every reply the bot
walks MISSING and asks for the first thing missing, or files the request. Once type and place
are known, a similar open request nearby is offered to follow; the confirmation of type and place
offers the photo in the same text (YES goes on without one); a picture message's words are read
as a text's. An emergency
(sms/emergency.py) is answered before anything else, in any state and over any rate limit: call
911, and what to do; nothing is filed, and a draft waits for YES. Words that mean the same
everywhere (STOP, START, HELP, NEVERMIND, STATUS, FOLLOW SR…, LANG) are answered in any state:
NEVERMIND (or RESET, "start over"…) drops the draft only; STOP and Twilio's other opt-out words
end every text until START, as Twilio does.
Replies come from the message catalogs (backend/i18n) in the conversation's language.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from backend.catalog.translate import service_name
from backend.errors import DomainError
from backend.logsafe import mask_phone as masked
from backend.notify.segments import fits, segments
from backend.service_requests.models import ListFilters, RequestView, SubmitCommand, Subscriber
from backend.service_requests.workflow import OPEN_STATUSES
from backend.services import Services
from sms import police
from sms.bot import Step
from sms.claims import CLAIM_LEASE, AnswersOnce
from sms.commands import fixed_answer, follow, preference, status
from sms.drafts import Drafts
from sms.inbound import Inbound, MediaFetcher
from sms.info import answer_question
from sms.language_bank import call_back
from sms.mms import take_photos
from sms.parse import Parser
from sms.preference_words import preference_command
from sms.steps import MISSING, PLACED, STEPS
from sms.store import Conversation, SmsStore
from sms.turns import Turn
from sms.two_problems import both_said, take_first, two_problems, type_name
from sms.where import answer_where

__all__ = ["CLAIM_LEASE", "STEPS", "Inbound", "SmsBot", "Step", "Turn"]

log = logging.getLogger("city311.sms")

IDLE = timedelta(minutes=30)  # a draft left this long is dropped
PAUSED = timedelta(hours=24)  # ... unless an emergency interrupted it: it waits longer
RATE_LIMIT = (20, timedelta(minutes=10))  # messages per phone; the next gets one polite reply
DUPLICATE_RADIUS_M = 50.0
# Intents whose text tells the resident's language (the stored one is kept for keywords).
WORDED = frozenset({"report", "info", "police_report", "emergency", "unknown"})
ADVISED = frozenset({"fire", "gas", "wires", "water"})  # dangers with advice of their own


class SmsBot(AnswersOnce):
    def __init__(
        self,
        services: Services,
        store: SmsStore,
        parser: Parser,
        fetch_media: MediaFetcher | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(store, clock)
        self.services, self.parser, self.fetch_media = services, parser, fetch_media
        self.drafts = Drafts(services, parser)

    async def _answer(self, inbound: Inbound, at: datetime) -> tuple[Conversation, str | None]:
        conv = await self.store.conversation(inbound.phone)
        idle = PAUSED if conv.draft.get("paused") else IDLE
        if conv.updated_at is not None and at - conv.updated_at > idle and conv.state != "idle":
            await self.drop_draft(conv)
        # a first text's own words decide its language (an emergency's too: "policja szybko")
        parsed = self.parser.parse(
            inbound.body, language=conv.language if conv.version >= 0 else None
        )
        # a first text's language decides, whatever it asks ("estado SR26-…", "关注 SR26-…",
        # "ayuda"); later, only words do (a keyword — STOP, YES, 2… — says nothing of it)
        if not conv.language_chosen and (parsed.intent in WORDED or conv.version < 0):
            conv.language = parsed.language
        turn = Turn(conv, inbound.body, parsed, inbound.message_sid, at)
        return conv, await self._reply(turn, inbound)

    async def _reply(self, turn: Turn, inbound: Inbound) -> str | None:
        phone, parsed = turn.conv.phone, turn.parsed
        if parsed.intent == "stop":  # never texted again until START (as Twilio does)
            await self.store.set_opted_out(phone, True, turn.at)
            had_draft = turn.conv.state != "idle"
            await self.drop_draft(turn.conv)
            # how to come back; and that NEVERMIND would have dropped just the report
            return turn.say("opted_out_draft" if had_draft else "opted_out")
        opted_out = await self.store.opted_out(phone)
        if parsed.intent == "start" or (opted_out and parsed.keyword == "yes"):
            await self.store.set_opted_out(phone, False, turn.at)
            return turn.say("start")
        if opted_out:
            return None
        if parsed.intent == "emergency":  # before anything else, in every state, at any rate
            return self._emergency(turn)
        count = await self.store.messages_since(phone, turn.at - RATE_LIMIT[1])
        if count > RATE_LIMIT[0]:
            return turn.say("too_fast") if count == RATE_LIMIT[0] + 1 else None

        if command := preference_command(inbound.body):
            return await preference(self, turn, command)
        match parsed.intent:
            case "help":
                return turn.say("help")
            case "reset":  # NEVERMIND: the draft goes, texts go on
                had_draft = turn.conv.state != "idle"
                await self.drop_draft(turn.conv)
                return turn.say("dropped" if had_draft else "reset")
            case "language":
                turn.conv.language = parsed.target_language or turn.conv.language
                turn.conv.language_chosen = True
                # ... and the updates of everything this phone follows come in it from now on
                await self.services.requests.set_language(
                    Subscriber.phone(phone, turn.conv.language)
                )
                if turn.conv.state == "idle":
                    return turn.say("language_set")
                # what they could not read, in their language (alone when both are too long)
                prompt = STEPS[turn.conv.state].prompt(self, turn)
                both = f"{turn.say('language_set')} {prompt}"
                return both if segments(both) <= 2 else prompt
            case "status":
                return await status(self, turn)
            case "follow" if parsed.tracking_number:
                return await follow(self, turn, parsed.tracking_number)
            case "interpreter" if (
                parsed.foreign
            ):  # a language the bot does not speak (sms/language_bank.py)
                return await call_back(self.services.interpreters, inbound, parsed.foreign)

        if turn.conv.state == "idle" and not inbound.media:
            if answer := await answer_where(self, turn):  # sms/where.py: who serves a place
                return answer
            if answer := await answer_question(self, turn):  # sms/info.py
                return answer
            if answer := await fixed_answer(self, turn):
                return answer
        if turn.draft.pop("paused", False) and parsed.keyword == "yes" and not inbound.media:
            return STEPS[turn.conv.state].prompt(self, turn)  # back after an emergency: go on
        photo_reply = (
            await take_photos(self, self.fetch_media, turn, inbound.media)
            if inbound.media
            else None
        )
        state = turn.conv.state
        if state != "idle":
            if inbound.media:
                reply = await self._picture_message(turn, state, photo_reply)
            else:
                reply = await STEPS[state].on_reply(self, turn)
            return reply or await self.next_prompt(turn)
        if (reply := await police.idle_reply(self, turn)) is not None:
            return reply  # a police report, or "connect me to my district" (sms/police.py)
        match parsed.intent:
            case "info":
                return turn.say("info")
            case "report":
                problems = two_problems(self.parser, turn.text, turn.conv.language)
                if problems:  # the first now, the second when it is filed
                    take_first(turn, problems)
                trouble = self.drafts.start_draft(turn)  # a place outside the city, or not found
                prompt = await self.next_prompt(turn)
                prompt = trouble if trouble and turn.conv.state == "ask_location" else prompt
                return (
                    both_said(self.services.catalog, turn, problems, prompt) if problems else prompt
                )
        if inbound.media and turn.draft.get("photos"):  # a photo alone starts a report
            self.drafts.start_draft(turn)
            return photo_reply or await self.next_prompt(turn)
        return photo_reply or turn.say("unknown")

    async def _picture_message(self, turn: Turn, state: str, photo_reply: str | None) -> str | None:
        """A photo in a dialog, with the words sent along with it read as a text would be (YES,
        an answer, a correction); words that change nothing ("here it is") are let go. A photo
        answers the confirmation, which offers one, as a YES does."""
        turn.photos = True
        reply = None
        if turn.text.strip() or state == "confirm_location":
            before = copy.deepcopy(turn.draft)
            reply = await STEPS[state].on_reply(self, turn)
            if reply is not None and turn.draft == before:  # not understood: the photo is news
                reply = STEPS[state].prompt(self, turn) if state == "offer_follow" else None
        return photo_reply or reply

    def _emergency(self, turn: Turn) -> str:
        """Call 911, with what to do for this kind of danger; nothing is filed, and a draft waits
        (YES goes on with it)."""
        found = turn.parsed.emergency
        kind = found.kind if found else ""
        log.warning("sms emergency from %s: %s", masked(turn.conv.phone), kind or "?")
        advice = turn.say(f"emergency_{kind}" if kind in ADVISED else "emergency")
        if turn.conv.state == "idle":
            return f"{advice} {turn.say('emergency_not_filed')}"
        turn.draft["paused"] = True
        return f"{advice} {turn.say('emergency_kept')}"

    async def start_report(self, turn: Turn) -> str:
        """A draft whose type is already known (an offer taken): what it still lacks."""
        self.drafts.prefill_answers(turn, turn.draft["code"])
        return await self.next_prompt(turn)

    async def then(self, turn: Turn, done: str, short: str) -> str:
        """After the first of two problems is filed (or followed): the second's draft, at the
        place of the first unless its own words name one, and its first prompt after `done`
        (or `short`, or a word that it is next, paused until YES, to keep to two segments)."""
        then, draft = turn.draft.get("then"), turn.draft
        place = [draft.get(k) for k in ("lat", "long", "address", "located_by")]
        await self.drop_draft(turn.conv)
        if not then:
            return done
        turn.text, turn.parsed = then, self.parser.parse(then, language=turn.conv.language)
        trouble = self.drafts.start_draft(turn)
        if not turn.parsed.place and place[0] is not None:
            lat, long, address, by = place
            self.drafts.point(turn, lat, long, address, by or "text")
        prompt = await self.next_prompt(turn)
        if trouble and turn.conv.state == "ask_location":
            prompt = trouble
        for said in (f"{done} {prompt}", f"{short} {prompt}"):
            if fits(said):
                return said
        turn.draft["paused"] = True  # YES shows the prompt
        code = turn.draft.get("code")
        name = type_name(self.services.catalog, turn, code) if code else ""
        return f"{short} {turn.say('next_problem', service=name)}"

    async def next_prompt(self, turn: Turn) -> str:
        for missing, state in MISSING:
            if missing(self, turn):
                if state in PLACED and (offer := await self._offer(turn)):
                    return offer  # a similar request nearby: offered once type and place are known
                turn.conv.state = state
                return STEPS[state].prompt(self, turn)
        return await self._offer(turn) or await self._file(turn)

    async def _offer(self, turn: Turn) -> str | None:
        """Once a draft: an open request of its type within 50 m, offered to follow."""
        if not turn.draft.get("duplicate_checked"):
            turn.draft["duplicate_checked"] = True
            if duplicate := await self._duplicate(turn):
                turn.draft["duplicate"] = [
                    duplicate.tracking_number,
                    service_name(
                        turn.conv.language, duplicate.service_code, duplicate.service_name
                    ),
                    duplicate.status,
                ]
                turn.conv.state = "offer_follow"
                return STEPS["offer_follow"].prompt(self, turn)
        return None

    async def _duplicate(self, turn: Turn) -> RequestView | None:
        service = self.drafts.service(turn)
        assert service is not None  # a draft gets this far with its type
        page = await self.services.requests.search(
            ListFilters(
                near=(turn.draft["lat"], turn.draft["long"]),
                radius_m=DUPLICATE_RADIUS_M,
                service_type_id=service.id,
                statuses=frozenset(s.value for s in OPEN_STATUSES),
                limit=1,
            )
        )
        return page.items[0] if page.items else None

    async def _file(self, turn: Turn) -> str:
        draft, phone = turn.draft, turn.conv.phone
        service = self.drafts.service(turn)
        assert service is not None  # a draft gets this far with its type
        try:
            result = await self.services.requests.submit(
                SubmitCommand(
                    service_code=service.code,
                    channel="sms",
                    lat=draft["lat"],
                    long=draft["long"],
                    address=draft.get("address"),
                    description=draft.get("description", ""),
                    answers=draft.get("answers", {}),
                    reporter_phone=phone,
                    subscriber=Subscriber.phone(phone, turn.conv.language),
                    language=turn.conv.language,
                    idempotency_key=f"sms:{turn.message_sid}",
                    photos=await self.store.photos(phone),
                )
            )
        except DomainError as exc:
            log.info("sms report from %s not filed: %s", masked(phone), exc.detail)
            return turn.say("not_filed", reason=exc.detail[:120])
        number = result.request.tracking_number
        done = turn.say("filed", tracking_number=number, service=service.name)
        return await self.then(turn, done, turn.say("filed_short", tracking_number=number))

    async def drop_draft(self, conv: Conversation) -> None:
        conv.state, conv.draft = "idle", {}
        await self.store.drop_photos(conv.phone)
