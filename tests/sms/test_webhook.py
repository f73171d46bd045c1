"""The Twilio webhooks over HTTP with real signatures (computed by the SDK), and MMS photos fetched
from a loopback Twilio that demands Basic auth: forged requests change nothing, retries file once,
receipts are stored, and a photo's GPS places a report."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

import httpx
import msgspec
import pytest

from backend.app import attach_services, create_app
from backend.service_requests.models import ListFilters, Subscriber
from sms.tables import SmsConversation, SmsDelivery, SmsMessage
from tests.factories import WICKER_PARK, photo_bytes
from tests.fakes.twilio_server import FakeTwilio

PHONE = "+13125550142"
CITY = "+13125550000"
BASE = "http://testserver.local"
INBOUND = f"{BASE}/sms/twilio/inbound"
STATUS = f"{BASE}/sms/twilio/status"


@pytest.fixture
def twilio():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
async def web(services, settings, twilio):
    """The app with Twilio configured: its auth token, and the loopback Twilio as its API."""
    configured = msgspec.structs.replace(
        settings,
        twilio_account_sid=twilio.account_sid,
        twilio_auth_token=twilio.auth_token,
        twilio_from=CITY,
        twilio_api_base_url=twilio.base_url,
    )
    app = create_app(configured, scheduler=False)
    attach_services(app, dataclasses.replace(services, settings=configured))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:  # type: ignore[arg-type]  # Litestar's ASGI types are not httpx's
        yield c


async def text(web, twilio, body, media=(), sid=None, phone=PHONE):
    params = twilio.inbound_params(PHONE if phone is None else phone, CITY, body, media)
    if sid:
        params["MessageSid"] = sid
    headers, content = twilio.signed_inbound(INBOUND, params)
    return await web.post("/sms/twilio/inbound", content=content, headers=headers)


def reply_of(response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return response.text


async def test_a_dialog_through_the_webhook(web, twilio, services):
    assert "at 1845 W Cortland St - right?" in reply_of(
        await text(web, twilio, "rats all over the alley behind 1845 W Cortland")
    )
    answer = reply_of(await text(web, twilio, "YES", sid="SM" + "a" * 32))
    # Twilio retries when it did not hear back in time: the same reply, nothing filed twice.
    assert reply_of(await text(web, twilio, "YES", sid="SM" + "a" * 32)) == answer
    page = await services.requests.search(ListFilters(followed_by=Subscriber.phone(PHONE)))
    (filed,) = page.items
    thanks = f"<Response><Message>Thanks! Your request is {filed.tracking_number} "
    assert answer.startswith("<?xml") and thanks in answer


@pytest.mark.parametrize(
    "tamper",
    ["no signature", "wrong token", "changed body", "other url"],
)
async def test_a_forged_webhook_is_403_and_changes_nothing(web, twilio, tamper):
    params = twilio.inbound_params(PHONE, CITY, "pothole at 1845 w cortland")
    url = f"{BASE}/sms/twilio/elsewhere" if tamper == "other url" else INBOUND
    headers, content = twilio.signed_inbound(url, params)
    if tamper == "no signature":
        headers.pop("X-Twilio-Signature")
    elif tamper == "wrong token":
        forger = FakeTwilio(auth_token="not-the-token")
        headers, content = forger.signed_inbound(INBOUND, params)
        forger.close()
    elif tamper == "changed body":
        content = urlencode({**params, "Body": "FOLLOW SR26-00000001"}).encode()
    response = await web.post("/sms/twilio/inbound", content=content, headers=headers)
    assert response.status_code == 403
    problem = response.json()
    assert problem["type"] == "urn:city311:problem:forbidden"
    assert problem["errors"][0]["field"] == "X-Twilio-Signature"
    assert await SmsMessage.count() == 0 and await SmsConversation.count() == 0


async def test_signed_but_malformed_is_a_field_level_422(web, twilio):
    params = twilio.inbound_params("not a phone", CITY, "hello")
    headers, content = twilio.signed_inbound(INBOUND, params)
    response = await web.post("/sms/twilio/inbound", content=content, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "From"
    assert await SmsMessage.count() == 0


async def test_a_nul_in_a_text_is_dropped_and_a_retry_answers_the_same(web, twilio):
    sid = "SM" + "e" * 32
    first = reply_of(await text(web, twilio, "pothole\x00 at damen\ufffe and division", sid=sid))
    again = reply_of(await text(web, twilio, "pothole\x00 at damen\ufffe and division", sid=sid))
    assert again == first and "Damen" in first
    row = await SmsMessage.select().where(SmsMessage.message_sid == sid).first()
    assert row["body"] == "pothole at damen and division"


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"MessageSid": "SM\x00" + "f" * 32}, "MessageSid"),
        ({"MessageStatus": "deli\x00vered"}, "MessageStatus"),
        # the legacy name is held to the same rule even when MessageStatus is fine (fuzzer's case)
        ({"SmsStatus": "\U000f9c45\x16$\u00bf"}, "SmsStatus"),
        ({"ErrorCode": "99999999999999999999"}, "ErrorCode"),
        ({"ErrorCode": "2147483648"}, "ErrorCode"),
        ({"ErrorCode": "-5"}, "ErrorCode"),
        ({"ErrorCode": "\u00b2"}, "ErrorCode"),
        ({"To": "+1312555\x000142"}, "To"),
    ],
)
async def test_a_receipt_out_of_bounds_is_422_and_stores_nothing(web, twilio, changes, field):
    params = {
        "MessageSid": "SM" + "f" * 32,
        "MessageStatus": "undelivered",
        "AccountSid": twilio.account_sid,
        "To": PHONE,
        "From": CITY,
        **changes,
    }
    for _ in range(2):  # a retry is answered the same
        headers, content = twilio.signed_inbound(STATUS, params)
        response = await web.post("/sms/twilio/status", content=content, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    assert await SmsDelivery.count() == 0


async def test_without_an_auth_token_no_webhook_is_trusted(client):
    response = await client.post(
        "/sms/twilio/inbound",
        content=b"From=%2B13125550142&Body=hi&MessageSid=SM1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 403


async def test_stop_says_how_to_come_back(web, twilio, services):
    assert "Text START" in reply_of(await text(web, twilio, "STOP"))
    assert reply_of(await text(web, twilio, "pothole at 1845 w cortland")).endswith("<Response />")
    assert await services.requests.search(ListFilters()) is not None


async def test_delivery_receipts_are_stored_and_21610_opts_out(web, twilio):
    async def receipt(params):
        headers, content = twilio.signed_inbound(STATUS, params)
        return await web.post("/sms/twilio/status", content=content, headers=headers)

    sid = "SM" + "b" * 32
    base = {"MessageSid": sid, "AccountSid": twilio.account_sid, "To": PHONE, "From": CITY}
    assert (await receipt({**base, "MessageStatus": "delivered"})).status_code == 204
    # a late "sent" does not overwrite "delivered"
    assert (await receipt({**base, "MessageStatus": "sent"})).status_code == 204
    row = await SmsDelivery.select().where(SmsDelivery.message_sid == sid).first()
    assert row["status"] == "delivered"
    other = "SM" + "c" * 32
    failed = {**base, "MessageSid": other, "MessageStatus": "undelivered", "ErrorCode": "21610"}
    assert (await receipt(failed)).status_code == 204
    # the number opted out at Twilio: the bot no longer answers it
    assert reply_of(await text(web, twilio, "pothole at 1845 w cortland")).endswith("<Response />")
    forged = {**base, "MessageStatus": "failed"}
    headers, content = twilio.signed_inbound(STATUS, forged)
    headers["X-Twilio-Signature"] = "AAAA" + headers["X-Twilio-Signature"][4:]
    assert (
        await web.post("/sms/twilio/status", content=content, headers=headers)
    ).status_code == 403


async def test_an_mms_photo_places_the_report(web, twilio, services):
    url = twilio.add_media(photo_bytes(gps=WICKER_PARK), "image/jpeg", redirect=True)
    first = reply_of(await text(web, twilio, "rats everywhere in the alley", media=[url]))
    assert "(from your photo)" in first
    thanks = reply_of(await text(web, twilio, "yes"))
    page = await services.requests.search(ListFilters(followed_by=Subscriber.phone(PHONE)))
    (request,) = page.items
    assert f"Thanks! Your request is {request.tracking_number} " in thanks
    assert len(request.photo_uids) == 1 and request.service_code == "SGA"
    assert abs(request.lat - WICKER_PARK[0]) < 1e-4
    # the photo was fetched with the account's credentials
    media_gets = [r for r in twilio.requests if "/Media/" in r.path]
    assert media_gets and media_gets[0].headers.get("authorization", "").startswith("Basic ")


async def test_a_photo_from_elsewhere_is_not_fetched(web, twilio):
    reply = reply_of(
        await text(
            web,
            twilio,
            "pothole at 1845 w cortland",
            media=[("http://127.0.0.1:9/evil.jpg", "image/jpeg")],
        )
    )
    assert "at 1845 W Cortland St - right?" in reply or "couldn't be used" in reply


async def test_a_photo_that_is_not_an_image_is_refused_politely(web, twilio):
    url = twilio.add_media(b"%PDF-1.4 not a photo", "image/jpeg")
    assert "couldn't be used" in reply_of(await text(web, twilio, "", media=[url]))


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("inbound", "MessageSid", "SM-1"),
        ("inbound", "MessageSid", " SM1"),
        ("inbound", "MessageSid", "SM1\n"),
        ("inbound", "NumMedia", "-1"),
        ("inbound", "NumMedia", " 2"),
        ("inbound", "NumMedia", "1_0"),
        ("status", "ErrorCode", "-5"),
        ("status", "ErrorCode", "3000000000"),
        ("status", "ErrorCode", "٣"),  # a digit to int(), not to the document
    ],
)
async def test_fields_outside_the_document_are_a_422(web, twilio, path, field, value):
    """openapi/sms-webhooks.json: the sid is letters and digits, counts and codes whole numbers
    in range; what the document refuses, the webhook refuses, naming the field."""
    params = twilio.inbound_params(PHONE, CITY, "hello")
    if path == "status":
        params = {"MessageSid": "SM" + "d" * 32, "MessageStatus": "failed", "To": PHONE}
    params[field] = value
    headers, content = twilio.signed_inbound(f"{BASE}/sms/twilio/{path}", params)
    response = await web.post(f"/sms/twilio/{path}", content=content, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await SmsMessage.count() == 0 and await SmsDelivery.count() == 0


async def test_an_empty_count_or_code_is_none(web, twilio):
    params = {**twilio.inbound_params(PHONE, CITY, "hello"), "NumMedia": ""}
    headers, content = twilio.signed_inbound(INBOUND, params)
    assert (await web.post("/sms/twilio/inbound", content=content, headers=headers)).is_success
    params = {"MessageSid": "SM" + "e" * 32, "MessageStatus": "sent", "ErrorCode": ""}
    headers, content = twilio.signed_inbound(STATUS, params)
    response = await web.post("/sms/twilio/status", content=content, headers=headers)
    assert response.status_code == 204
