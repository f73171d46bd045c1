"""Two problems in one text ("pothole at 1600 n milwaukee and the street light is out too", "bache
en 1600 N Milwaukee y también la luz de la calle no sirve", "1600 N Milwaukee 有坑洞，还有路灯不亮"):
where the text splits into two reports of different types, each confident on its own. Pure: a
parser and a text in, the two readings out (or None)."""

from __future__ import annotations

import re
from typing import NamedTuple

from sms.parse import Parsed, Parser

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
