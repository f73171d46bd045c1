"""Police report screening, the rules on answers: the kinds ARS takes, the outcomes, the reasons a
report is not taken, and `decide()` (CPD directives G04-01-01, S04-01-06: see the package)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

THEFT_LIMIT_DOLLARS = 500  # theft under / over $500 (the value decides which)


class Kind(StrEnum):
    """The incidents ARS takes, by CPD's names (S04-01-06, G04-01-01)."""

    THEFT_UNDER_500 = "theft_under_500"
    THEFT_OVER_500 = "theft_over_500"
    THEFT_FROM_VEHICLE = "theft_from_vehicle"
    RETAIL_THEFT = "retail_theft"
    LOST_PROPERTY = "lost_property"
    DAMAGE_TO_PROPERTY = "damage_to_property"
    DAMAGE_TO_VEHICLE = "damage_to_vehicle"
    TRESPASS_TO_VEHICLE = "trespass_to_vehicle"
    GARAGE_BURGLARY = "garage_burglary"
    IDENTITY_THEFT = "identity_theft"
    CREDIT_CARD_FRAUD = "credit_card_fraud"
    CONFIDENCE_GAME = "confidence_game"
    HARASSMENT_BY_PHONE = "harassment_by_phone"
    HARASSMENT_ELECTRONIC = "harassment_electronic"
    TELEPHONE_THREATS = "telephone_threats"
    SIMPLE_ASSAULT = "simple_assault"
    VEHICLE_THEFT = "vehicle_theft"


class Outcome(StrEnum):
    ELIGIBLE = "eligible"  # ARS takes the report
    CALL_911 = "call_911"
    DISTRICT = "district"  # go to (or call) the district station


class Reason(StrEnum):
    """Why a report is not taken (each has a sentence in backend/i18n/messages.py)."""

    OFFENDER_PRESENT = "offender_present"  # on the scene, or expected back (in progress too)
    MEDICAL = "medical"  # someone needs medical attention
    FIREARM_USED = "firearm_used"  # a gun was shown, pointed or fired
    WEAPON = "weapon"  # another weapon (a knife…) was used
    VIOLENT = "violent"  # robbery, battery, home burglary, sex offense, missing person, homicide
    DOMESTIC = "domestic"  # an assault by a family member or partner
    FIREARM_LOST = "firearm_lost"  # a lost, stolen or turned-in firearm: never by phone or online
    OFFENDER_KNOWN = "offender_known"  # reports naming the offender are taken in person
    NOT_TAKEN = "not_taken"  # not a kind ARS takes


# Which outcome each reason leads to.
OUTCOME_OF = {
    Reason.OFFENDER_PRESENT: Outcome.CALL_911,
    Reason.MEDICAL: Outcome.CALL_911,
    Reason.FIREARM_USED: Outcome.CALL_911,
    Reason.WEAPON: Outcome.CALL_911,
    Reason.VIOLENT: Outcome.CALL_911,
    Reason.DOMESTIC: Outcome.CALL_911,
    Reason.FIREARM_LOST: Outcome.DISTRICT,
    Reason.OFFENDER_KNOWN: Outcome.DISTRICT,
    Reason.NOT_TAKEN: Outcome.DISTRICT,
}


@dataclass(frozen=True)
class Screening:
    outcome: Outcome
    reason: Reason | None = None  # None when eligible
    kind: Kind | None = None

    @property
    def eligible(self) -> bool:
        return self.outcome == Outcome.ELIGIBLE


def refused(reason: Reason, kind: Kind | None = None) -> Screening:
    return Screening(OUTCOME_OF[reason], reason, kind)


def decide(
    kind: Kind | str | None,
    *,
    offender_present: bool,
    needs_medical: bool,
    firearm: bool,
    offender_known: bool = False,
    domestic: bool = False,
) -> Screening:
    """The rules on a resident's answers. 911 first (a danger now), then what only a district
    station takes; `firearm` is any firearm in the incident, lost or stolen ones included."""
    kind = Kind(kind) if kind else None
    if offender_present:
        return refused(Reason.OFFENDER_PRESENT, kind)
    if needs_medical:
        return refused(Reason.MEDICAL, kind)
    if firearm:
        # a gun lost or stolen (nobody threatened) goes to the district; any other gun is 911
        lost = kind in (Kind.THEFT_UNDER_500, Kind.THEFT_OVER_500, Kind.LOST_PROPERTY,
                        Kind.THEFT_FROM_VEHICLE, Kind.GARAGE_BURGLARY)  # fmt: skip
        return refused(Reason.FIREARM_LOST if lost else Reason.FIREARM_USED, kind)
    if domestic and kind == Kind.SIMPLE_ASSAULT:
        return refused(Reason.DOMESTIC, kind)
    if offender_known:
        return refused(Reason.OFFENDER_KNOWN, kind)
    if kind is None:
        return refused(Reason.NOT_TAKEN)
    return Screening(Outcome.ELIGIBLE, None, kind)


def theft_kind(dollars: float | None) -> Kind:
    """Theft under or over $500 by the property's estimated value (unknown: under)."""
    if dollars is not None and dollars > THEFT_LIMIT_DOLLARS:
        return Kind.THEFT_OVER_500
    return Kind.THEFT_UNDER_500
