"""The SMS keywords for a phone's notification preferences (pure): QUIET 22-7 / QUIET 22:00-07:00 /
QUIET 10pm-7am, QUIET OFF, QUIET CITY (the city's hours), DIGEST (one text a day), INSTANT (each
update as it happens). English keywords in every language, like STOP and HELP."""

from __future__ import annotations

import re
from typing import NamedTuple

from backend.notify.quiet import parse_hours

_QUIET = re.compile(r"^\s*quiet\b\s*(?P<rest>.*?)\s*[.!]*\s*$", re.IGNORECASE)
_WORD = re.compile(r"^\s*(?P<word>digest|instant)\s*[.!]*\s*$", re.IGNORECASE)


class PreferenceCommand(NamedTuple):
    kind: str  # quiet | digest | instant
    hours: str | None = None  # quiet: "22:00-07:00", "" none, None the city's; "?" not understood


def preference_command(text: str) -> PreferenceCommand | None:
    if match := _WORD.match(text or ""):
        return PreferenceCommand(match["word"].lower())
    match = _QUIET.match(text or "")
    if not match:
        return None
    rest = match["rest"].lower()
    if rest in ("off", "none", "no"):
        return PreferenceCommand("quiet", "")
    if rest in ("city", "default"):
        return PreferenceCommand("quiet", None)
    return PreferenceCommand("quiet", parse_hours(rest) or "?")
