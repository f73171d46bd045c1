"""Police reports for the Alternate Response Section (ARS): the queue of non-emergency reports
waiting for review, a report with its answers, and the review — an RD number issued, or the report
declined with a reason; the resident is told either way (PoliceReports, as the staff police API:
backend/channels/staff/police_api.py). Department users review only as ARS members."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.response import Redirect, Template

from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.staff.guards import departments_of, staff_route
from backend.channels.staff.police_api import INTAKE, REVIEWERS
from backend.errors import DomainError
from backend.i18n.catalogs import LANGUAGES
from backend.i18n.messages import say
from backend.identity.staff import StaffPrincipal
from backend.police.reports import Decision, DeclineReason, PoliceReports
from backend.service_requests.audit import Actor
from backend.services import Services

from .session import form_of, page

QUEUE = "/staff/police"
REASONS = {
    DeclineReason.IN_PERSON: "Report it in person at the district station",
    DeclineReason.OUTSIDE_CITY: "It happened outside Chicago",
    DeclineReason.DUPLICATE: "It repeats a report already made",
    DeclineReason.NEEDS_OFFICER: "An officer must take it",
    DeclineReason.INCOMPLETE: "It lacks details a report needs",
}


def reviews(staff: StaffPrincipal, police: PoliceReports) -> bool:
    """Whether this member reviews reports: a reviewer role, and for department users, ARS."""
    if staff.role not in REVIEWERS:
        return False
    try:
        police.check_reviewer(departments_of(staff))
    except DomainError:
        return False
    return True


def _in_nav(staff: StaffPrincipal, services: Services) -> bool:
    return reviews(staff, services.police)


@get("/police", opt={**staff_route(*REVIEWERS), "nav": "Police reports", "nav_when": _in_nav})
async def police_queue(
    staff: Injected[StaffPrincipal], police: Injected[PoliceReports], after: int = 0
) -> Template:
    police.check_reviewer(departments_of(staff))
    items = await police.pending(50, max(0, min(after, 2**31 - 1)))
    return page("police.html", staff, items=items)


@get("/police/{tracking_number:str}", opt=staff_route(*REVIEWERS, *INTAKE))
async def police_report(
    staff: Injected[StaffPrincipal],
    police: Injected[PoliceReports],
    tracking_number: str,
    filed: str | None = None,
) -> Template:
    found = await police.report(tracking_number[:40])
    may_review = reviews(staff, police) and found.decision == Decision.PENDING
    # just taken by phone: what the operator reads out, in the caller's language
    language = filed if filed in LANGUAGES else None
    readout = (
        say(language, "police.filed", tracking_number=found.request.tracking_number)
        if language
        else None
    )
    return page(
        "police_report.html",
        staff,
        report=found,
        may_review=may_review,
        reasons=REASONS,
        readout=readout,
        readout_lang=language,
    )


def _actor(staff: StaffPrincipal) -> Actor:
    return Actor.staff(staff.id, staff.ip)


@post("/police/{tracking_number:str}/rd-number", opt=staff_route(*REVIEWERS), status_code=303)
async def issue_rd_number(
    staff: Injected[StaffPrincipal], police: Injected[PoliceReports], tracking_number: str
) -> Response[Any]:
    police.check_reviewer(departments_of(staff))
    found = await police.issue(tracking_number[:40], actor=_actor(staff))
    return Redirect(f"{QUEUE}/{found.request.tracking_number}", status_code=303)


@post("/police/{tracking_number:str}/decline", opt=staff_route(*REVIEWERS), status_code=303)
async def decline_report(
    request: AnyRequest,
    staff: Injected[StaffPrincipal],
    police: Injected[PoliceReports],
    tracking_number: str,
) -> Response[Any]:
    police.check_reviewer(departments_of(staff))
    reason = (await form_of(request)).get("reason", "")
    if reason not in {r.value for r in DeclineReason}:
        found = await police.report(tracking_number[:40])
        return page(
            "police_report.html",
            staff,
            422,
            report=found,
            may_review=found.decision == Decision.PENDING,
            reasons=REASONS,
            errors={"reason": "Choose why the report is declined."},
        )
    found = await police.decline(tracking_number[:40], reason, actor=_actor(staff))
    return Redirect(f"{QUEUE}/{found.request.tracking_number}", status_code=303)


ROUTES = [police_queue, police_report, issue_rd_number, decline_report]
