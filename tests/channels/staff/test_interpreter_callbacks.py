"""The language bank through the staff API, on both engines: a text in a language the bot does not
speak is queued with the phone, the detected language and the text; operators list the queue
(oldest first), mark a callback done with the interpreter language used and the request filed;
phone intake records the interpreter's language. Bad input is a 4xx, never half-written."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from sms.channel import sms_bot
from sms.dialog import Inbound
from sms.language_bank import REPLIES
from tests.channels.staff.conftest import bearer

API = "/api/staff/v1"
PHONE = "+13125550187"
_sids = itertools.count(1)


@pytest.fixture
async def operator(make_staff):
    return bearer((await make_staff("operator", "oksana"))[1])


async def text(services, body: str, phone: str = PHONE, sid: str | None = None) -> str | None:
    bot = sms_bot(services)
    moment = datetime(2026, 11, 29, 15, 0, tzinfo=UTC) + timedelta(minutes=next(_sids))  # any date
    sid = sid or f"SM{next(_sids):032x}"
    return await bot.handle(Inbound(sid, phone, body, received_at=moment))


async def test_a_text_in_arabic_is_queued_for_an_interpreter(client, services, operator):
    reply = await text(services, "يوجد حفرة كبيرة في الشارع أمام بيتي في 3300 W Fullerton")
    assert reply == REPLIES["ar"]
    listed = (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()
    [item] = listed["items"]
    assert item["phone"] == PHONE and item["language"] == "ar"
    assert item["languageName"] == "Arabic" and item["status"] == "open"
    assert "3300 W Fullerton" in item["text"] and item["texts"] == 1
    assert listed["nextAfterId"] is None
    filed = await services.reader.fetch("SELECT id FROM service_request")
    assert filed == []  # nothing was filed


async def test_another_language_gets_english_and_spanish_and_texts_are_kept_together(
    client, services, operator
):
    first = "Mwen pa pale angle, tanpri ede m ak twou a nan lari a"  # Haitian Creole: a reply
    assert await text(services, first) == REPLIES["ht"]
    swahili = "Kuna shimo kubwa barabarani mbele ya nyumba yangu tafadhali"
    reply = await text(services, swahili, sid="SMrepeat")
    assert reply == f"{REPLIES['en']} {REPLIES['es']}"
    # Twilio delivers the same message again: the same reply, nothing added
    assert await text(services, swahili, sid="SMrepeat") == reply
    [item] = (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()["items"]
    assert item["texts"] == 2 and item["text"] == f"{first}\n{swahili}"
    assert item["language"] == "ht"  # the first text's


async def test_the_bots_own_languages_and_short_texts_never_reach_the_queue(
    client, services, operator
):
    for body in ("pothole at 1845 W Cortland", "hay un bache enorme en 3300 W Fullerton",
                 "dziura w jezdni przed 3300 W Fullerton", "3300 W Fullerton 前面有个坑", "YES",
                 "2", "Pulaski"):  # fmt: skip
        await text(services, body, phone="+13125550111")
    items = (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()["items"]
    assert items == []


async def test_an_emergency_is_still_answered_first(client, services, operator):
    reply = await text(services, "theres smoke pouring out of the house next door")
    assert "911" in reply and reply not in REPLIES.values()
    items = (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()["items"]
    assert items == []


async def test_a_phone_that_said_stop_gets_nothing(client, services, operator):
    await text(services, "STOP")
    assert await text(services, "Перед моим домом на дороге большая яма") is None
    items = (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()["items"]
    assert items == []


async def test_an_operator_calls_back_and_marks_it_done(client, services, operator):
    await text(services, "Перед моим домом на дороге большая яма")
    [item] = (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()["items"]
    url = f"{API}/interpreter-callbacks/{item['id']}"
    # the request filed on the call, taken with a Russian interpreter
    taken = await client.post(
        f"{API}/requests",
        json={"serviceCode": "PHF", "address": "1845 W Cortland St",
              "answers": {"LOCATION": "curb_lane"}, "caller": {"phone": PHONE},
              "interpreterLanguage": "ru"},
        headers=operator,
    )  # fmt: skip
    assert taken.status_code == 201, taken.text
    request = taken.json()["request"]
    assert request["interpreterLanguage"] == "ru" and request["interpreterUsed"] is True
    tn = request["trackingNumber"]
    for bad, field in (
        ({"interpreterLanguage": "Russian!"}, "interpreterLanguage"),
        ({"trackingNumber": "SR26-99999999"}, "trackingNumber"),
        ({"note": 5}, None),
    ):
        response = await client.post(f"{url}/done", json=bad, headers=operator)
        assert response.status_code in (400, 422), response.text
        if field:
            assert field in response.text
    assert (await client.get(url, headers=operator)).json()["status"] == "open"  # not half-done
    done = await client.post(
        f"{url}/done", json={"trackingNumber": tn, "note": "filed on the call"}, headers=operator
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "done" and body["trackingNumber"] == tn
    assert body["interpreterLanguage"] == "ru"  # the detected language, when not given
    assert body["doneBy"] is not None and body["doneAt"] is not None
    again = await client.post(f"{url}/done", json={}, headers=operator)
    assert again.status_code == 409
    assert (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()[
        "items"
    ] == []
    finished = await client.get(f"{API}/interpreter-callbacks?status=done", headers=operator)
    assert [i["id"] for i in finished.json()["items"]] == [item["id"]]
    # a new text after the call opens a new callback
    await text(services, "Спасибо, но яма всё ещё там, перезвоните пожалуйста")
    items = (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()["items"]
    assert len(items) == 1 and items[0]["id"] != item["id"]


async def test_bad_requests_are_4xx(client, operator, make_staff):
    assert (
        await client.get(f"{API}/interpreter-callbacks?status=lost", headers=operator)
    ).status_code == 422
    assert (
        await client.get(f"{API}/interpreter-callbacks/987654", headers=operator)
    ).status_code == 404
    missing = await client.post(
        f"{API}/interpreter-callbacks/987654/done", json={}, headers=operator
    )
    assert missing.status_code == 404
    crew = bearer((await make_staff("department", "crew"))[1])
    assert (await client.get(f"{API}/interpreter-callbacks", headers=crew)).status_code == 403
    assert (await client.get(f"{API}/interpreter-callbacks")).status_code == 401
    intake = await client.post(
        f"{API}/requests",
        json={"serviceCode": "PHF", "address": "1845 W Cortland St",
              "answers": {"LOCATION": "curb_lane"}, "interpreterLanguage": "arabic please"},
        headers=operator,
    )  # fmt: skip
    assert intake.status_code == 422 and "interpreterLanguage" in intake.text


async def test_pages_of_the_queue(client, services, operator):
    for n in range(53):
        await text(services, "Перед моим домом на дороге большая яма", phone=f"+1312555{n:04d}")
    first = (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()
    assert len(first["items"]) == 50 and first["nextAfterId"] == first["items"][-1]["id"]
    rest = await client.get(
        f"{API}/interpreter-callbacks?afterId={first['nextAfterId']}", headers=operator
    )
    assert len(rest.json()["items"]) == 3 and rest.json()["nextAfterId"] is None


async def test_a_report_under_way_waits_while_another_language_is_answered(
    client, services, operator
):
    phone = "+13125550166"
    first = await text(services, "huge pothole in front of 1845 W Cortland", phone=phone)
    assert first is not None and first not in REPLIES.values()
    assert await text(services, "أحتاج مساعدة، لا أتكلم الإنجليزية", phone=phone) == REPLIES["ar"]
    conversation = await services.reader.fetchrow(
        "SELECT state FROM sms_conversation WHERE phone = $1", phone
    )
    assert conversation["state"] != "idle"  # the draft is still there for the English texts
    [item] = (await client.get(f"{API}/interpreter-callbacks", headers=operator)).json()["items"]
    assert item["phone"] == phone and item["language"] == "ar"
