"""Non-emergency police reports end to end, on both engines: the app's screening and filing, phone
intake, ARS review (RD number or declined, the resident told in their language through the
outbox), and the rule that a police report never appears in any public view: Open311 (list,
single, XML and JSON), the app's request routes and lists, following, the SMS STATUS."""

from __future__ import annotations

import re

import pytest

from backend.police.reports import ReportCommand, ScreeningAnswers
from backend.service_requests.models import Subscriber
from tests.factories import WICKER_PARK, pothole

CALM = {"offenderPresent": False, "needsMedical": False, "firearm": False}
ARS_DEPARTMENT = "cpd-alternate-response-section"
PHONE = "+13125550142"


def report_body(**changes) -> dict:
    body = {
        "screening": {**CALM, "kind": "theft_from_vehicle"},
        "description": "Car was broken into last night, my backpack and laptop were taken.",
        "occurred": "last night about 11 pm",
        "lat": WICKER_PARK[0],
        "long": WICKER_PARK[1],
        "property": "Black backpack, Dell laptop",
        "estimatedValue": 900,
        "serialNumbers": "DL-5521-XK",
        "name": "Ana Reyes",
        "phone": "(312) 555-0142",
        "email": "ana@example.org",
    }
    body.update(changes)
    return body


async def staff_token(services, role: str, departments: list[str]) -> dict[str, str]:
    user = await services.staff.create_user(
        f"{role}-ars", "correct horse battery", role, departments
    )
    principal = await services.staff.principal(user.id)
    return {"Authorization": f"Bearer {services.staff_tokens.access_token(principal)}"}


async def file_by_phone(services, language: str = "es") -> str:
    view, _ = await services.police.file(
        ReportCommand(
            screening=ScreeningAnswers(
                kind="vehicle_theft", offender_present=False, needs_medical=False, firearm=False
            ),
            channel="sms",
            description="me robaron el carro anoche",
            occurred="anoche",
            lat=WICKER_PARK[0],
            long=WICKER_PARK[1],
            reporter_phone=PHONE,
            subscriber=Subscriber.phone(PHONE, language),
        )
    )
    return view.tracking_number


async def test_the_app_files_a_screened_report(client, services):
    questions = (await client.get("/api/v1/police/questions?lang=es")).json()
    assert [q["code"] for q in questions["screening"]] == [
        "offender_present", "needs_medical", "firearm"
    ]  # fmt: skip
    assert len(questions["kinds"]) == 17
    screened = await client.post(
        "/api/v1/police/screening",
        json={
            **CALM,
            "kind": "vehicle_theft",
            "lat": WICKER_PARK[0],
            "long": WICKER_PARK[1],
        },  # fmt: skip
    )
    assert screened.status_code == 200, screened.text
    assert screened.json()["outcome"] == "eligible"
    assert screened.json()["district"]["deskPhone"]  # "connect me to my district"
    response = await client.post("/api/v1/police/reports", json=report_body())
    assert response.status_code == 201, response.text
    out = response.json()
    assert out["kind"] == "theft_from_vehicle" and out["status"] == "submitted"
    found = await services.police.report(out["trackingNumber"])
    assert found.decision == "pending" and found.request.service_code == "ARS"
    assert found.answers["SERIAL_NUMBERS"] == "DL-5521-XK"
    assert found.answers["ESTIMATED_VALUE"] == 900
    private = await services.requests.repo.private_details(found.request.id)
    assert private["reporter_name"] == "Ana Reyes"  # kept, for staff only


@pytest.mark.parametrize(
    ("screening", "outcome", "reason"),
    [
        ({**CALM, "offenderPresent": True}, "call_911", "offender_present"),
        ({**CALM, "needsMedical": True}, "call_911", "medical"),
        ({**CALM, "firearm": True, "kind": "simple_assault"}, "call_911", "firearm_used"),
        ({**CALM, "firearm": True, "kind": "lost_property"}, "district", "firearm_lost"),
        ({**CALM, "offenderKnown": True, "kind": "theft_under_500"}, "district", "offender_known"),
    ],
)
async def test_what_is_not_taken_is_never_filed(client, services, screening, outcome, reason):
    screened = await client.post(
        "/api/v1/police/screening",
        json={
            **screening,
            "language": "es",
            "lat": WICKER_PARK[0],
            "long": WICKER_PARK[1],
        },  # fmt: skip
    )
    assert (screened.json()["outcome"], screened.json()["reason"]) == (outcome, reason)
    message = screened.json()["message"]
    assert ("911" in message) == (outcome == "call_911")
    if outcome == "district":
        assert screened.json()["district"]["deskPhone"] in message  # the station, with its desk
    response = await client.post(
        "/api/v1/police/reports", json=report_body(screening={**screening, "language": "es"})
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    rows = await services.reader.fetch("SELECT COUNT(*) AS n FROM service_request")
    assert rows[0]["n"] == 0


async def test_a_police_report_never_appears_in_any_public_view(client, services):
    await services.requests.submit(pothole())
    tn = (await client.post("/api/v1/police/reports", json=report_body())).json()["trackingNumber"]
    # Open311: the list (JSON and XML), the single request, the service list and definition
    for fmt in ("json", "xml"):
        listed = await client.get(f"/open311/v2/requests.{fmt}")
        assert listed.status_code == 200
        assert tn not in listed.text and "ARS" not in listed.text
        assert "SR" in listed.text  # the pothole is there
        single = await client.get(f"/open311/v2/requests/{tn}.{fmt}")
        assert single.status_code == 404, single.text
        assert "Ana" not in single.text
        services_list = await client.get(f"/open311/v2/services.{fmt}")
        assert "ARS" not in services_list.text and "Police Report" not in services_list.text
    assert (await client.get("/open311/v2/services/ARS.json")).status_code == 404
    assert (await client.get(f"/open311/v2/requests.json?service_request_id={tn}")).json() == []
    # The app: the request, its history and live stream, the nearby list, the catalog
    assert (await client.get(f"/api/v1/requests/{tn}")).status_code == 404
    assert (await client.get(f"/api/v1/requests/{tn}/history")).status_code == 404
    nearby = await client.get(f"/api/v1/requests?near={WICKER_PARK[0]},{WICKER_PARK[1]}")
    assert tn not in nearby.text and len(nearby.json()["items"]) == 1
    assert "ARS" not in (await client.get("/api/v1/services")).text
    assert (await client.get("/api/v1/services/ARS")).status_code == 404
    # Filing one around the screening is refused by every other channel
    bypass = await client.post(
        "/api/v1/requests",
        json={
            "serviceCode": "ARS",
            "lat": WICKER_PARK[0],
            "long": WICKER_PARK[1],
            "description": "stolen",
        },  # fmt: skip
    )
    assert bypass.status_code in (400, 422), bypass.text
    # Nobody can follow it
    with pytest.raises(Exception, match="no service request"):
        await services.requests.follow(tn, Subscriber.phone("+13125550199"), channel="sms")


async def test_ars_issues_an_rd_number_and_the_resident_is_told_in_spanish(client, services):
    tn = await file_by_phone(services, "es")
    reviewer = await staff_token(services, "department", [ARS_DEPARTMENT])
    queue = (await client.get("/api/staff/v1/police/reports", headers=reviewer)).json()
    assert [r["trackingNumber"] for r in queue["items"]] == [tn]
    response = await client.post(f"/api/staff/v1/police/reports/{tn}/rd-number", headers=reviewer)
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["decision"] == "issued" and re.fullmatch(r"[A-HJ-NP-Z]{2}\d{6}", out["rdNumber"])
    texts = await services.reader.fetch(
        "SELECT body, language FROM notification WHERE channel = 'sms' AND target = $1", PHONE
    )
    assert len(texts) == 1 and texts[0]["language"] == "es"
    assert out["rdNumber"] in texts[0]["body"] and "Policía" in texts[0]["body"]
    again = await client.post(f"/api/staff/v1/police/reports/{tn}/rd-number", headers=reviewer)
    assert again.status_code == 409
    # the next report gets the next number
    second = await file_by_phone(services, "en")
    issued = (
        await client.post(f"/api/staff/v1/police/reports/{second}/rd-number", headers=reviewer)
    ).json()
    assert int(issued["rdNumber"][2:]) == int(out["rdNumber"][2:]) + 1


async def test_ars_declines_with_a_reason_the_resident_reads_in_chinese(client, services):
    tn = await file_by_phone(services, "zh")
    reviewer = await staff_token(services, "supervisor", [])
    bad = await client.post(
        f"/api/staff/v1/police/reports/{tn}/decline", headers=reviewer, json={"reason": "nope"}
    )
    assert bad.status_code == 422
    response = await client.post(
        f"/api/staff/v1/police/reports/{tn}/decline", headers=reviewer,
        json={"reason": "outside_city"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["decision"] == "declined"
    texts = await services.reader.fetch(
        "SELECT body FROM notification WHERE channel = 'sms' AND target = $1", PHONE
    )
    assert len(texts) == 1 and tn in texts[0]["body"] and "芝加哥" in texts[0]["body"]


async def test_only_ars_reviews_and_operators_take_reports_by_phone(client, services):
    tn = await file_by_phone(services)
    other = await staff_token(services, "department", ["streets-and-sanitation"])
    refused = await client.post(f"/api/staff/v1/police/reports/{tn}/rd-number", headers=other)
    assert refused.status_code == 403
    operator = await staff_token(services, "operator", [])
    body = report_body(language="pl", interpreterUsed=True, notifyCaller=True)
    taken = await client.post("/api/staff/v1/police/reports", headers=operator, json=body)
    assert taken.status_code == 201, taken.text
    assert taken.json()["channel"] == "phone" and taken.json()["decision"] == "pending"
    refused = await client.post(
        "/api/staff/v1/police/reports", headers=operator,
        json=report_body(screening={**CALM, "needsMedical": True}),
    )  # fmt: skip
    assert refused.status_code == 422


async def test_a_report_waiting_past_its_three_days_is_flagged_late(services):
    from datetime import timedelta

    tn = await file_by_phone(services, "pl")
    view = await services.requests.get(tn)
    assert await services.requests.flag_late(view.created_at + timedelta(days=2)) == 0
    assert await services.requests.flag_late(view.created_at + timedelta(days=4)) == 1
    texts = await services.reader.fetch(
        "SELECT kind, language FROM notification WHERE channel = 'sms' AND target = $1", PHONE
    )
    assert [(t["kind"], t["language"]) for t in texts] == [("running_late", "pl")]
