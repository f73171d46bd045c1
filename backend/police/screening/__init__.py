"""Screening a non-emergency police report: may the Alternate Response Section (ARS) take it, or
must the resident call 911 or go to their district station, and why. Pure rules, no database.

Modelled on the Chicago Police Department's public directives: G04-01-01 "Alternate Response
Section Case Reporting Policy" (a report is taken by telephone only when the offender is not on
the scene and not expected to return immediately, and the victim does not need medical
attention; a lost or stolen firearm, or its turn-in, is never referred to ARS) and S04-01-06
"Online Case Reporting" (the offender must be unknown; the loss, theft or turn-in of a firearm may
not be reported online; the incidents that may be). Homicides, missing persons and sex offenses are
always phoned in to 911 (CPD, "Use 3-1-1 to report non-emergency situations").

`decide()` applies the rules to answers (the app's guided questions, staff intake); `read()` finds
the kind and the facts a free text states (a texted report, in English, Spanish, Polish or
Chinese); `screen_text()` is both: what a text alone already decides.

The rules on answers are in `rules.py`, the words that state each fact in `words.py`, the words of
each kind in `kinds.py`, and reading a text with them in `text.py`.
"""

from backend.police.screening.rules import (
    OUTCOME_OF,
    THEFT_LIMIT_DOLLARS,
    Kind,
    Outcome,
    Reason,
    Screening,
    decide,
    refused,
    theft_kind,
)
from backend.police.screening.text import (
    Facts,
    dollars_in,
    kind_of,
    read,
    screen_facts,
    screen_text,
    unanswered,
)
from backend.police.screening.words import fold

__all__ = [
    "OUTCOME_OF",
    "THEFT_LIMIT_DOLLARS",
    "Facts",
    "Kind",
    "Outcome",
    "Reason",
    "Screening",
    "decide",
    "dollars_in",
    "fold",
    "kind_of",
    "read",
    "refused",
    "screen_facts",
    "screen_text",
    "theft_kind",
    "unanswered",
]
