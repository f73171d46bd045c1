"""The SMS conversation: a texted report becomes a request, asking only for what is missing.

Dialogs are data: STEPS names each state with its prompt and its reply handler, and MISSING lists,
in order, what a draft may still lack and the state that asks for it. After every reply the bot
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

import asyncio
import contextlib
import copy
import dataclasses
import logging
import re
import uuid
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from backend.catalog.answers import validate_answers
from backend.catalog.snapshot import Question, ServiceTypeInfo
from backend.catalog.translate import localized, service_name
from backend.errors import Conflict, DomainError, NotFound
from backend.geo.geocoder import MIN_CONFIDENCE, GeocodeResult
from backend.i18n.messages import say, status_name
from backend.logsafe import mask_phone as masked
from backend.notify.segments import fits, how_many_fit, segments, shortened
from backend.service_requests.location import pretty
from backend.service_requests.models import ListFilters, SubmitCommand, Subscriber
from backend.service_requests.service import CHICAGO
from backend.service_requests.workflow import OPEN_STATUSES
from backend.services import Services
from backend.storage.images import ImageRejected, process_image
from sms.answers import NO_PHOTO, answer_in, named_options
from sms.info import answer_question
from sms.intents import squeeze, without_denials
from sms.language_bank import call_back
from sms.parse import Parsed, Parser
from sms.preference_words import PreferenceCommand, preference_command
from sms.store import ConcurrentChange, Conversation, SmsStore
from sms.two_problems import Problems, two_problems
from sms.where import answer_where

log = logging.getLogger("city311.sms")

IDLE = timedelta(minutes=30)  # a draft left this long is dropped
PAUSED = timedelta(hours=24)  # ... unless an emergency interrupted it: it waits longer
# A message's claim lasts this long unless its holder renews it (every third of it) while answering.
CLAIM_LEASE = timedelta(seconds=15)
# How long a second delivery of a message waits for the first's reply (Twilio gives up at 15 s).
REPLY_WAIT = timedelta(seconds=10)
RATE_LIMIT = (20, timedelta(minutes=10))  # messages per phone; the next gets one polite reply
MAX_PHOTOS = 5
DUPLICATE_RADIUS_M = 50.0
MAX_OPTIONS = 3
FIXED_ANSWER_WINDOW = timedelta(days=3)
# "NO, still a hole there" -> ("NO", "still a hole there"); "不，还有坑" -> ("不", "还有坑")
FIRST_WORD = re.compile(r"^\s*([^\s,.;:!?，。！？]+)[\s,.;:!?，。！？]*(.*)$", re.S)
# Intents whose text tells the resident's language (the stored one is kept for keywords).
WORDED = frozenset({"report", "info", "police_report", "emergency", "unknown"})
ADVISED = frozenset({"fire", "gas", "wires", "water"})  # dangers with advice of their own


@dataclass
class Inbound:
    """One text as Twilio (or the terminal simulator) hands it over."""

    message_sid: str
    phone: str  # E.164
    body: str
    media: list[tuple[str, str]] = field(default_factory=list)  # (url, content type)
    received_at: datetime | None = None


MediaFetcher = Callable[[str], Awaitable[tuple[bytes, str]]]


@dataclass
class Turn:
    """One message being answered: the conversation, the text and its reading."""

    conv: Conversation
    text: str
    parsed: Parsed
    message_sid: str
    at: datetime
    photos: bool = False  # the message carried photos (a picture message, with or without words)

    @property
    def draft(self) -> dict:
        return self.conv.draft

    def say(self, key: str, **values: object) -> str:
        return say(self.conv.language, key, **values)


@dataclass(frozen=True)
class Step:
    """A state of the dialog: what it asks, and what a reply to it does (a reply of its own, or
    None to move on to whatever is missing next)."""

    prompt: Callable[[SmsBot, Turn], str]
    on_reply: Callable[[SmsBot, Turn], Awaitable[str | None]]


async def _stop(task: asyncio.Task) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _options(names: list[str]) -> str:
    return " ".join(f"{i}) {name}" for i, name in enumerate(names, 1))


def _fitted_list(turn: Turn, key: str, kept: str, names: list[str]) -> str:
    """A numbered list of names in the reply `key`: as many as fit two segments (the draft's
    `kept` list keeps those shown, so that the numbers answer them)."""

    def reply(n: int) -> str:
        return turn.say(key, options=_options(names[:n]))

    n = how_many_fit(reply, len(names))
    turn.draft[kept] = turn.draft[kept][:n]
    return reply(n)


class SmsBot:
    def __init__(
        self,
        services: Services,
        store: SmsStore,
        parser: Parser,
        fetch_media: MediaFetcher | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.services, self.store, self.parser = services, store, parser
        self.fetch_media, self.clock = fetch_media, clock
        self.lease, self.reply_wait = CLAIM_LEASE, REPLY_WAIT
        # one message of a phone at a time in this process (a lock lives while anyone holds it)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    # -- one message -------------------------------------------------------------------------

    async def handle(self, inbound: Inbound) -> str | None:
        """The reply to one text (None: say nothing). Twilio may deliver a text more than once,
        even several times at once: the first delivery claims its MessageSid and answers; the
        others wait for that reply and answer it too, so nothing is done twice and every
        delivery gets the same answer. A claim whose holder died (its lease not renewed) is
        taken over by the next delivery; one still held after `reply_wait` is a Conflict."""
        at = inbound.received_at or self.clock()
        sid, holder = inbound.message_sid, uuid.uuid4().hex
        body = inbound.body[:1600]
        until = self.clock() + self.lease
        if not await self.store.claim(
            sid, inbound.phone, body, len(inbound.media), at, holder, until
        ):
            earlier = await self._reply_given(sid, holder)
            if earlier is not None:
                log.info("sms from %s: delivered again, answered as before", masked(inbound.phone))
                return earlier or None
        keeping = asyncio.create_task(self._keep_claim(sid, holder))
        try:
            reply = await self._answer_once(inbound, at)
        except Exception:
            await _stop(keeping)
            await self.store.renew(sid, holder, None)  # the next delivery answers at once
            raise
        finally:
            await _stop(keeping)
        log.info("sms from %s: %s", masked(inbound.phone), "replied" if reply else "no reply")
        return reply or None

    async def _reply_given(self, message_sid: str, holder: str) -> str | None:
        """The reply another delivery of this message gave, waiting for it while that delivery
        holds the message; None when this one took over a claim that ran out."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.reply_wait.total_seconds()
        pause = 0.01
        while True:
            reply, until = await self.store.reply_of(message_sid)
            if reply is not None:
                return reply
            now = self.clock()
            ran_out = until is None or until <= now
            if ran_out and await self.store.take_over(message_sid, holder, now, now + self.lease):
                log.warning("sms %s: its claim ran out; answered by this delivery", message_sid)
                return None
            if loop.time() >= deadline:
                raise Conflict.for_field(
                    "MessageSid",
                    "this message is still being answered (another delivery of it came first); "
                    "try again in a few seconds",
                )
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.2)

    async def _keep_claim(self, message_sid: str, holder: str) -> None:
        """Renews the claim while this delivery answers, so that nobody takes it over."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                await self.store.renew(message_sid, holder, self.clock() + self.lease)
            except Exception as exc:  # the database, for a moment: the next renewal may work
                log.warning("sms %s: claim not renewed: %r", message_sid, exc)

    async def _answer_once(self, inbound: Inbound, at: datetime) -> str:
        """Answers as the holder of the message's claim: the reply and the conversation it leaves
        are stored together; the reply kept is returned ("" for none)."""
        lock = self._locks.get(inbound.phone)
        if lock is None:
            lock = self._locks[inbound.phone] = asyncio.Lock()
        async with lock:
            for attempt in range(3):
                conv, reply = await self._answer(inbound, at)
                try:
                    return await self.store.answer(inbound.message_sid, reply or "", conv, at)
                except ConcurrentChange:  # another process answered this phone meanwhile
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _answer(self, inbound: Inbound, at: datetime) -> tuple[Conversation, str | None]:
        conv = await self.store.conversation(inbound.phone)
        idle = PAUSED if conv.draft.get("paused") else IDLE
        if conv.updated_at is not None and at - conv.updated_at > idle and conv.state != "idle":
            await self._drop_draft(conv)
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
            await self._drop_draft(turn.conv)
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
            return await self._preference(turn, command)
        match parsed.intent:
            case "help":
                return turn.say("help")
            case "reset":  # NEVERMIND: the draft goes, texts go on
                had_draft = turn.conv.state != "idle"
                await self._drop_draft(turn.conv)
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
                return await self._status(turn)
            case "follow" if parsed.tracking_number:
                return await self._follow(turn, parsed.tracking_number)
            case "interpreter":  # a language the bot does not speak (sms/language_bank.py)
                return await call_back(self.services.interpreters, inbound, parsed.foreign)

        if turn.conv.state == "idle" and not inbound.media:
            if answer := await answer_where(self, turn):  # sms/where.py: who serves a place
                return answer
            if answer := await answer_question(self, turn):  # sms/info.py
                return answer
            if answer := await self._fixed_answer(turn):
                return answer
        if turn.draft.pop("paused", False) and parsed.keyword == "yes" and not inbound.media:
            return STEPS[turn.conv.state].prompt(self, turn)  # back after an emergency: go on
        photo_reply = await self._take_photos(turn, inbound.media) if inbound.media else None
        state = turn.conv.state
        if state != "idle":
            if inbound.media:
                reply = await self._picture_message(turn, state, photo_reply)
            else:
                reply = await STEPS[state].on_reply(self, turn)
            return reply or await self._next(turn)
        if (reply := await police.idle_reply(self, turn)) is not None:
            return reply  # a police report, or "connect me to my district" (sms/police.py)
        match parsed.intent:
            case "info":
                return turn.say("info")
            case "report":
                problems = two_problems(self.parser, turn.text, turn.conv.language)
                if problems:  # the first now, the second when it is filed
                    self._take_first(turn, problems)
                trouble = self._start_draft(turn)  # a place outside the city, or not found
                prompt = await self._next(turn)
                prompt = trouble if trouble and turn.conv.state == "ask_location" else prompt
                return self._two_problems_said(turn, problems, prompt) if problems else prompt
        if inbound.media and turn.draft.get("photos"):  # a photo alone starts a report
            self._start_draft(turn)
            return photo_reply or await self._next(turn)
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

    # -- what a draft still lacks ------------------------------------------------------------

    def _start_draft(self, turn: Turn) -> str | None:
        """A draft from the first text; what was wrong with its place, if anything."""
        parsed, draft = turn.parsed, turn.draft
        draft["description"] = turn.text.strip()[:4000]
        draft["code"] = parsed.service_code
        draft["choices"] = [c.code for c in parsed.choices][:MAX_OPTIONS]
        if parsed.service_code:
            self._prefill_answers(turn, parsed.service_code)
        return self._place(turn, parsed.location) if parsed.place else None

    async def start_report(self, turn: Turn) -> str:
        """A draft whose type is already known (an offer taken): what it still lacks."""
        self._prefill_answers(turn, turn.draft["code"])
        return await self._next(turn)

    # -- two problems in one text ------------------------------------------------------------

    def _take_first(self, turn: Turn, problems: Problems) -> None:
        """The turn reads as the first problem's text, with the place the text gives (in either
        part); the second's words wait in the draft."""
        first, whole = problems.first, turn.parsed
        placed = next((p for p in (first, whole, problems.second) if p.place), None)
        if placed is not None and placed is not first:
            first = dataclasses.replace(first, place=placed.place, location=placed.location)
        turn.parsed, turn.text = first, problems.first_text
        turn.draft["then"] = problems.second_text

    def _two_problems_said(self, turn: Turn, problems: Problems, prompt: str) -> str:
        """ "I'll file the pothole first, then the street light", before the first's prompt (or,
        when both would not fit two segments, "Then: the street light" after it; or the notice
        alone, and YES shows the prompt)."""
        first, second = (
            self._type_name(turn, p.service_code or "") for p in (problems.first, problems.second)
        )
        notice = turn.say("two_problems", first=first, second=second)
        for said in (
            f"{notice} {prompt}",
            f"{prompt} {turn.say('two_problems_short', second=second)}",
        ):
            if fits(said):
                return said
        turn.draft["paused"] = True  # the notice alone; YES shows the first's prompt
        return f"{notice} {turn.say('next_problem', service=first)}"

    def _type_name(self, turn: Turn, code: str) -> str:
        service = self.services.catalog.by_code(code)
        return service_name(turn.conv.language, code, service.name if service else code)

    async def _then(self, turn: Turn, done: str, short: str) -> str:
        """After the first of two problems is filed (or followed): the second's draft, at the
        place of the first unless its own words name one, and its first prompt after `done`
        (or `short`, or a word that it is next, paused until YES, to keep to two segments)."""
        then, draft = turn.draft.get("then"), turn.draft
        place = [draft.get(k) for k in ("lat", "long", "address", "located_by")]
        await self._drop_draft(turn.conv)
        if not then:
            return done
        turn.text, turn.parsed = then, self.parser.parse(then, language=turn.conv.language)
        trouble = self._start_draft(turn)
        if not turn.parsed.place and place[0] is not None:
            lat, long, address, by = place
            self._point(turn, lat, long, address, by or "text")
        prompt = await self._next(turn)
        if trouble and turn.conv.state == "ask_location":
            prompt = trouble
        for said in (f"{done} {prompt}", f"{short} {prompt}"):
            if fits(said):
                return said
        turn.draft["paused"] = True  # YES shows the prompt
        code = turn.draft.get("code")
        name = self._type_name(turn, code) if code else ""
        return f"{short} {turn.say('next_problem', service=name)}"

    async def _next(self, turn: Turn) -> str:
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

    def _service_of(self, turn: Turn, code: str) -> ServiceTypeInfo | None:
        service = self.services.catalog.by_code(code)
        return localized(service, turn.conv.language) if service else None

    def _english_question(self, code: str | None, question: str) -> Question | None:
        """A question as the catalog has it (in English), to read answers in English too."""
        service = self.services.catalog.by_code(code) if code else None
        return next((q for q in service.questions if q.code == question), None) if service else None

    def _service(self, turn: Turn) -> ServiceTypeInfo | None:
        """The draft's type, its name, questions and options in the conversation's language."""
        code = turn.draft.get("code")
        service = self.services.catalog.by_code(code) if code else None
        return localized(service, turn.conv.language) if service else None

    def _question(self, turn: Turn) -> Question | None:
        """The next required question without an answer."""
        service = self._service(turn)
        answers = turn.draft.get("answers", {})
        for q in service.questions if service else ():
            if q.required and q.code not in answers:
                if q.datatype == "datetime":  # "when": the time it was texted
                    answers[q.code] = turn.at.astimezone(CHICAGO).isoformat(timespec="minutes")
                    turn.draft["answers"] = answers
                    continue
                return q
        return None

    def _prefill_answers(self, turn: Turn, code: str) -> None:
        """List answers the report already gives ("rats in the alley" -> where seen: alley)."""
        service = self._service_of(turn, code)
        words = turn.draft.get("description", "")
        answers = turn.draft.setdefault("answers", {})
        for q in service.questions if service else ():
            if not q.choices or q.code in answers:
                continue
            hits = named_options(q, words, self._english_question(code, q.code))
            if q.datatype == "multivaluelist" and hits:
                answers[q.code] = hits
            elif len(hits) == 1:
                answers[q.code] = hits[0]

    def _retype(self, turn: Turn, code: str) -> None:
        """Another type for the draft: the answers its questions still take are kept."""
        draft, service = turn.draft, self.services.catalog.by_code(code)
        before = draft.get("answers", {})
        kept: dict[str, object] = {}
        for q in service.questions if service else ():
            if q.code in before and q.datatype != "datetime":
                with contextlib.suppress(DomainError):
                    kept.update(validate_answers((q,), {q.code: before[q.code]}))
        draft.update(code=code, answers=kept)
        draft.pop("page", None)
        self._prefill_answers(turn, code)

    def _correct(self, turn: Turn) -> tuple[bool, str | None]:
        """A correction in words at any step ("it's a traffic signal, not a street light",
        "no, it's rats", "no, at Damen and Division"): the type and the place it names replace
        the draft's (the place and the answers that still apply are kept), its words become the
        description, and the resident is shown the result again. (False, None) when it names
        neither; a reply when its place cannot be used."""
        draft = turn.draft
        words = without_denials(turn.text)
        reading = self.parser.parse(words, language=turn.conv.language) if words else None
        if reading is None or reading.intent not in ("report", "police_report", "info"):
            return False, None
        code = reading.service_code
        retyped = bool(code) and code != draft.get("code")
        if not retyped and not reading.place:
            return False, None
        earlier = draft.get("description", "")
        draft["description"] = f"{turn.text.strip()} ({earlier})"[:4000] if earlier else turn.text
        if retyped:
            self._retype(turn, code)
        draft.update(confirmed=False, duplicate_checked=False)
        draft.pop("duplicate", None)
        reply = None
        if reading.place:
            for key in ("lat", "long", "address", "located_by"):
                draft.pop(key, None)
            reply = self._place(turn, reading.location)
        return True, reply

    def _place(self, turn: Turn, result: GeocodeResult | None) -> str | None:
        """Takes a geocoder's answer into the draft; a reply when it cannot be used."""
        draft = turn.draft
        draft.pop("candidates", None)
        if result is None or not result.found and not result.candidates:
            return turn.say("location_unknown")
        if result.candidates and len(result.candidates) > 1:
            draft["candidates"] = [
                [_shown(c), c.lat, c.long] for c in result.candidates[:MAX_OPTIONS]
            ]
            return None
        if result.confidence < MIN_CONFIDENCE:
            return turn.say("location_unknown")
        return self._point(turn, result.lat, result.long, _shown(result), "text")

    def _point(self, turn: Turn, lat: float, long: float, address: str, by: str) -> str | None:
        if not self.services.city.contains(lat, long):
            return turn.say("outside_city")
        turn.draft.update(lat=lat, long=long, address=address, located_by=by, confirmed=False)
        return None

    # -- photos ------------------------------------------------------------------------------

    async def _take_photos(self, turn: Turn, media: list[tuple[str, str]]) -> str | None:
        """Keeps the MMS photos with the draft (checked now, so filing cannot fail on them); the
        first with GPS places a draft that has no location yet."""
        refused = False
        for url, content_type in media:
            if turn.draft.get("photos", 0) >= MAX_PHOTOS:
                break
            if not content_type.startswith("image/") or self.fetch_media is None:
                refused = True
                continue
            try:
                data, _ = await self.fetch_media(url)
                image = await asyncio.to_thread(process_image, data)
            except (ImageRejected, OSError, ValueError) as exc:
                log.info("sms photo from %s refused: %s", masked(turn.conv.phone), exc)
                refused = True
                continue
            except Exception as exc:  # the media host: down, refused, too large
                log.warning("sms photo from %s not fetched: %r", masked(turn.conv.phone), exc)
                refused = True
                continue
            turn.draft["photos"] = await self.store.add_photo(turn.conv.phone, data, turn.at)
            if image.gps and "lat" not in turn.draft:
                address = self.services.requests.locator.nearest_address(*image.gps)
                if self._point(turn, *image.gps, address, "photo") is not None:
                    turn.draft.pop("lat", None)
        return turn.say("photo_refused") if refused and not turn.draft.get("photos") else None

    # -- the end of a draft ------------------------------------------------------------------

    async def _duplicate(self, turn: Turn):
        service = self._service(turn)
        page = await self.services.requests.list(
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
        service = self._service(turn)
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
        return await self._then(turn, done, turn.say("filed_short", tracking_number=number))

    async def _drop_draft(self, conv: Conversation) -> None:
        conv.state, conv.draft = "idle", {}
        await self.store.drop_photos(conv.phone)

    # -- "is it fixed?" ----------------------------------------------------------------------

    async def _fixed_answer(self, turn: Turn) -> str | None:
        """YES or NO (and what is still wrong) to "is it fixed?", asked in the last 3 days: NO
        reopens the request with the resident's words as a public note."""
        found = FIRST_WORD.match(turn.text)
        if not found:
            return None
        first = self.parser.parse(found.group(1), language=turn.conv.language)
        keyword = first.keyword if first.intent == "answer" else None
        if keyword not in ("yes", "no"):
            return None
        asked = await self.services.dispatcher.store.asked_if_fixed(
            turn.conv.phone, turn.at - FIXED_ANSWER_WINDOW
        )
        if asked is None:
            return None
        tracking_number, language = asked
        if not turn.conv.language_chosen:
            turn.conv.language = language  # the one we asked in
        view = await self.services.requests.get(tracking_number)
        if keyword == "yes":
            return turn.say("fixed_thanks")
        if view.status != "completed":
            return turn.say(
                "fixed_already",
                tracking_number=view.tracking_number,
                status=status_name(turn.conv.language, view.status),
            )
        words = found.group(2).strip(" ,.;:-!") or turn.say("not_fixed_note")
        await self.services.requests.transition(
            view.tracking_number,
            "reopened",
            actor=Subscriber.phone(turn.conv.phone).actor,
            channel="sms",
            note=words[:1000],
            public=True,
        )
        return turn.say("reopened", tracking_number=view.tracking_number)

    # -- status and follow -------------------------------------------------------------------

    async def _preference(self, turn: Turn, command: PreferenceCommand) -> str:
        """QUIET …, DIGEST, INSTANT: how this phone hears of what it follows."""
        preferences, phone = self.services.preferences, turn.conv.phone
        if command.language and not turn.conv.language_chosen:  # "SILENCIO 22-7": in Spanish
            turn.conv.language = command.language
        if command.kind == "quiet":
            if command.hours == "?":
                return turn.say("quiet_help")
            pref = await preferences.set("phone", phone, quiet_hours=command.hours)
            if pref.quiet_hours == "":
                return turn.say("quiet_off")
            hours = pref.quiet_hours or self.services.settings.quiet_hours
            return turn.say("quiet_set", hours=hours) if hours else turn.say("quiet_off")
        await preferences.set("phone", phone, digest=command.kind == "digest")
        if command.kind == "digest":
            hour, minute = self.services.settings.digest_time
            return turn.say("digest_on", time=f"{hour:02d}:{minute:02d}")
        return turn.say("digest_off")

    async def _status(self, turn: Turn) -> str:
        lang, number = turn.conv.language, turn.parsed.tracking_number
        if number:
            try:
                view = await self.services.requests.get_public(number)
            except NotFound:
                return turn.say("unknown_request", tracking_number=number)

            def reply(note: str) -> str:
                return turn.say(
                    "status_one",
                    tracking_number=view.tracking_number,
                    service=service_name(lang, view.service_code, view.service_name),
                    status=status_name(lang, view.status),
                    note=turn.say("note", note=note) if note else "",
                )

            # staff's note, cut so that the reply keeps to two segments
            return reply(shortened((view.latest_public_note or "")[:80], reply))
        page = await self.services.requests.list(
            ListFilters(followed_by=Subscriber.phone(turn.conv.phone), limit=3)
        )
        if not page.items:
            return turn.say("status_none")
        lines = [
            f"{v.tracking_number} {service_name(lang, v.service_code, v.service_name)}: "
            f"{status_name(lang, v.status)}"
            for v in page.items
        ]

        def reply(n: int) -> str:
            return turn.say("status_many", lines="; ".join(lines[:n]))

        return reply(how_many_fit(reply, len(lines)))  # the latest that fit two segments

    async def _follow(self, turn: Turn, number: str) -> str:
        try:
            await self.services.requests.follow(
                number, Subscriber.phone(turn.conv.phone, turn.conv.language), channel="sms"
            )
            view = await self.services.requests.get(number)
        except NotFound:
            return turn.say("unknown_request", tracking_number=number)
        return turn.say(
            "followed",
            tracking_number=view.tracking_number,
            service=service_name(turn.conv.language, view.service_code, view.service_name),
            status=status_name(turn.conv.language, view.status),
        )


# -- the steps -------------------------------------------------------------------------------


def _type_names(bot: SmsBot, turn: Turn) -> list[str]:
    """The names of the draft's candidate types, in the conversation's language."""
    catalog, language = bot.services.catalog, turn.conv.language
    return [
        service_name(language, code, catalog.by_code(code).name)
        for code in turn.draft.get("choices", [])
    ]


async def _on_choose_type(bot: SmsBot, turn: Turn) -> str | None:
    choices = turn.draft.get("choices", [])
    if turn.parsed.keyword == "number":
        if turn.parsed.number and 1 <= turn.parsed.number <= len(choices):
            turn.draft.update(code=choices[turn.parsed.number - 1], type_picked=True)
            bot._prefill_answers(turn, turn.draft["code"])
            return None
        return turn.say("bad_choice", options=f"1-{len(choices)}")
    return await _on_ask_type(bot, turn)


def _shown(result: GeocodeResult) -> str:
    """An address as people write it; a landmark as the resident named it, with its name."""
    return result.address if result.kind == "landmark" else pretty(result.address)


async def _on_ask_type(bot: SmsBot, turn: Turn) -> str | None:
    """A description of the problem (again): its best types, taken when confident."""
    parsed = turn.parsed
    choices = parsed.choices or bot.parser.match_service(turn.text, turn.conv.language)
    turn.draft["description"] = (turn.draft.get("description", "") + " " + turn.text).strip()
    turn.draft["choices"] = [c.code for c in choices][:MAX_OPTIONS]
    if parsed.service_code:
        turn.draft["code"] = parsed.service_code
        bot._prefill_answers(turn, parsed.service_code)
    if parsed.place and "lat" not in turn.draft:
        bot._place(turn, parsed.location)
    return None


async def _on_location(bot: SmsBot, turn: Turn) -> str | None:
    """An address or cross streets (or a number picking one of the candidates)."""
    candidates = turn.draft.get("candidates")
    if candidates and turn.parsed.keyword == "number":
        n = turn.parsed.number or 0
        if not 1 <= n <= len(candidates):
            return turn.say("bad_choice", options=f"1-{len(candidates)}")
        address, lat, long = candidates[n - 1]
        turn.draft.pop("candidates", None)
        reply = bot._point(turn, lat, long, address, "text")
        if reply is None and turn.draft.get("type_picked"):
            turn.draft["confirmed"] = True  # both picked from lists: nothing left to confirm
        return reply
    place, result = turn.parsed.place, turn.parsed.location
    if place is None:
        place, result = bot.parser.find_place(turn.text)
    if place is None:
        corrected, reply = bot._correct(turn)  # "it's rats, actually": asked where again
        return reply if corrected else turn.say("location_unknown")
    return bot._place(turn, result)


def _confirm_prompt(bot: SmsBot, turn: Turn) -> str:
    """The type and the place together, before filing: YES, or what or where it is; and, when
    the draft has no photo yet, a photo (one reply instead of a question of its own)."""
    service = bot._service(turn)
    if turn.draft.get("located_by") == "photo":
        key = "confirm_photo_location"
    else:
        key = "confirm_location" if turn.draft.get("photos") else "confirm_offer_photo"
    return turn.say(key, service=service.name if service else "", address=turn.draft["address"])


async def _on_confirm_location(bot: SmsBot, turn: Turn) -> str | None:
    """YES (or SKIP, "no photo"): type and place are right, and no photo comes (it was offered
    with them); a photo: right, with the photo; else a correction, or what is wrong asked."""
    if turn.parsed.keyword in ("yes", "skip"):
        turn.draft.update(confirmed=True, photo_skipped=True)
        return None
    corrected, reply = bot._correct(turn)
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


async def _on_question(bot: SmsBot, turn: Turn) -> str | None:
    """An answer in plain words (an option's label or a paraphrase, in any of the four languages,
    yes/no words, several picks, a number in words or with a unit), or a number from the list;
    a correction of the type or place instead; never a validator's words back to the resident."""
    q = bot._question(turn)
    if q is None:
        return None
    if q.choices:
        n = turn.parsed.number if turn.parsed.keyword == "number" else None
        more = n == 0 or squeeze(turn.text) in ("more", squeeze(turn.say("more")))
        if more and len(_pages(turn, q)) > 1:
            turn.draft["page"] = (turn.draft.get("page", 0) + 1) % len(_pages(turn, q))
            return _question_prompt(bot, turn)
    elif q.datatype not in ("number",) and turn.parsed.intent != "answer":
        corrected, reply = bot._correct(turn)  # a correction, not an answer
        if corrected:
            return reply
    value = answer_in(q, turn.text, bot._english_question(turn.draft.get("code"), q.code))
    try:
        answer = validate_answers((q,), {q.code: value}) if value is not None else None
    except DomainError:
        answer = None
    if not answer:
        corrected, reply = bot._correct(turn)  # "no, it's rats"
        if corrected:
            return reply
        if q.choices:
            return turn.say("bad_choice", options=f"1-{len(q.choices)}")
        return turn.say("bad_number") if q.datatype == "number" else question_text(turn, q)
    turn.draft.setdefault("answers", {}).update(answer)
    turn.draft.pop("page", None)
    return None


def _question_prompt(bot: SmsBot, turn: Turn) -> str:
    q = bot._question(turn)
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


async def _on_photo(bot: SmsBot, turn: Turn) -> str | None:
    if turn.parsed.keyword in ("skip", "no") or NO_PHOTO.search(squeeze(turn.text)):
        turn.draft["photo_skipped"] = True
        return None
    corrected, reply = bot._correct(turn)
    return reply if corrected else turn.say("ask_photo")


async def _on_offer_follow(bot: SmsBot, turn: Turn) -> str | None:
    keyword = turn.parsed.keyword
    if keyword == "follow" or keyword == "yes":
        number = turn.draft["duplicate"][0]
        followed = await bot._follow(turn, number)
        return await bot._then(turn, followed, followed)
    if keyword in ("new", "no"):  # theirs is another: on with what is still missing
        turn.draft.pop("duplicate", None)
        if keyword == "new" and turn.draft.pop("offer_placed", False):
            # NEW to a type and place shown: they are right (and it is filed without asking for
            # a photo, as soon as the type's questions are answered)
            turn.draft.update(confirmed=True, photo_skipped=True)
        return None
    corrected, reply = bot._correct(turn)
    return reply if corrected else _offer_prompt(bot, turn)


def _offer_prompt(bot: SmsBot, turn: Turn) -> str:
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
        lambda bot, turn: _fitted_list(turn, "choose_type", "choices", _type_names(bot, turn)),
        _on_choose_type,
    ),
    "ask_type": Step(lambda bot, turn: turn.say("ask_type"), _on_ask_type),
    "pick_location": Step(
        lambda bot, turn: _fitted_list(
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
MISSING: list[tuple[Callable[[SmsBot, Turn], bool], str]] = [
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
    (lambda bot, turn: bot._question(turn) is not None, "question"),
    (
        lambda bot, turn: not turn.draft.get("photos") and not turn.draft.get("photo_skipped"),
        "ask_photo",
    ),
]

# The police report dialog's states (sms/police.py) are steps like the others.
from sms import police  # noqa: E402

STEPS.update(police.POLICE_STEPS)
