"""The intake screen: an operator takes a caller's report — the caller's language and interpreter,
the type (searched in English and the caller's language), its checklist and questions, the
address with the candidates the offline geocoder finds, open requests of the type within 150 m —
and reads the tracking number out in the caller's language. Submitting goes through
RequestService.submit exactly as the staff API's phone intake does
(backend/channels/staff/requests_api.py): channel `phone`, the caller's language and interpreter
flag, the operator as the actor, and the staff API's rate limit (the "intake" bucket, one counter
for both). After the submit the browser is sent on to the filed page (a reload never files twice);
each form carries a one-time key (hidden `form_key`) that goes to the submit as its
Idempotency-Key, so a double click files once and shows the same tracking number. "Find the
address" posts to /staff/intake/find, which is not counted as an intake."""

from __future__ import annotations

import re
import uuid
from typing import Any

from litestar import Response, get, post
from litestar.response import Redirect, Template

from backend.catalog.snapshot import Catalog, ServiceTypeInfo
from backend.catalog.translate import localized, service_name
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.rate_limits import RATE_LIMITED
from backend.channels.staff.guards import staff_route
from backend.channels.staff.requests_api import INTAKE
from backend.errors import Conflict, InvalidInput
from backend.i18n.accept import accepted_language
from backend.i18n.catalogs import SOURCE_LANGUAGE
from backend.i18n.messages import say, status_name
from backend.identity.contact import ContactInvalid, normalize_phone
from backend.identity.staff import StaffPrincipal
from backend.limits import MAX_ADDRESS, MAX_DESCRIPTION, MAX_EMAIL, MAX_NAME, MAX_PHONE_INPUT
from backend.service_requests import workflow
from backend.service_requests.audit import Actor
from backend.service_requests.location import MIN_CONFIDENCE, Locator
from backend.service_requests.models import ListFilters, RequestView, SubmitCommand, Subscriber
from backend.service_requests.place_search import search_places
from backend.service_requests.service import RequestService

from .intake_form import (
    LANGUAGE_NAMES,
    MAX_QUERY,
    OFFERED,
    Call,
    Picked,
    answers_from,
    check_text,
    field_errors,
    read_call,
    read_picked,
    search_types,
    written_language,
)
from .session import form_lists, page

ROLES = staff_route(*INTAKE)  # who may take a phone report: as POST /api/staff/v1/requests
DUPLICATE_RADIUS_M = 150.0
INTAKE_PATH = "/staff/intake"
FORM_KEY = re.compile(r"[0-9a-f]{32}")
ALREADY_FILED = (
    "This form was already filed, with other details. Submit again to file these details as a "
    "new report."
)


def form_key(values: dict[str, str]) -> str:
    """The form's one-time key: the one it carries, or a new one for a new form."""
    key = values.get("form_key", "")
    return key if FORM_KEY.fullmatch(key) else uuid.uuid4().hex


def idempotency_key(staff: StaffPrincipal, values: dict[str, str]) -> str | None:
    """The submit's Idempotency-Key: the form's key, scoped to the operator."""
    key = values.get("form_key", "")
    return f"console-intake:{staff.id}:{key}" if FORM_KEY.fullmatch(key) else None


def console_language(request: AnyRequest) -> str:
    """The operator's language (the checklist's): their browser's, as the staff API reads it."""
    return accepted_language(request.headers.get("accept-language")) or SOURCE_LANGUAGE


def _languages() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES[code]) for code in OFFERED]


async def nearby_open(
    requests: RequestService, service: ServiceTypeInfo, lat: float, long: float
) -> list[RequestView]:
    """Open requests of the type within 150 m of a point: possible duplicates."""
    found = await requests.search(
        ListFilters(
            near=(lat, long),
            radius_m=DUPLICATE_RADIUS_M,
            service_type_id=service.id,
            statuses=frozenset(s.value for s in workflow.OPEN_STATUSES),
            limit=5,
        )
    )
    return found.items


async def candidates_of(
    locator: Locator, requests: RequestService, service: ServiceTypeInfo, address: str
) -> tuple[list[dict[str, Any]], str]:
    """The places an address may be, each with its possible duplicates; and why none or many."""
    found = search_places(locator, address)
    out = []
    for place in found.places:
        picked = Picked(place.lat, place.long, place.label)
        duplicates = await nearby_open(requests, service, place.lat, place.long)
        out.append(
            {
                "picked": picked,
                "kind": place.kind,
                "confidence": place.confidence,
                "near": place.address,
                "duplicates": duplicates,
            }
        )
    return out, found.reason


def _service(catalog: Catalog, code: str | None) -> ServiceTypeInfo | None:
    service = catalog.by_code(code) if code else None
    return service if service and service.active and not service.private else None


def _form_page(
    request: AnyRequest,
    staff: StaffPrincipal,
    service: ServiceTypeInfo,
    call: Call,
    status: int = 200,
    **context: Any,
) -> Template:
    mine = console_language(request)
    theirs = call.written
    values = context.pop("values", {})
    return page(
        "intake_form.html",
        staff,
        status,
        call=call,
        languages=_languages(),
        service=localized(service, mine),
        caller_service=localized(service, theirs) if theirs != mine else None,
        caller_lang=theirs,
        values=values,
        form_key=form_key(values),
        lists=context.pop("lists", {}),
        errors={**call.errors, **context.pop("errors", {})},
        **context,
    )


@get("/intake", opt={**ROLES, "nav": "Intake"}, name="console-intake")
async def intake_start(
    request: AnyRequest, staff: Injected[StaffPrincipal], catalog: Injected[Catalog]
) -> Template:
    values = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    call = read_call(values)
    service = _service(catalog, values.get("type"))
    if service is not None:
        return _form_page(request, staff, service, call)
    query = values.get("q", "")[:MAX_QUERY]
    languages = tuple(dict.fromkeys([console_language(request), call.written]))
    mine = console_language(request)
    found = [
        (s.code, service_name(mine, s.code, s.name), service_name(call.written, s.code, s.name))
        for s in search_types(catalog, query, languages)
    ]
    unknown = "type" in values and service is None
    return page(
        "intake.html",
        staff,
        call=call,
        languages=_languages(),
        query=query,
        found=found,
        errors={**call.errors, **({"type": "Choose a type from the list."} if unknown else {})},
    )


@get("/intake/places", opt=ROLES, name="console-intake-places")
async def intake_places(
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    locator: Injected[Locator],
    q: str = "",
    type: str = "",  # noqa: A002 (the form's field)
) -> dict[str, Any]:
    """The candidates of a typed address, for the page's script (the form works without it)."""
    service = _service(catalog, type)
    if service is None or not q.strip() or len(q) > MAX_ADDRESS:
        return {"places": [], "reason": ""}
    found, reason = await candidates_of(locator, requests, service, q)
    return {
        "reason": reason,
        "places": [
            {
                "value": c["picked"].value,
                "label": c["picked"].label,
                "kind": c["kind"],
                "near": c["near"],
                "duplicates": [
                    {"trackingNumber": d.tracking_number, "status": d.status, "address": d.address}
                    for d in c["duplicates"]
                ],
            }
            for c in found
        ],
    }


@post(
    "/intake",
    opt={**ROLES, "rate_limit": "intake"},  # as POST /api/staff/v1/requests, one counter
    middleware=[RATE_LIMITED],
    name="console-intake-post",
    status_code=200,
)
async def intake_post(
    request: AnyRequest,
    staff: Injected[StaffPrincipal],
    catalog: Injected[Catalog],
    requests: Injected[RequestService],
    locator: Injected[Locator],
) -> Response[Any]:
    return await _take(request, staff, catalog, requests, locator, find=False)


@post("/intake/find", opt=ROLES, name="console-intake-find", status_code=200)
async def intake_find(
    request: AnyRequest,
    staff: Injected[StaffPrincipal],
    catalog: Injected[Catalog],
    requests: Injected[RequestService],
    locator: Injected[Locator],
) -> Response[Any]:
    """ "Find the address" (the form's button without the script): never files, never counted."""
    return await _take(request, staff, catalog, requests, locator, find=True)


async def _take(
    request: AnyRequest,
    staff: StaffPrincipal,
    catalog: Catalog,
    requests: RequestService,
    locator: Locator,
    *,
    find: bool,
) -> Response[Any]:
    lists = await form_lists(request)
    values = {key: items[-1] for key, items in lists.items()}
    if find:
        values["action"] = "find"
    call = read_call(values)
    service = _service(catalog, values.get("type"))
    if service is None:
        return Redirect(INTAKE_PATH, status_code=303)
    errors: dict[str, str] = {}
    address = check_text(values, "address", MAX_ADDRESS, errors)
    name = check_text(values, "name", MAX_NAME, errors)
    phone = check_text(values, "phone", MAX_PHONE_INPUT, errors)
    email = check_text(values, "email", MAX_EMAIL, errors)
    description = values.get("description", "").strip()
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = f"At most {MAX_DESCRIPTION} characters."
    picked = read_picked(values.get("place"))
    if (
        picked is not None
        and address
        and picked.label != address
        and values.get("action") == "find"
    ):
        picked = None  # a new address typed: find it again
    candidates: list[dict[str, Any]] = []
    reason = ""
    if address and (picked is None or values.get("action") == "find"):
        candidates, reason = await candidates_of(locator, requests, service, address)
        if (
            picked is None
            and len(candidates) == 1
            and candidates[0]["confidence"] >= MIN_CONFIDENCE
        ):
            picked = candidates[0]["picked"]
    context: dict[str, Any] = {
        "values": values,
        "lists": lists,
        "candidates": candidates,
        "reason": reason,
        "picked": picked,
    }
    if values.get("action") != "submit":
        return _form_page(request, staff, service, call, errors=errors, **context)
    if picked is None:
        errors["address"] = (
            (
                "Pick one of the places found."
                if candidates
                else f"Cannot find this place{': ' + reason if reason else ''}."
            )
            if address
            else "Give the address, a cross street or a landmark."
        )
    ticked = set(lists.get("checklist", []))
    left = [step for step in service.checklist if step.id not in ticked]
    if left and values.get("checklist_skip") != "on":
        errors["checklist"] = (
            f"{len(left)} step{'s' if len(left) != 1 else ''} of the checklist not ticked: "
            "go through them, or tick “Submit with steps left”."
        )
    subscriber = None
    if values.get("notify") == "on":
        try:
            subscriber = Subscriber.phone(normalize_phone(phone), call.written) if phone else None
        except ContactInvalid as exc:
            errors["phone"] = f"Phone: {exc}"
        if not phone:
            errors["phone"] = "Texting the caller needs their phone."
    if errors or call.errors or picked is None:
        return _form_page(request, staff, service, call, 422, errors=errors, **context)
    try:
        result = await requests.submit(
            SubmitCommand(
                service_code=service.code,
                channel="phone",
                lat=picked.lat,
                long=picked.long,
                address=picked.label,
                description=description,
                answers=answers_from(service.questions, lists),
                reporter_name=name or None,
                reporter_email=email or None,
                reporter_phone=phone or None,
                subscriber=subscriber,
                language=call.code,
                interpreter_used=call.interpreter,
                interpreter_language=call.interpreter_language.lower() or None,
                actor=Actor.staff(staff.id, staff.ip),
                idempotency_key=idempotency_key(staff, values),
            )
        )
    except Conflict as exc:
        if not any(e.field == "idempotency_key" for e in exc.errors):
            raise
        context["values"] = {**values, "form_key": uuid.uuid4().hex}  # a new report's form
        return _form_page(
            request, staff, service, call, 409, errors={"form": ALREADY_FILED}, **context
        )
    except InvalidInput as exc:
        errors = field_errors(exc.errors) or {"form": exc.detail}
        return _form_page(request, staff, service, call, 422, errors=errors, **context)
    tracking_number = result.request.tracking_number
    return Redirect(f"{INTAKE_PATH}/filed/{tracking_number}", status_code=303)


@get("/intake/filed/{tracking_number:str}", opt=ROLES, name="console-intake-filed")
async def intake_filed(
    request: AnyRequest,
    staff: Injected[StaffPrincipal],
    requests: Injected[RequestService],
    tracking_number: str,
) -> Template:
    found = await requests.staff_view(tracking_number[:40])
    view, private = found.request, found.private
    written = written_language(view.language)
    texts = any(s.kind == "phone" for s in await requests.subscribers(view.tracking_number))
    service = service_name(written, view.service_code, view.service_name)
    sentence = say(written, "console.filed", tracking_number=view.tracking_number, service=service)
    if texts:
        sentence += " " + say(written, "console.filed_texts")
    english = None
    if written != SOURCE_LANGUAGE:
        english = say(
            "en", "console.filed", tracking_number=view.tracking_number, service=view.service_name
        )
        if texts:
            english += " " + say("en", "console.filed_texts")
    duplicates = await requests.possible_duplicates(view)
    return page(
        "intake_filed.html",
        staff,
        view=view,
        caller_language=view.language or "en",
        language_name=LANGUAGE_NAMES.get(view.language or "en", view.language or "en"),
        interpreter=bool(private.get("interpreter_used")),
        interpreter_language=private.get("interpreter_language"),
        written=written,
        sentence=sentence,
        english=english,
        texts=texts,
        duplicates=duplicates,
        status_name=status_name,
    )


ROUTES = [intake_start, intake_places, intake_post, intake_find, intake_filed]
