"""GET /api/v1/beats/{beat}/meetings, the next beat meeting in the places lookup, the city's numbers
(GET /api/v1/city, and a place outside the city), and staff confirming meetings — both engines."""

from __future__ import annotations

from datetime import datetime

import pytest

from backend.city import OUTSIDE_CITY_PHONE
from backend.police.beat_pattern import LOCAL
from tests.channels.staff.conftest import bearer, make_staff  # noqa: F401
from tests.factories import EVANSTON

NOW = datetime(2027, 2, 10, 12, 0, tzinfo=LOCAL)  # any date; the service's clock: never today


@pytest.fixture
def clock(services, beat_history, monkeypatch):
    monkeypatch.setattr(services.meetings, "clock", lambda: NOW)
    return NOW


async def test_a_beats_next_meetings_are_projected_and_labelled(client, clock):
    response = await client.get("/api/v1/beats/1434/meetings", params={"upcoming": "true"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["beat"], body["district"]) == ("1434", 14)
    assert body["pattern"]["description"].startswith("fourth Wednesday of odd months, 6:30 pm")
    assert (body["pattern"]["months"], body["pattern"]["week"]) == ("odd", 4)
    assert "projected" in body["note"] and "2018" in body["note"]
    meetings = body["meetings"]
    assert [m["startsAt"] for m in meetings] == [
        "2027-03-24T18:30:00-05:00", "2027-05-26T18:30:00-05:00", "2027-07-28T18:30:00-05:00",
    ]  # fmt: skip
    assert all(m["projected"] and not m["confirmed"] for m in meetings)
    past = (await client.get("/api/v1/beats/1434/meetings?upcoming=false&limit=2")).json()
    assert [m["startsAt"][:10] for m in past["meetings"]] == ["2018-11-28", "2018-09-26"]
    assert not any(m["projected"] for m in past["meetings"])


async def test_bad_beats_are_4xx(client, clock):
    for path, status in (("/api/v1/beats/9999/meetings", 404), ("/api/v1/beats/ab/meetings", 422),
                         ("/api/v1/beats/1434/meetings?limit=0", 422),
                         ("/api/v1/beats/1434/meetings?upcoming=maybe", 422)):  # fmt: skip
        response = await client.get(path)
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_places_lookup_gives_the_next_beat_meeting(client, clock):
    body = (await client.get("/api/v1/places/lookup", params={"address": "1845 W Cortland"})).json()
    assert body["policeBeat"] == "1434"
    meeting = body["nextBeatMeeting"]
    assert meeting["startsAt"] == "2027-03-24T18:30:00-05:00" and meeting["projected"]
    assert "Bucktown Library" in meeting["location"]


async def test_outside_the_city_the_answer_gives_the_citys_outside_number(client):
    outside = await client.get(
        "/api/v1/places/lookup", params={"lat": EVANSTON[0], "long": EVANSTON[1]}
    )
    assert outside.status_code == 422
    body = outside.json()
    assert body["outsideCityPhone"] == OUTSIDE_CITY_PHONE == "(312) 744-5000"
    assert OUTSIDE_CITY_PHONE in body["detail"]
    city = (await client.get("/api/v1/city")).json()
    assert city == {
        "name": "Chicago",
        "phone": "311",
        "outsideCityPhone": "(312) 744-5000",
        "website": "https://www.chicago.gov/311",
        "timeZone": "America/Chicago",
    }


async def test_staff_confirm_a_meeting_which_wins_and_take_it_back(client, clock, make_staff):  # noqa: F811
    _, operator = await make_staff("operator")
    _, department = await make_staff("department")
    when = {"startsAt": "2027-03-31T19:00:00-05:00", "location": "Holstein Park, 2200 N Oakley"}
    refused = await client.post("/api/staff/v1/beats/1434/meetings", json=when,
                                headers=bearer(department))  # fmt: skip
    assert refused.status_code == 403
    nobody = await client.post("/api/staff/v1/beats/1434/meetings", json=when)
    assert nobody.status_code == 401
    made = await client.post("/api/staff/v1/beats/1434/meetings", json=when,
                             headers=bearer(operator))  # fmt: skip
    assert made.status_code == 201, made.text
    meeting = made.json()
    assert meeting["confirmed"] and not meeting["projected"] and meeting["id"]
    shown = (await client.get("/api/v1/beats/1434/meetings")).json()["meetings"]
    assert shown[0]["startsAt"] == "2027-03-31T19:00:00-05:00" and shown[0]["confirmed"]
    assert [m["startsAt"][:7] for m in shown] == ["2027-03", "2027-05", "2027-07"]
    gone = await client.delete(f"/api/staff/v1/beats/1434/meetings/{meeting['id']}",
                               headers=bearer(operator))  # fmt: skip
    assert gone.status_code == 204
    again = (await client.get("/api/v1/beats/1434/meetings")).json()["meetings"]
    assert again[0]["startsAt"] == "2027-03-24T18:30:00-05:00" and again[0]["projected"]
    for bad in ({"startsAt": "2027-03-31T19:00:00", "location": "x"},  # no offset
                {"startsAt": "2027-03-31T19:00:00-05:00", "location": ""},
                {"startsAt": "soon", "location": "x"},
                {**when, "endsAt": "2027-03-31T18:00:00-05:00"}):  # fmt: skip
        response = await client.post("/api/staff/v1/beats/1434/meetings", json=bad,
                                     headers=bearer(operator))  # fmt: skip
        assert response.status_code == 422, (bad, response.text)


async def test_the_request_screen_shows_who_serves_the_place(client, clock, make_staff):  # noqa: F811
    _, operator = await make_staff("operator")
    intake = {"serviceCode": "PHF", "address": "1845 W Cortland",
              "answers": {"LOCATION": "curb_lane"}}  # fmt: skip
    made = await client.post("/api/staff/v1/requests", json=intake, headers=bearer(operator))
    assert made.status_code == 201, made.text
    places = made.json()["request"]["places"]
    assert places["ward"]["alderman"] and places["ward"]["officePhone"]
    assert places["policeDistrict"]["number"] == 14 and places["policeBeat"] == "1434"
    assert places["nextBeatMeeting"]["startsAt"] == "2027-03-24T18:30:00-05:00"
    number = made.json()["request"]["trackingNumber"]
    shown = await client.get(f"/api/staff/v1/requests/{number}", headers=bearer(operator))
    assert shown.json()["places"] == places
