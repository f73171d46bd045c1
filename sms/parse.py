"""The SMS bot's understanding of one text: intent, service type, place, language, tracking number.

Pure: `Parser.load()` reads the catalog, the phrase files and the street files once; `parse()`
then needs neither the web app, nor a database, nor the network.

    >>> p = Parser.load()
    >>> r = p.parse("hay un bache muy hondo en 3300 W Fullerton")
    >>> r.intent, r.language, r.service_code, r.location.address
    ('report', 'es', 'PHF', '3300 W FULLERTON AVE')
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backend.geo.geocoder import Geocoder, GeocodeResult, geocoder
from sms import intents as kw
from sms.emergency import Emergency, recognise
from sms.language import _vocabulary, detect_language
from sms.language_bank import Foreign, needs_interpreter
from sms.places import PlaceFinder
from sms.service_match import (
    ServiceEntry,
    build_matcher,
    load_services,
    ranked,
    read_yields,
    type_scores,
)
from sms.words import normalize_text

INTENTS = ("report", "status", "follow", "reset", "help", "stop", "start", "language", "info",
           "police_report", "emergency", "answer", "interpreter", "unknown")  # fmt: skip
CONFIDENT = 0.56  # a type is taken without asking only at or above it (bench/sms_accuracy.py)
SHORT_QUESTION = 15  # words: a longer text with a question in it is a complaint
MAX_TEXT = 1600  # Twilio's longest message; anything beyond is not read
__all__ = ["CONFIDENT", "INTENTS", "Choice", "Parsed", "Parser", "ServiceEntry", "detect_language"]


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    name: str
    score: float


@dataclass(frozen=True, slots=True)
class Parsed:
    intent: str
    language: str  # en es pl zh: from the text, else the `language` argument, else "en"
    service_code: str | None = None  # the best type when confident, else None
    service_name: str | None = None
    confidence: float = 0.0  # 0..1 for the service type
    choices: tuple[Choice, ...] = ()  # the 3 most likely types, best first
    place: str | None = None  # the location phrase as written
    location: GeocodeResult | None = None  # the geocoder's answer for `place`
    tracking_number: str | None = None  # "SR26-00012345"
    keyword: str | None = None  # intent "answer": yes no skip follow new number
    number: int | None = None  # keyword "number": the number picked
    target_language: str | None = None  # intent "language"
    emergency: Emergency | None = None  # intent "emergency": its kind and words
    foreign: Foreign | None = None  # intent "interpreter": a language the bot does not speak


class Parser:
    def __init__(self, services: list[ServiceEntry], geocoder: Geocoder | None):
        self.services = {s.code: s for s in services if s.active}
        self._popularity = {s.code: s.popularity for s in self.services.values()}
        everyday = frozenset(_vocabulary())
        self._places = PlaceFinder(geocoder, everyday) if geocoder is not None else None
        known = everyday | (self._places.street_words if self._places else frozenset())
        self._matcher = build_matcher(list(self.services.values()), kw.intent_patterns(), known)
        self._yields = read_yields()

    @classmethod
    def load(cls) -> Parser:
        """The repo's catalog and the offline geocoder."""
        return cls(load_services(), geocoder())

    # -- pieces the conversation asks for on their own -----------------------------------------

    def match_service(self, text: str, language: str = "en") -> tuple[Choice, ...]:
        """The 3 most likely types for a text (a reply to "what is the problem?"), best first."""
        scores = type_scores(
            self._matcher.find(normalize_text(text or "")[:MAX_TEXT]), self._yields
        )
        return self._choices(scores)

    def find_place(self, text: str) -> tuple[str | None, GeocodeResult | None]:
        """The place in a text (a reply to "where is it?") and the geocoder's answer for it."""
        if self._places is None or not text:
            return None, None
        text = normalize_text(text)[:MAX_TEXT]
        _, span = kw.find_tracking_number(text)
        return self._places.find(text, span)

    def _choices(self, scores: dict[str, float]) -> tuple[Choice, ...]:
        best = ranked(scores, self._popularity)[:3]
        choices = [Choice(c, self.services[c].name, s) for c, s in best]
        if choices and len(choices) < 3:  # the rest from the best one's group, most asked first
            group = self.services[choices[0].code].group
            taken = {c.code for c in choices}
            for s in sorted(self.services.values(), key=lambda s: -s.popularity):
                if len(choices) == 3:
                    break
                if s.group == group and s.code not in taken:
                    choices.append(Choice(s.code, s.name, 0.0))
        return tuple(choices)

    # -- the whole reading ---------------------------------------------------------------------

    def parse(self, text: str, *, language: str | None = None) -> Parsed:
        text = normalize_text(text if isinstance(text, str) else "")[:MAX_TEXT].strip()
        lang = detect_language(text, language)
        if not text:
            return Parsed("unknown", lang)
        if emergency := recognise(text):  # before anything else: a life may be at stake
            lang = detect_language(text, language or emergency.language)
            reading = self._free_text(text, lang)  # what else it says, for the record
            return replace(reading, intent="emergency", language=lang, emergency=emergency)
        if kw.is_stop(text):
            return Parsed("stop", lang)
        if kw.is_start(text):
            return Parsed("start", lang)
        squeezed = kw.squeeze(text)
        if squeezed.rstrip("? ") in kw.HELP_WORDS or squeezed in kw.HELP_WORDS:
            return Parsed("help", lang)
        target = kw.target_language(squeezed)
        if target:
            # "polski" is written in Polish; "LANG ES" or "Spanish" says nothing of the writer's
            native = kw.NATIVE_NAMES.get(kw.without_politeness(squeezed))
            return Parsed("language", native or language or "en", target_language=target)
        if plea := kw.language_plea(squeezed):  # "no hablo inglés", "我看不懂英文"
            return Parsed("language", plea, target_language=plea)
        if squeezed in kw.RESET_PHRASES:
            return Parsed("reset", lang)
        number, span = kw.find_tracking_number(text)
        if number and span:
            rest = kw.squeeze(text[: span[0]] + " " + text[span[1] :])
            intent = "follow" if kw.starts_with(rest, kw.FOLLOW_WORDS) else "status"
            return Parsed(intent, lang, tracking_number=number)
        if kw.starts_with(squeezed, kw.STATUS_WORDS) or "status" in squeezed.split():
            return Parsed("status", lang)
        keyword, picked = kw.answer_of(squeezed)
        if keyword:
            return Parsed("answer", lang, keyword=keyword, number=picked)
        if squeezed in kw.GREETINGS:
            return Parsed("help", lang)
        if foreign := needs_interpreter(text):  # the language bank (sms/language_bank.py)
            return Parsed("interpreter", lang, foreign=foreign)
        return self._free_text(text, lang)

    def _free_text(self, text: str, lang: str) -> Parsed:
        words = self._matcher.words_of(text)
        matches = self._matcher.find_in(words)
        signals = {m.pattern.label for m in matches if m.pattern.label.startswith("!")}
        scores = type_scores(matches, self._yields)
        choices = self._choices(scores)
        place, location = self.find_place(text)
        best = choices[0] if choices and choices[0].score >= CONFIDENT else None
        report = Parsed(
            "report",
            lang,
            service_code=best.code if best else None,
            service_name=best.name if best else None,
            confidence=choices[0].score if choices else 0.0,
            choices=choices,
            place=place,
            location=location,
        )
        if "!police" in signals:
            return replace(report, intent="police_report")
        if "!info" in signals and place is None:
            asked_first = any(m.pattern.label == "!info" and min(m.positions) <= 1 for m in matches)
            if best is None or asked_first or "?" in text or "¿" in text:
                return replace(report, intent="info")
        if choices or place:
            return report
        return Parsed("unknown", lang)
