"""The intake screen: an operator takes a caller's report (the caller's language and interpreter,
the type, its checklist and questions, the address, possible duplicates) and reads the tracking
number out in the caller's language. Submitting goes through RequestService as the staff API's
phone intake does (backend/channels/staff/requests_api.py)."""

from __future__ import annotations

from litestar import get
from litestar.response import Template

from backend.channels.deps import Injected
from backend.channels.staff.guards import staff_route
from backend.channels.staff.requests_api import INTAKE
from backend.identity.staff import StaffPrincipal

from .session import page


@get("/intake", opt={**staff_route(*INTAKE), "nav": "Intake"}, name="console-intake")
async def intake_form(staff: Injected[StaffPrincipal]) -> Template:
    return page("intake.html", staff)


ROUTES = [intake_form]
