"""A police report taken by phone (operators and supervisors, as POST /api/staff/v1/police/reports):
the screening first (911 and district-station cases are refused with what to tell the caller, in
their language), then the report, filed through PoliceReports.file for the Alternate Response
Section, and the sentence to read out."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.response import Redirect, Template

from backend.catalog.snapshot import Catalog
from backend.catalog.translate import localized
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.staff.guards import staff_route
from backend.channels.staff.police_api import INTAKE
from backend.errors import InvalidInput
from backend.i18n.catalogs import LANGUAGES
from backend.i18n.messages import say
from backend.identity.staff import StaffPrincipal
from backend.limits import MAX_ADDRESS, MAX_EMAIL, MAX_NAME, MAX_PHONE_INPUT
from backend.police.reports import (
    SERVICE_CODE,
    NotEligible,
    PoliceReports,
    ReportCommand,
    ScreeningAnswers,
    caller_subscriber,
)
from backend.service_requests.audit import Actor

from .intake_form import LANGUAGE_NAMES, check_text, field_errors
from .session import form_of, page

ROLES = staff_route(*INTAKE)
NEW = "/staff/police/new"
SCREENING = ("offender_present", "needs_medical", "firearm", "offender_known", "domestic")
QUESTIONS = {
    "offender_present": say("en", "police.q.offender"),
    "needs_medical": say("en", "police.q.medical"),
    "firearm": say("en", "police.q.firearm"),
    "offender_known": "Does the caller know who did it?",
    "domestic": "Was it done by family or a partner?",
}
MAX_TEXT = 1000


def _kinds(catalog: Catalog) -> list[tuple[str, str]]:
    service = catalog.by_code(SERVICE_CODE)
    if service is None or not service.questions:
        return []
    return [(c.key, c.name) for c in localized(service, "en").questions[0].choices]


def _form(staff: StaffPrincipal, catalog: Catalog, status: int = 200, **context: Any) -> Template:
    return page(
        "police_new.html",
        staff,
        status,
        languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        questions=QUESTIONS,
        kinds=_kinds(catalog),
        values=context.pop("values", {}),
        errors=context.pop("errors", {}),
        **context,
    )


@get("/police/new", opt={**ROLES, "nav": "Police report"}, name="console-police-new")
async def police_form(staff: Injected[StaffPrincipal], catalog: Injected[Catalog]) -> Template:
    return _form(staff, catalog, values={"language": "en"})


@post("/police/new", opt=ROLES, status_code=200)
async def police_file(
    request: AnyRequest,
    staff: Injected[StaffPrincipal],
    catalog: Injected[Catalog],
    police: Injected[PoliceReports],
) -> Response[Any]:
    values = await form_of(request)
    errors: dict[str, str] = {}
    language = values.get("language", "en")
    if language not in LANGUAGES:
        errors["language"] = "Choose the caller's language."
        language = "en"
    answers = {}
    for name in SCREENING:
        value = values.get(name)
        if value not in ("yes", "no"):
            errors[name] = "Answer yes or no."
        answers[name] = value == "yes"
    texts = {
        name: check_text(values, name, MAX_TEXT, errors)
        for name in ("description", "occurred", "property", "serial_numbers")
    }
    address = check_text(values, "address", MAX_ADDRESS, errors)
    name = check_text(values, "name", MAX_NAME, errors)
    phone = check_text(values, "phone", MAX_PHONE_INPUT, errors)
    email = check_text(values, "email", MAX_EMAIL, errors)
    value_text = values.get("estimated_value", "").strip()
    estimated = None
    if value_text:
        try:
            estimated = float(value_text)
            if not 0 <= estimated <= 1e9:
                raise ValueError
        except ValueError:
            errors["estimated_value"] = "A number of dollars, such as 900."
    for required in ("description", "occurred"):
        if not texts[required]:
            errors.setdefault(required, "Required.")
    if not address:
        errors["address"] = "Give the address or cross streets where it happened."
    context = {"values": values}
    if errors:
        return _form(staff, catalog, 422, errors=errors, **context)
    try:
        subscriber = caller_subscriber(phone, language, values.get("notify") == "on")
        view, _ = await police.file(
            ReportCommand(
                screening=ScreeningAnswers(kind=values.get("kind") or None, **answers),
                channel="phone",
                description=texts["description"],
                occurred=texts["occurred"],
                address=address,
                property=texts["property"] or None,
                estimated_value=estimated,
                serial_numbers=texts["serial_numbers"] or None,
                reporter_name=name or None,
                reporter_email=email or None,
                reporter_phone=phone or None,
                subscriber=subscriber,
                intake_language=language,
                interpreter_used=values.get("interpreter") == "on",
                actor=Actor.staff(staff.id, staff.ip),
                language=language,
            )
        )
    except NotEligible as exc:
        return _form(staff, catalog, 422, refused=exc.detail, lang=language, **context)
    except InvalidInput as exc:
        return _form(staff, catalog, 422, errors=field_errors(exc.errors), **context)
    return Redirect(f"/staff/police/{view.tracking_number}?filed={language}", status_code=303)


ROUTES = [police_form, police_file]
