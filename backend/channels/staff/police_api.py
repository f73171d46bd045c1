"""Staff console: non-emergency police reports — phone intake (screened like the app's), the
Alternate Response Section's queue of reports to review, a report with its private details, and
the review itself: an RD number issued, or the report declined with a reason (the resident is told
either way, on the channel they used, in their language)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from litestar import get, post
from litestar.params import Parameter

from backend.channels.allow import options_for
from backend.channels.app_api.police_api import ReportIn, report_command
from backend.channels.app_api.schemas import Api
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import json_body
from backend.channels.openapi_problems import problem_responses
from backend.identity.staff import StaffPrincipal, StaffRole
from backend.limits import line
from backend.police.reports import PoliceReports, ReportView, caller_subscriber

from .guards import departments_of, staff_route
from .requests_api import TN, actor, body

INTAKE = (StaffRole.OPERATOR, StaffRole.SUPERVISOR)
REVIEWERS = (StaffRole.DEPARTMENT, StaffRole.SUPERVISOR)
Language = Literal["en", "es", "pl", "zh"]


class PoliceIntakeIn(ReportIn, kw_only=True):
    language: Language = "en"  # the call's; the caller is texted in it
    interpreter_used: bool = False
    notify_caller: bool = False  # text the caller the RD number (or why not)


class DeclineIn(Api, kw_only=True):
    reason: Annotated[
        str, line(40, "in_person, outside_city, duplicate, needs_officer, incomplete")
    ]


class PoliceReportOut(Api, kw_only=True):
    tracking_number: str
    kind: str
    decision: str  # pending | issued | declined
    rd_number: str | None
    decline_reason: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    status: str
    description: str
    address: str | None
    police_district: int | None
    police_beat: str | None
    created_at: datetime
    channel: str
    answers: dict[str, Any]


class PoliceReportListOut(Api, kw_only=True):
    items: list[PoliceReportOut]


def report_out(found: ReportView) -> PoliceReportOut:
    view = found.request
    return PoliceReportOut(
        tracking_number=view.tracking_number,
        kind=found.kind,
        decision=found.decision,
        rd_number=found.rd_number,
        decline_reason=found.decline_reason,
        reviewed_by=found.reviewed_by,
        reviewed_at=found.reviewed_at,
        status=view.status,
        description=view.description,
        address=view.address,
        police_district=view.police_district,
        police_beat=view.police_beat,
        created_at=view.created_at,
        channel=view.channel,
        answers=found.answers,
    )


def _may_review(police: PoliceReports, staff: StaffPrincipal) -> None:
    """A department user reviews only as a member of the Alternate Response Section."""
    police.check_reviewer(departments_of(staff))


@post(
    "/police/reports",
    status_code=201,
    operation_class=json_body(PoliceIntakeIn),
    summary="Take a police report by phone (screened: 911 and district cases are refused)",
    opt=staff_route(*INTAKE),
    responses=problem_responses(400, 401, 403, 415, 422),
)
async def police_intake(
    request: AnyRequest, police: Injected[PoliceReports], staff: Injected[StaffPrincipal]
) -> PoliceReportOut:
    data: PoliceIntakeIn = await body(request, PoliceIntakeIn)
    subscriber = caller_subscriber(data.phone, data.language, data.notify_caller)
    view, _ = await police.file(
        report_command(
            data,
            "phone",
            subscriber=subscriber,
            intake_language=data.language,
            interpreter_used=data.interpreter_used,
            actor=actor(staff),
            language=data.language,
        )
    )
    return report_out(await police.report(view.tracking_number))


@get(
    "/police/reports",
    summary="The Alternate Response Section's queue: reports waiting for review, oldest first",
    opt=staff_route(*REVIEWERS),
    responses=problem_responses(400, 401, 403, 422),
)
async def police_queue(
    police: Injected[PoliceReports],
    staff: Injected[StaffPrincipal],
    limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    after_id: Annotated[int, Parameter(ge=0, le=2**31 - 1)] = 0,
) -> PoliceReportListOut:
    _may_review(police, staff)
    items = await police.pending(limit, after_id)
    return PoliceReportListOut(items=[report_out(r) for r in items])


@get(
    "/police/reports/{tracking_number:str}",
    summary="A police report with its answers and review",
    opt=staff_route(*REVIEWERS, *INTAKE),
    responses=problem_responses(401, 403, 404, 422),
)
async def police_report(
    police: Injected[PoliceReports], staff: Injected[StaffPrincipal], tracking_number: TN
) -> PoliceReportOut:
    return report_out(await police.report(tracking_number))


@post(
    "/police/reports/{tracking_number:str}/rd-number",
    status_code=200,
    summary="Issue the report's Records Division (RD) number; the resident is told it",
    opt=staff_route(*REVIEWERS),
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def issue_rd_number(
    police: Injected[PoliceReports],
    staff: Injected[StaffPrincipal],
    tracking_number: TN,
) -> PoliceReportOut:
    _may_review(police, staff)
    return report_out(await police.issue(tracking_number, actor=actor(staff)))


@post(
    "/police/reports/{tracking_number:str}/decline",
    status_code=200,
    operation_class=json_body(DeclineIn),
    summary="Decline the report with a reason; the resident is told why",
    opt=staff_route(*REVIEWERS),
    responses=problem_responses(400, 401, 403, 404, 409, 415, 422),
)
async def decline_report(
    request: AnyRequest,
    police: Injected[PoliceReports],
    staff: Injected[StaffPrincipal],
    tracking_number: TN,
) -> PoliceReportOut:
    _may_review(police, staff)
    data: DeclineIn = await body(request, DeclineIn)
    found = await police.decline(tracking_number, data.reason, actor=actor(staff))
    return report_out(found)


# One path, two handlers: its OPTIONS lists both (backend/channels/allow.py).
ROUTES = [
    options_for("/police/reports", "GET", "POST"),
    police_intake,
    police_queue,
    police_report,
    issue_rd_number,
    decline_report,
]
