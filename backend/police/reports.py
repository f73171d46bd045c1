"""PoliceReports: a screened non-emergency police report filed as a request of the private ARS
type (through RequestService.submit, in one transaction with its police_report row), and the
Alternate Response Section's review: an RD number issued, or the report declined with a reason;
either way the resident is told on the channel they used, in their language (the outbox).

Nothing here is shown publicly: the ARS type is private (RequestService keeps it out of every
public read), and the reporter's contact is private like every reporter's."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec

from backend.db import as_utc, is_unique_violation
from backend.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from backend.geo.areas import PoliceDistrict
from backend.i18n.messages import say
from backend.identity.contact import ContactInvalid, normalize_phone
from backend.limits import shown
from backend.police import repo
from backend.police.rd_numbers import next_rd_number, year_prefix
from backend.police.screening import Kind, Screening, decide, theft_kind
from backend.service_requests.audit import Actor
from backend.service_requests.models import RequestView, SubmitCommand, Subscriber
from backend.service_requests.service import RequestService, chicago_year

SERVICE_CODE = "ARS"
MAX_FIELD = 1000


class DeclineReason(StrEnum):
    """Why ARS declines a report (each has a sentence residents read: police.decline.*)."""

    IN_PERSON = "in_person"
    OUTSIDE_CITY = "outside_city"
    DUPLICATE = "duplicate"
    NEEDS_OFFICER = "needs_officer"
    INCOMPLETE = "incomplete"


class Decision(StrEnum):
    PENDING = "pending"
    ISSUED = "issued"
    DECLINED = "declined"


class ScreeningAnswers(msgspec.Struct, kw_only=True):
    """The guided screening's answers (the app's questions; staff intake asks the same)."""

    kind: str | None = None
    offender_present: bool
    needs_medical: bool
    firearm: bool
    offender_known: bool = False
    domestic: bool = False


class ReportCommand(msgspec.Struct, kw_only=True):
    """A police report from any channel: the screening's answers and the report's fields."""

    screening: ScreeningAnswers
    channel: str
    description: str  # what happened
    occurred: str  # when, as the resident says it (or an ISO date and time)
    lat: float | None = None
    long: float | None = None
    address: str | None = None
    property: str | None = None
    estimated_value: float | None = None  # dollars
    serial_numbers: str | None = None
    reporter_name: str | None = None
    reporter_email: str | None = None
    reporter_phone: str | None = None
    device_id: int | None = None
    subscriber: Subscriber | None = None
    idempotency_key: str | None = None
    intake_language: str | None = None
    interpreter_used: bool = False
    actor: Actor | None = None
    language: str = "en"  # the resident's: a refusal is told in it


class ReportView(msgspec.Struct, kw_only=True):
    """A report as ARS staff see it (with the request's private details beside it)."""

    request: RequestView
    kind: str
    decision: str
    rd_number: str | None
    decline_reason: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    answers: dict[str, Any]


class NotEligible(InvalidInput):
    """The screening says 911 or the district station: nothing is filed. Its detail is what the
    resident is told, in their language; its field error names the reason."""

    @classmethod
    def of(cls, screening: Screening, language: str = "en") -> NotEligible:
        assert screening.reason is not None
        why = f"{screening.outcome.value}: {screening.reason.value}"
        return cls(refusal(screening, language, None), [FieldError("screening", why)])


def refusal(screening: Screening, language: str, station: PoliceDistrict | None) -> str:
    """What a resident is told when the report cannot be taken: 911 or their district, why."""
    assert screening.reason is not None
    if screening.outcome.value == "call_911":
        return say(language, f"police.911.{screening.reason.value}")
    where = (
        say(
            language,
            "police.station",
            district=station.number,
            address=station.station_address.split(",")[0],  # the street: "2150 N California Ave"
            phone=station.station_phone,
        )
        if station
        else ""
    )
    return say(language, f"police.district.{screening.reason.value}", station=where)


def district_desk(language: str, station: PoliceDistrict) -> str:
    """ "Connect me to my district": the district, its station and its desk phone."""
    return say(
        language,
        "police.district_desk",
        district=station.number,
        name=station.name,
        address=station.station_address,
        phone=station.station_phone,
    )


def _text(value: str | None, field: str, required: bool = False) -> str | None:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput.for_field(field, f"{field} is required")
    if len(text) > MAX_FIELD:
        raise InvalidInput.for_field(field, f"{field} is longer than {MAX_FIELD} characters")
    return text or None


def caller_subscriber(phone: str | None, language: str, notify: bool) -> Subscriber | None:
    """The phone a caller asked to be texted on (staff phone intake): None when not asked; a
    422 naming `phone` when there is none or it is not a phone number."""
    if not notify:
        return None
    if not phone:
        raise InvalidInput.for_field("phone", "texting the caller needs their phone")
    try:
        return Subscriber.phone(normalize_phone(phone), language)
    except ContactInvalid as exc:
        raise InvalidInput.for_field("phone", f"phone: {exc}") from None


class PoliceReports:
    def __init__(self, requests: RequestService) -> None:
        self.requests = requests
        self.writer = requests.writer

    def check_reviewer(self, department_ids: Collection[int] | None) -> None:
        """A department user (`department_ids`: theirs; None for roles that see every department)
        reviews reports only as a member of the Alternate Response Section; Forbidden otherwise."""
        ars = self.requests.catalog.by_code(SERVICE_CODE)
        if department_ids is not None and (ars is None or ars.department_id not in department_ids):
            raise Forbidden.for_field("department", "only the Alternate Response Section reviews")

    # -- screening and filing -----------------------------------------------------------------

    def screen(self, answers: ScreeningAnswers) -> Screening:
        if answers.kind is not None and answers.kind not in Kind.__members__.values():
            raise InvalidInput.for_field("kind", f"'{shown(answers.kind)}' is not an incident kind")
        return decide(
            answers.kind,
            offender_present=answers.offender_present,
            needs_medical=answers.needs_medical,
            firearm=answers.firearm,
            offender_known=answers.offender_known,
            domestic=answers.domestic,
        )

    def district_of(self, lat: float, long: float) -> PoliceDistrict | None:
        places = self.requests.city.places(lat, long)
        return places.police_district if places else None

    def station_of(
        self, address: str | None, lat: float | None, long: float | None
    ) -> PoliceDistrict | None:
        """The police district of the place a resident gave (None: no place given, or none
        found)."""
        if lat is None and not (address or "").strip():
            return None
        _, places = self.requests.locator.lookup(address, lat, long)
        return places.police_district if places else None

    async def file(self, cmd: ReportCommand) -> tuple[RequestView, bool]:
        """Screens and files; (the request, replayed). NotEligible when the screening says 911 or
        the district station: nothing is written."""
        screening = self.screen(cmd.screening)
        if not screening.eligible:
            raise NotEligible.of(screening, cmd.language)
        kind = screening.kind
        assert kind is not None  # an eligible screening names its kind
        if kind in (Kind.THEFT_UNDER_500, Kind.THEFT_OVER_500) and cmd.estimated_value is not None:
            kind = theft_kind(cmd.estimated_value)  # the value decides
        if cmd.estimated_value is not None and not 0 <= cmd.estimated_value <= 1e9:
            raise InvalidInput.for_field("estimatedValue", "a value in dollars, 0 or more")
        answers: dict[str, object] = {"INCIDENT_KIND": kind.value}
        answers["OCCURRED_AT"] = _text(cmd.occurred, "occurred", required=True)
        for code, value in (
            ("PROPERTY", _text(cmd.property, "property")),
            ("SERIAL_NUMBERS", _text(cmd.serial_numbers, "serialNumbers")),
            ("ESTIMATED_VALUE", cmd.estimated_value),
        ):
            if value is not None:
                answers[code] = value
        submit = SubmitCommand(
            service_code=SERVICE_CODE,
            channel=cmd.channel,
            lat=cmd.lat,
            long=cmd.long,
            address=cmd.address,
            description=_text(cmd.description, "description", required=True) or "",
            answers=answers,
            reporter_name=cmd.reporter_name,
            reporter_email=cmd.reporter_email,
            reporter_phone=cmd.reporter_phone,
            device_id=cmd.device_id,
            subscriber=cmd.subscriber,
            idempotency_key=cmd.idempotency_key,
            language=cmd.intake_language or cmd.language,
            interpreter_used=cmd.interpreter_used,
            actor=cmd.actor,
        )
        async with self.writer.transaction():
            result = await self.requests.submit(submit, allow_private=True)
            if not result.replayed:
                await repo.insert_report(result.request.id, kind.value)
        return result.request, result.replayed

    # -- ARS review ---------------------------------------------------------------------------

    async def report(self, tracking_number: str) -> ReportView:
        view = await self.requests.get(tracking_number)
        row = await self._row(view)
        private = await self.requests.repo.private_details(view.id)
        return _report_view(view, row, private.get("answers") or {})

    async def pending(self, limit: int = 50, after_id: int = 0) -> list[ReportView]:
        """Reports waiting for review, oldest first."""
        rows = await repo.pending_reports(Decision.PENDING.value, limit, after_id)
        views = []
        for row in rows:
            view = await self.requests.repo.by_id(row["request"])
            if view is not None:
                views.append(_report_view(view, row, {}))
        return views

    async def issue(self, tracking_number: str, *, actor: Actor) -> ReportView:
        """An RD number for the report (the year's next); the resident is told it."""
        for attempt in range(3):
            try:
                return await self._decide(tracking_number, actor, None)
            except BaseException as exc:
                # two reviewers took the same next number at once: take the one after
                if attempt == 2 or not is_unique_violation(exc):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def decline(self, tracking_number: str, reason: str, *, actor: Actor) -> ReportView:
        try:
            why = DeclineReason(reason)
        except ValueError:
            allowed = ", ".join(r.value for r in DeclineReason)
            raise InvalidInput.for_field(
                "reason", f"'{shown(reason)}' is not a reason; use one of: {allowed}"
            ) from None
        return await self._decide(tracking_number, actor, why)

    async def _decide(
        self, tracking_number: str, actor: Actor, reason: DeclineReason | None
    ) -> ReportView:
        view = await self.requests.get(tracking_number)
        await self._row(view)  # a police report, or NotFound
        now = self.requests.clock()
        async with self.writer.transaction():
            # The request's row is locked by the status change: reviews of one report queue.
            if reason is None:
                highest = await repo.highest_rd_number(year_prefix(chicago_year(now)))
                rd = next_rd_number(chicago_year(now), highest)

                def message(language: str) -> str:
                    return say(
                        language,
                        "police.rd_issued",
                        tracking_number=view.tracking_number,
                        rd_number=rd,
                    )

                status, note = "completed", f"RD number {rd}"
            else:
                rd = None

                def message(language: str) -> str:
                    return say(
                        language,
                        "police.declined",
                        tracking_number=view.tracking_number,
                        reason=say(language, f"police.decline.{reason.value}"),
                    )

                status, note = "closed_not_fixed", f"declined: {reason.value}"
            changed = await self.requests.transition(
                tracking_number,
                status,
                actor=actor.label,
                channel="staff",
                note=note,
                public=False,
                expected_status=view.status,
                message=message,
            )
            row = await self._row(changed)
            if row["decision"] != Decision.PENDING.value:
                raise Conflict.for_field(
                    "decision", f"the report was already {row['decision']}: it cannot change"
                )
            await repo.decide_report(
                row["id"],
                Decision.ISSUED.value if reason is None else Decision.DECLINED.value,
                rd,
                reason.value if reason else None,
                actor.label,
                now,
            )
        return await self.report(tracking_number)

    async def _row(self, view: RequestView) -> dict[str, Any]:
        row = await repo.report_of(view.id)
        if row is None:
            raise NotFound.for_field(
                "tracking_number", f"{view.tracking_number} is not a police report"
            )
        return row


def _report_view(view: RequestView, row: dict[str, Any], answers: dict[str, Any]) -> ReportView:
    return ReportView(
        request=view,
        kind=row["kind"],
        decision=row["decision"],
        rd_number=row["rd_number"],
        decline_reason=row["decline_reason"],
        reviewed_by=row["reviewed_by"],
        reviewed_at=as_utc(row["reviewed_at"]),
        answers=answers,
    )
