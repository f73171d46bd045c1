"""The intake screen: the caller's language and interpreter, the type search, the type's checklist
and questions, the address's candidates with possible duplicates, the submit through
RequestService (stored as the staff API's phone intake stores it), and the sentence read out in
the caller's language."""

from __future__ import annotations

import re

import httpx
import msgspec

from backend.app import attach_services, create_app
from backend.settings import parse_rate_limits

from .conftest import PASSWORD, csrf_of

CHECKLIST = [
    "check-type",
    "address",
    "location",
    "number-of-potholes",
    "deep-hole",
    "advise-danger",
]
CALL = {"language": "es", "interpreter": "on", "interpreter_language": ""}


def pothole(**extra: object) -> dict:
    form: dict[str, object] = {
        **CALL,
        "type": "PHF",
        "answer.LOCATION": "curb_lane",
        "answer.NUMBER_OF_POTHOLES": "2",
        "description": "Un bache grande",
        "address": "1845 W Cortland St",
        "name": "Ana",
        "phone": "312-555-0142",
        "checklist": CHECKLIST,
        "action": "submit",
    }
    form.update(extra)
    return form


async def post_intake(browser, form: dict):
    opened = await browser.get("/staff/intake", params={**CALL, "type": "PHF"})
    return await browser.post("/staff/intake", data={**form, "_csrf_token": csrf_of(opened.text)})


async def test_the_type_search_finds_a_pothole_in_the_callers_words(sign_in):
    browser = await sign_in("operator")
    page = await browser.get("/staff/intake", params={"language": "es", "q": "bache"})
    assert page.status_code == 200
    assert 'name="type" value="PHF"' in page.text
    assert '<option value="es" selected>' in page.text


async def test_the_types_form_shows_its_checklist_and_questions(sign_in):
    browser = await sign_in("operator")
    page = await browser.get("/staff/intake", params={**CALL, "type": "PHF"})
    assert page.status_code == 200
    for step in CHECKLIST:
        assert f'value="{step}"' in page.text
    assert 'name="answer.LOCATION"' in page.text and 'value="curb_lane"' in page.text
    assert 'lang="es"' in page.text  # the questions in the caller's language beside
    assert 'id="interpreter" name="interpreter" value="on" checked' in page.text


async def test_finding_an_address_offers_its_candidates(sign_in):
    browser = await sign_in("operator")
    answer = await post_intake(browser, pothole(action="find", address="1845 W Cortland"))
    assert answer.status_code == 200
    assert 'name="place"' in answer.text and "1845 W Cortland St" in answer.text


async def test_a_phone_report_is_filed_and_read_out_in_spanish(sign_in, services):
    browser = await sign_in("operator")
    answer = await post_intake(browser, pothole())
    assert answer.status_code == 303, answer.text
    filed = await browser.get(answer.headers["location"])
    assert filed.status_code == 200
    tracking_number = re.search(r'id="tracking-number">([^<]+)<', filed.text).group(1)
    assert re.fullmatch(r"SR\d\d-\d{8}", tracking_number)
    assert 'lang="es"' in filed.text
    assert f"Su número de seguimiento es {tracking_number}" in filed.text
    found = await services.requests.staff_view(tracking_number)
    assert found.request.language == "es"
    assert found.request.channel == "phone"
    assert found.private["interpreter_used"] is True
    assert found.private["answers"]["LOCATION"] == "curb_lane"
    assert found.private["reporter_name"] == "Ana"


async def test_a_second_report_nearby_shows_the_first_as_a_possible_duplicate(sign_in):
    browser = await sign_in("operator")
    first = await post_intake(browser, pothole())
    tracking_number = first.headers["location"].rsplit("/", 1)[1]
    found = await post_intake(browser, pothole(action="find"))
    assert "Possible duplicates" in found.text and tracking_number in found.text


async def test_unticked_checklist_steps_hold_the_submit_until_confirmed(sign_in):
    browser = await sign_in("operator")
    held = await post_intake(browser, pothole(checklist=CHECKLIST[:2]))
    assert held.status_code == 422
    assert "4 steps of the checklist not ticked" in held.text
    assert 'value="address" checked' in held.text  # what was ticked stays ticked
    sent = await post_intake(browser, pothole(checklist=CHECKLIST[:2], checklist_skip="on"))
    assert sent.status_code == 303


async def test_a_missing_required_answer_is_shown_beside_its_question(sign_in):
    browser = await sign_in("operator")
    answer = await post_intake(browser, pothole(**{"answer.LOCATION": ""}))
    assert answer.status_code == 422
    assert 'id="answer-LOCATION-error"' in answer.text
    assert 'value="1845 W Cortland St"' in answer.text  # the rest of the form is kept


async def test_a_place_outside_the_city_is_refused_beside_the_address(sign_in):
    browser = await sign_in("operator")
    outside = pothole(place="41.500000,-88.500000|Somewhere far", address="Somewhere far")
    answer = await post_intake(browser, outside)
    assert answer.status_code == 422
    assert 'id="address-error"' in answer.text and "outside" in answer.text


async def test_texting_the_caller_needs_a_valid_phone(sign_in):
    browser = await sign_in("operator")
    answer = await post_intake(browser, pothole(notify="on", phone="12"))
    assert answer.status_code == 422
    assert 'id="phone-error"' in answer.text


async def test_a_caller_who_asked_for_texts_follows_the_request_in_their_language(
    sign_in, services
):
    browser = await sign_in("operator")
    answer = await post_intake(browser, pothole(notify="on"))
    tracking_number = answer.headers["location"].rsplit("/", 1)[1]
    subscribers = await services.requests.subscribers(tracking_number)
    assert [(s.kind, s.language) for s in subscribers] == [("phone", "es")]
    filed = await browser.get(answer.headers["location"])
    assert "Le enviaremos un mensaje de texto" in filed.text


async def test_a_language_city311_does_not_write_is_stored_and_read_out_in_english(
    sign_in, services
):
    browser = await sign_in("operator")
    form = pothole(language="other", other_language="ht", interpreter_language="ht")
    answer = await post_intake(browser, form)
    assert answer.status_code == 303, answer.text
    filed = await browser.get(answer.headers["location"])
    assert "Your tracking number is" in filed.text and "the interpreter reads" in filed.text
    tracking_number = answer.headers["location"].rsplit("/", 1)[1]
    found = await services.requests.staff_view(tracking_number)
    assert found.request.language == "ht"
    assert found.private["interpreter_language"] == "ht"


async def test_the_places_endpoint_answers_the_pages_script(sign_in):
    browser = await sign_in("operator")
    answer = await browser.get(
        "/staff/intake/places", params={"type": "PHF", "q": "1845 W Cortland"}
    )
    assert answer.status_code == 200
    places = answer.json()["places"]
    assert places and places[0]["label"] == "1845 W Cortland St"
    assert places[0]["value"].endswith("|1845 W Cortland St")


async def test_a_department_user_cannot_take_a_report(sign_in):
    browser = await sign_in("department")
    opened = await browser.get("/staff/")
    answer = await browser.post(
        "/staff/intake", data={**pothole(), "_csrf_token": csrf_of(opened.text)}
    )
    assert answer.status_code == 403


def _key_of(html: str) -> str:
    found = re.search(r'name="form_key" value="([0-9a-f]{32})"', html)
    assert found, "the form has no one-time key"
    return found.group(1)


async def test_a_double_click_files_once_and_shows_the_same_tracking_number(sign_in, services):
    from backend.service_requests.tables import ServiceRequest

    browser = await sign_in("operator")
    opened = await browser.get("/staff/intake", params={**CALL, "type": "PHF"})
    form = {**pothole(), "form_key": _key_of(opened.text), "_csrf_token": csrf_of(opened.text)}
    before = await ServiceRequest.count()
    first = await browser.post("/staff/intake", data=form)
    second = await browser.post("/staff/intake", data=form)
    assert first.status_code == second.status_code == 303, second.text
    assert first.headers["location"] == second.headers["location"]
    assert await ServiceRequest.count() == before + 1
    # the same form changed and sent again (back, edit, submit) is refused with a new key,
    # and that key files the new details as a new report
    changed = await browser.post("/staff/intake", data={**form, "description": "Otro bache"})
    assert changed.status_code == 409 and "already filed" in changed.text
    fresh = _key_of(changed.text)
    assert fresh != form["form_key"]
    again = await browser.post(
        "/staff/intake", data={**form, "description": "Otro bache", "form_key": fresh}
    )
    assert again.status_code == 303 and again.headers["location"] != first.headers["location"]
    assert await ServiceRequest.count() == before + 2


async def test_a_found_address_keeps_the_forms_key(sign_in):
    browser = await sign_in("operator")
    opened = await browser.get("/staff/intake", params={**CALL, "type": "PHF"})
    key = _key_of(opened.text)
    form = {**pothole(), "form_key": key, "_csrf_token": csrf_of(opened.text)}
    found = await browser.post("/staff/intake/find", data={**form, "action": "submit"})
    assert found.status_code == 200  # "find" never files, whatever the action says
    assert _key_of(found.text) == key and 'name="place"' in found.text


async def test_the_intake_shares_the_staff_apis_rate_limit(services, settings, make_staff):
    """The "intake" bucket, one counter per client for the console and POST /api/staff/v1/requests;
    over it, a console page (429, Retry-After) and nothing filed; finding an address is not an
    intake."""
    from backend.service_requests.tables import ServiceRequest

    limited = msgspec.structs.replace(settings, rate_limits=parse_rate_limits("intake=2/hour"))
    app = create_app(limited, scheduler=False)
    attach_services(app, services)
    store = app.stores.get("rate_limit")
    await store.delete_all()
    user = await make_staff("operator", "olga")
    principal = await services.staff.principal(user)
    api_headers = {"Authorization": f"Bearer {services.staff_tokens.access_token(principal)}"}
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        opened = await c.get("/staff/login")
        signed = await c.post(
            "/staff/login",
            data={"username": "olga", "password": PASSWORD, "_csrf_token": csrf_of(opened.text)},
        )
        assert signed.status_code == 303
        body = {"serviceCode": "PHF", "address": "1845 W Cortland St",
                "answers": {"LOCATION": "curb_lane"}}  # fmt: skip
        taken = await c.post("/api/staff/v1/requests", json=body, headers=api_headers)
        assert taken.status_code == 201, taken.text
        assert (await post_intake(c, pothole())).status_code == 303
        before = await ServiceRequest.count()
        refused = await post_intake(c, pothole())
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("text/html")
        assert int(refused.headers["retry-after"]) > 0
        assert "Too many requests" in refused.text and "try again in" in refused.text
        assert await ServiceRequest.count() == before
        opened = await c.get("/staff/intake", params={**CALL, "type": "PHF"})
        found = await c.post(
            "/staff/intake/find", data={**pothole(), "_csrf_token": csrf_of(opened.text)}
        )
        assert found.status_code == 200 and 'name="place"' in found.text
        api_refused = await c.post("/api/staff/v1/requests", json=body, headers=api_headers)
        assert api_refused.status_code == 429
    await store.delete_all()
