"""What a texted report (a draft) has and lacks: its type and the answers it already gives, its
place from the geocoder, corrections in words ("no, it's rats"), in the conversation's language."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from backend.catalog.answers import validate_answers
from backend.catalog.snapshot import Question, ServiceTypeInfo
from backend.catalog.translate import localized
from backend.city import TIME_ZONE
from backend.errors import DomainError
from backend.geo.geocoder import MIN_CONFIDENCE, GeocodeResult
from backend.service_requests.location import pretty
from sms.answers import named_options
from sms.intents import without_denials
from sms.parse import Parser
from sms.turns import Turn

if TYPE_CHECKING:
    from backend.services import Services

MAX_OPTIONS = 3


def shown(result: GeocodeResult) -> str:
    """An address as people write it; a landmark as the resident named it, with its name."""
    return result.address if result.kind == "landmark" else pretty(result.address)


class Drafts:
    def __init__(self, services: Services, parser: Parser) -> None:
        self.services, self.parser = services, parser

    def start_draft(self, turn: Turn) -> str | None:
        """A draft from the first text; what was wrong with its place, if anything."""
        parsed, draft = turn.parsed, turn.draft
        draft["description"] = turn.text.strip()[:4000]
        draft["code"] = parsed.service_code
        draft["choices"] = [c.code for c in parsed.choices][:MAX_OPTIONS]
        if parsed.service_code:
            self.prefill_answers(turn, parsed.service_code)
        return self.place(turn, parsed.location) if parsed.place else None

    def service_of(self, turn: Turn, code: str) -> ServiceTypeInfo | None:
        service = self.services.catalog.by_code(code)
        return localized(service, turn.conv.language) if service else None

    def english_question(self, code: str | None, question: str) -> Question | None:
        """A question as the catalog has it (in English), to read answers in English too."""
        service = self.services.catalog.by_code(code) if code else None
        return next((q for q in service.questions if q.code == question), None) if service else None

    def service(self, turn: Turn) -> ServiceTypeInfo | None:
        """The draft's type, its name, questions and options in the conversation's language."""
        code = turn.draft.get("code")
        service = self.services.catalog.by_code(code) if code else None
        return localized(service, turn.conv.language) if service else None

    def question(self, turn: Turn) -> Question | None:
        """The next required question without an answer."""
        service = self.service(turn)
        answers = turn.draft.get("answers", {})
        for q in service.questions if service else ():
            if q.required and q.code not in answers:
                if q.datatype == "datetime":  # "when": the time it was texted
                    answers[q.code] = turn.at.astimezone(TIME_ZONE).isoformat(timespec="minutes")
                    turn.draft["answers"] = answers
                    continue
                return q
        return None

    def prefill_answers(self, turn: Turn, code: str) -> None:
        """List answers the report already gives ("rats in the alley" -> where seen: alley)."""
        service = self.service_of(turn, code)
        words = turn.draft.get("description", "")
        answers = turn.draft.setdefault("answers", {})
        for q in service.questions if service else ():
            if not q.choices or q.code in answers:
                continue
            hits = named_options(q, words, self.english_question(code, q.code))
            if q.datatype == "multivaluelist" and hits:
                answers[q.code] = hits
            elif len(hits) == 1:
                answers[q.code] = hits[0]

    def retype(self, turn: Turn, code: str) -> None:
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
        self.prefill_answers(turn, code)

    def correct(self, turn: Turn) -> tuple[bool, str | None]:
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
        if retyped and code:
            self.retype(turn, code)
        draft.update(confirmed=False, duplicate_checked=False)
        draft.pop("duplicate", None)
        reply = None
        if reading.place:
            for key in ("lat", "long", "address", "located_by"):
                draft.pop(key, None)
            reply = self.place(turn, reading.location)
        return True, reply

    def place(self, turn: Turn, result: GeocodeResult | None) -> str | None:
        """Takes a geocoder's answer into the draft; a reply when it cannot be used."""
        draft = turn.draft
        draft.pop("candidates", None)
        if result is None or not result.found and not result.candidates:
            return turn.say("location_unknown")
        if result.candidates and len(result.candidates) > 1:
            draft["candidates"] = [
                [shown(c), c.lat, c.long] for c in result.candidates[:MAX_OPTIONS]
            ]
            return None
        if result.confidence < MIN_CONFIDENCE:
            return turn.say("location_unknown")
        assert result.lat is not None and result.long is not None  # found, or one candidate
        return self.point(turn, result.lat, result.long, shown(result), "text")

    def point(
        self, turn: Turn, lat: float | None, long: float | None, address: str | None, by: str
    ) -> str | None:
        if lat is None or long is None:
            return turn.say("location_unknown")
        if not self.services.city.contains(lat, long):
            return turn.say("outside_city")
        turn.draft.update(lat=lat, long=long, address=address, located_by=by, confirmed=False)
        return None
