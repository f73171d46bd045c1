"""Police report screening, reading a text: the kind and the facts a free text states (a texted
report) and what they already decide."""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend.police.screening.kinds import KINDS
from backend.police.screening.rules import Kind, Outcome, Reason, Screening, refused, theft_kind
from backend.police.screening.words import (
    DOMESTIC,
    FIREARM,
    FIREARM_LOST,
    INJURY,
    KNOWN,
    NOT_INJURED,
    NOT_PRESENT,
    PRESENT,
    SHOOTING,
    SHOTS,
    THREATENED_HARM,
    VIOLENT,
    WEAPON,
    fold,
)

DOLLARS = re.compile(
    r"(?:\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k\b)?)|(?:\b(\d[\d,]*(?:\.\d+)?)\s*(k\b)?\s*"
    r"(?:dollars|bucks|dolares|dolarow|dolary|usd)\b)|(?:(\d[\d,]*)\s*(?:美元|块))"
)


@dataclass(frozen=True)
class Facts:
    """What a text says: its kind (None: none found), and each screening fact as True, False or
    None (not said)."""

    kind: Kind | None
    offender_present: bool | None
    needs_medical: bool | None
    firearm: bool | None  # any firearm in it
    firearm_lost: bool  # ... lost, stolen or turned in (and not used)
    weapon: bool
    violent: bool
    domestic: bool
    offender_known: bool
    dollars: float | None


def dollars_in(text: str) -> float | None:
    """The largest dollar amount a text names ("$1,200", "900 dollars", "2k", "300美元")."""
    found = []
    for m in DOLLARS.finditer(text.lower()):
        raw = m.group(1) or m.group(3) or m.group(5)
        thousands = m.group(2) or m.group(4)
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            continue
        found.append(value * 1000 if thousands else value)
    return max(found) if found else None


def kind_of(folded: str) -> Kind | None:
    for kind, pattern in KINDS:
        if pattern.search(folded):
            return kind
    return None


def read(text: str) -> Facts:
    folded = fold(text)
    kind = kind_of(folded)
    dollars = dollars_in(folded)
    if kind in (Kind.THEFT_UNDER_500, Kind.THEFT_OVER_500):
        kind = theft_kind(dollars)
    shooting = bool(SHOOTING.search(folded))
    firearm = shooting or bool(FIREARM.search(folded))
    used = shooting or (firearm and bool(SHOTS.search(folded)))
    lost = firearm and not used and bool(FIREARM_LOST.search(folded))
    calm = NOT_PRESENT.sub(" ", folded)
    present: bool | None = bool(PRESENT.search(calm)) or None
    if present is None and NOT_PRESENT.search(folded):
        present = False
    unhurt = THREATENED_HARM.sub(" ", NOT_INJURED.sub(" ", folded))
    injured: bool | None = bool(INJURY.search(unhurt)) or None
    if injured is None and NOT_INJURED.search(folded):
        injured = False
    return Facts(
        kind=kind,
        offender_present=present,
        needs_medical=injured,
        firearm=firearm or None,
        firearm_lost=lost,
        weapon=bool(WEAPON.search(folded)),
        violent=bool(VIOLENT.search(folded)),
        domestic=bool(DOMESTIC.search(folded)),
        offender_known=bool(KNOWN.search(folded)),
        dollars=dollars,
    )


def screen_facts(facts: Facts) -> Screening:
    """What the facts a text states decide: a refusal as soon as one rules it out; else eligible
    when its kind is known (the questions it left unanswered are still to be asked), else
    NOT_TAKEN."""
    kind = facts.kind
    if facts.firearm:
        if facts.firearm_lost:
            return refused(Reason.FIREARM_LOST, kind)
        return refused(Reason.FIREARM_USED, kind)
    if facts.offender_present:
        return refused(Reason.OFFENDER_PRESENT, kind)
    if facts.needs_medical:
        return refused(Reason.MEDICAL, kind)
    if facts.weapon:
        return refused(Reason.WEAPON, kind)
    if facts.violent:
        return refused(Reason.VIOLENT, kind)
    if facts.domestic and kind in (Kind.SIMPLE_ASSAULT, None):
        return refused(Reason.DOMESTIC, kind)
    if facts.offender_known:
        return refused(Reason.OFFENDER_KNOWN, kind)
    if kind is None:
        return refused(Reason.NOT_TAKEN)
    return Screening(Outcome.ELIGIBLE, None, kind)


def screen_text(text: str) -> Screening:
    return screen_facts(read(text))


def unanswered(facts: Facts) -> list[str]:
    """The screening questions a text left open, in the order they are asked."""
    asked = []
    if facts.offender_present is None:
        asked.append("offender_present")
    if facts.needs_medical is None:
        asked.append("needs_medical")
    if facts.firearm is None:
        asked.append("firearm")
    return asked
