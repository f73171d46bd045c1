"""Two problems in one text ("pothole at 1600 n milwaukee and the street light is out too", "bache
en 1600 N Milwaukee y también la luz de la calle no sirve", "1600 N Milwaukee 有坑洞，还有路灯不亮"):
where the text splits into two reports of different types, each confident on its own (pure: a
parser and a text in, the two readings out, or None); and how the dialog takes them: the first
now, the second when the first is filed."""

from __future__ import annotations

import dataclasses
import re
from typing import NamedTuple

from backend.catalog.snapshot import Catalog
from backend.catalog.translate import service_name
from backend.notify.segments import fits
from sms.parse import Parsed, Parser
from sms.turns import Turn

# The words that join a second problem to the first, in four languages (an optional comma before).
JOINS = re.compile(
    r"(?:[,;.]\s*|\s+)(?:and also|and then|and|also|plus|as well as|y también|y tambien|y además"
    r"|y ademas|y|también|tambien|además|ademas|i jeszcze|a także|a takze|oraz|i|też|tez)\s+"
    r"|[,，;；。]?\s*(?:还有|另外|而且|并且|同时|和)\s*",
    re.IGNORECASE,
)
MAX_SPLITS = 6  # a text with more joins than this is read as one report


class Problems(NamedTuple):
    first: Parsed
    first_text: str
    second: Parsed
    second_text: str


def two_problems(parser: Parser, text: str, language: str) -> Problems | None:
    """The two reports a text holds, in the order written; None when it holds one (or the parts
    are not both confident types, or are the same type). The last join that splits it into two
    confident reports is taken, so that "pothole at Damen and Division and the street light is out"
    keeps its corner."""
    joins = list(JOINS.finditer(text))
    if not joins or len(joins) > MAX_SPLITS:
        return None
    for join in reversed(joins):
        left, right = text[: join.start()].strip(), text[join.end() :].strip()
        if not left or not right:
            continue
        first = parser.parse(left, language=language)
        if first.intent != "report" or not first.service_code:
            continue
        second = parser.parse(right, language=language)
        if second.intent != "report" or not second.service_code:
            continue
        if second.service_code != first.service_code:
            return Problems(first, left, second, right)
    return None


def take_first(turn: Turn, problems: Problems) -> None:
    """The turn reads as the first problem's text, with the place the text gives (in either
    part); the second's words wait in the draft."""
    first, whole = problems.first, turn.parsed
    placed = next((p for p in (first, whole, problems.second) if p.place), None)
    if placed is not None and placed is not first:
        first = dataclasses.replace(first, place=placed.place, location=placed.location)
    turn.parsed, turn.text = first, problems.first_text
    turn.draft["then"] = problems.second_text


def both_said(catalog: Catalog, turn: Turn, problems: Problems, prompt: str) -> str:
    """ "I'll file the pothole first, then the street light", before the first's prompt (or,
    when both would not fit two segments, "Then: the street light" after it; or the notice
    alone, and YES shows the prompt)."""
    first, second = (
        type_name(catalog, turn, p.service_code or "") for p in (problems.first, problems.second)
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


def type_name(catalog: Catalog, turn: Turn, code: str) -> str:
    service = catalog.by_code(code)
    return service_name(turn.conv.language, code, service.name if service else code)
