"""backend.transports.twilio through the real twilio SDK, against FakeTwilio over loopback."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest
import requests
from twilio.request_validator import RequestValidator

from backend.logsafe import mask_phone
from backend.transports.twilio import (
    MediaFetchError,
    MediaRefused,
    MediaTooLarge,
    SendError,
    SentMessage,
    TwilioApi,
)
from tests.fakes.twilio_server import FakeTwilio
from tests.processes import ceiling

RESIDENT = "+13125550100"
OTHER_RESIDENT = "+17735550199"
CITY_NUMBER = "+13127445000"
SERVICE_SID = "MG" + "0" * 32


@pytest.fixture
def fake():
    with FakeTwilio() as server:
        yield server


@pytest.fixture
def other():
    """A second Twilio look-alike on another loopback port: another origin."""
    with FakeTwilio() as server:
        yield server


def make_api(fake: FakeTwilio, **kwargs) -> TwilioApi:
    kwargs.setdefault("timeout", 3.0)
    sender = kwargs.pop("sender", CITY_NUMBER)
    token = kwargs.pop("auth_token", fake.auth_token)
    return TwilioApi(fake.account_sid, token, sender, api_base_url=fake.base_url, **kwargs)


class _Receiver:
    """A webhook endpoint on loopback that keeps what Twilio posts to it."""

    def __init__(self) -> None:
        seen: list = []
        self.seen = seen

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                seen.append((self.path, dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = _Receiver()
    yield server
    server.close()


# -- sending -------------------------------------------------------------------------------


def test_send_ok_posts_what_twilio_expects(fake):
    api = make_api(fake)
    sent = api.send_sms(
        RESIDENT, "SR26-00012345 is done.", status_callback="http://127.0.0.1:9/sms/status"
    )

    assert isinstance(sent, SentMessage)
    assert sent.sid.startswith("SM") and len(sent.sid) == 34
    assert (sent.status, sent.segments) == ("queued", 1)
    [message] = fake.messages
    assert message.sid == sent.sid
    assert (message.to, message.from_, message.body) == (
        RESIDENT,
        CITY_NUMBER,
        "SR26-00012345 is done.",
    )
    assert message.status_callback == "http://127.0.0.1:9/sms/status"
    assert message.messaging_service_sid is None
    [seen] = fake.requests
    assert seen.method == "POST"
    assert seen.path == f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json"
    assert seen.headers["authorization"].startswith("Basic ")
    assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen.headers["user-agent"].startswith("twilio-python/")


def test_send_through_a_messaging_service_with_media(fake):
    api = make_api(fake, sender=SERVICE_SID)
    assert (api.messaging_service_sid, api.from_number) == (SERVICE_SID, None)
    photos = ["https://city311.example/api/v1/photos/1", "https://city311.example/api/v1/photos/2"]
    sent = api.send_sms(RESIDENT, "Here is the photo", media_urls=photos)

    assert sent.status == "accepted"  # a Messaging Service picks the sender later
    [message] = fake.messages
    assert message.form["MessagingServiceSid"] == [SERVICE_SID]
    assert "From" not in message.form
    assert message.media_urls == photos
    assert "StatusCallback" not in message.form


def test_segments_come_from_twilio(fake):
    api = make_api(fake)
    assert api.send_sms(RESIDENT, "a" * 161).segments == 2
    assert api.send_sms(RESIDENT, "ą" * 71).segments == 2  # UCS-2: 70 per single segment


def test_wrong_credentials_are_an_error_to_fix_not_a_bad_recipient(fake):
    api = make_api(fake, auth_token="0" * 32)
    with pytest.raises(SendError) as caught:
        api.send_sms(RESIDENT, "hello")
    assert caught.value.code == 20003
    assert caught.value.status == 401
    assert caught.value.permanent is False
    assert fake.messages == []


@pytest.mark.parametrize("code", [21610, 21211, 21614, 30003, 30005, 30006])
def test_recipient_errors_are_permanent(fake, code):
    fake.fail(RESIDENT, code)
    api = make_api(fake)
    with pytest.raises(SendError) as caught:
        api.send_sms(RESIDENT, "hello")
    error = caught.value
    assert (error.code, error.status, error.permanent, error.retry_after) == (code, 400, True, None)
    assert error.opted_out is (code == 21610)
    assert error.maybe_sent is False
    # only that destination fails
    assert api.send_sms(OTHER_RESIDENT, "hello").status == "queued"


def test_opted_out_message_is_twilios(fake):
    fake.fail(RESIDENT, 21610)
    with pytest.raises(SendError, match="unsubscribed recipient"):
        make_api(fake).send_sms(RESIDENT, "hello")


def test_other_request_errors_are_permanent(fake):
    fake.fail(RESIDENT, 21602)
    with pytest.raises(SendError) as caught:
        make_api(fake).send_sms(RESIDENT, "hello")
    assert caught.value.permanent is True


def test_too_many_requests_is_temporary_with_retry_after(fake):
    fake.fail(RESIDENT, 20429, retry_after="7", times=1)
    api = make_api(fake)
    with pytest.raises(SendError) as caught:
        api.send_sms(RESIDENT, "hello")
    assert (caught.value.code, caught.value.status) == (20429, 429)
    assert caught.value.permanent is False
    assert caught.value.retry_after == 7.0
    assert api.send_sms(RESIDENT, "hello").status == "queued"  # the script was for one answer


@pytest.mark.parametrize(
    ("status", "html", "code"), [(503, False, 20503), (500, False, 20500), (503, True, 503)]
)
def test_twilio_down_is_temporary(fake, status, html, code):
    fake.down(status=status, html=html)
    with pytest.raises(SendError) as caught:
        make_api(fake).send_sms(RESIDENT, "hello")
    assert (caught.value.status, caught.value.code) == (status, code)
    assert caught.value.permanent is False


def test_a_slow_answer_is_a_temporary_error_that_may_have_sent(fake):
    fake.slow(RESIDENT, seconds=600)  # woken when the fake closes
    api = make_api(fake, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(SendError) as caught:
        api.send_sms(RESIDENT, "hello")
    assert time.monotonic() - started < ceiling(10)
    assert caught.value.permanent is False
    assert caught.value.code is None
    assert caught.value.maybe_sent is True  # Twilio had the request: a retry may send it twice
    assert [r.method for r in fake.requests] == ["POST"]


def test_nothing_listening_is_temporary_and_not_sent():
    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api = TwilioApi("AC" + "1" * 32, "x" * 32, CITY_NUMBER, api_base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(SendError) as caught:
        api.send_sms(RESIDENT, "hello")
    assert (caught.value.permanent, caught.value.maybe_sent, caught.value.code) == (
        False,
        False,
        None,
    )


async def test_send_async_does_not_block_the_event_loop(fake):
    fake.slow(RESIDENT, seconds=1.0)  # ~100 ticks of the loop; a blocking send: 1 or 2
    api = make_api(fake)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        sent = await api.send_sms_async(RESIDENT, "hello", status_callback=None)
    finally:
        ticker.cancel()
    assert sent.status == "queued"
    assert ticks >= 10


async def test_send_async_raises_send_error(fake):
    fake.fail(RESIDENT, 21610)
    with pytest.raises(SendError) as caught:
        await make_api(fake).send_sms_async(RESIDENT, "hello")
    assert caught.value.opted_out


def test_phone_numbers_are_masked_in_logs(fake, caplog):
    assert mask_phone("+13125550100") == "+1312•••0100"
    assert "5550100" not in mask_phone("13125550100")
    caplog.set_level(logging.DEBUG)
    api = make_api(fake)
    api.send_sms(RESIDENT, "hello")
    fake.fail(OTHER_RESIDENT, 21211)
    with pytest.raises(SendError):
        api.send_sms(OTHER_RESIDENT, "hello")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "+1312•••0100" in text
    assert RESIDENT not in text and OTHER_RESIDENT not in text
    assert fake.auth_token not in text


def test_from_settings():
    settings = SimpleNamespace(
        twilio_account_sid="AC" + "2" * 32,
        twilio_auth_token="t" * 32,
        twilio_from=SERVICE_SID,
        twilio_api_base_url=None,
    )
    api = TwilioApi.from_settings(settings)
    assert api is not None
    assert api.messaging_service_sid == SERVICE_SID
    assert api.api_base_url == "https://api.twilio.com"
    assert (
        TwilioApi.from_settings(SimpleNamespace(**{**vars(settings), "twilio_from": None})) is None
    )


# -- status callbacks ------------------------------------------------------------------------


def test_status_callbacks_are_signed_as_twilio_signs_them(fake, receiver):
    url = f"{receiver.base_url}/sms/status?kind=notification"
    sent = make_api(fake).send_sms(RESIDENT, "hello", status_callback=url)

    callbacks = fake.deliver(sent.sid)
    assert [c.status for c in callbacks] == [204, 204]
    assert [path for path, _, _ in receiver.seen] == ["/sms/status?kind=notification"] * 2
    validator = RequestValidator(fake.auth_token)
    statuses = []
    for _, headers, body in receiver.seen:
        params = {name: values[0] for name, values in parse_qs(body.decode()).items()}
        assert validator.validate(url, params, headers["X-Twilio-Signature"])
        assert not RequestValidator("0" * 32).validate(url, params, headers["X-Twilio-Signature"])
        assert (params["MessageSid"], params["To"], params["AccountSid"]) == (
            sent.sid,
            RESIDENT,
            fake.account_sid,
        )
        statuses.append(params["MessageStatus"])
    assert statuses == ["sent", "delivered"]
    assert fake.message(sent.sid).status == "delivered"


def test_failed_delivery_callback_carries_the_error_code(fake, receiver):
    url = f"{receiver.base_url}/sms/status"
    sent = make_api(fake).send_sms(RESIDENT, "hello", status_callback=url)
    [callback] = fake.deliver(sent.sid, status="failed", error_code=30006)
    assert callback.params["MessageStatus"] == "failed"
    assert callback.params["ErrorCode"] == "30006"
    assert RequestValidator(fake.auth_token).validate(
        url, callback.params, callback.headers["X-Twilio-Signature"]
    )


# -- inbound webhook helpers -------------------------------------------------------------------


def test_inbound_helpers_build_a_signed_webhook(fake):
    photo = fake.add_media(b"\xff\xd8jpeg", "image/jpeg")
    params = fake.inbound_params(RESIDENT, CITY_NUMBER, "pothole at 1845 W Cortland", media=[photo])
    assert params["MessageSid"].startswith("MM") and params["MessageSid"] in photo
    assert (params["NumMedia"], params["MediaUrl0"], params["MediaContentType0"]) == (
        "1",
        photo,
        "image/jpeg",
    )
    assert (params["SmsStatus"], params["ApiVersion"], params["AccountSid"]) == (
        "received",
        "2010-04-01",
        fake.account_sid,
    )
    text_only = fake.inbound_params(RESIDENT, CITY_NUMBER, "status SR26-00012345", geo=False)
    assert text_only["MessageSid"].startswith("SM") and text_only["NumMedia"] == "0"
    assert "FromCity" not in text_only

    url = "https://city311.example/sms/inbound"
    headers, body = fake.signed_inbound(url, params)
    received = {name: values[0] for name, values in parse_qs(body.decode()).items()}
    assert received == params
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert RequestValidator(fake.auth_token).validate(url, received, headers["X-Twilio-Signature"])
    assert not RequestValidator(fake.auth_token).validate(
        url, {**received, "Body": "changed"}, headers["X-Twilio-Signature"]
    )


# -- media -----------------------------------------------------------------------------------


def test_fetch_media_with_basic_auth(fake):
    url = fake.add_media(b"\x89PNG...", "image/png")
    content, content_type = make_api(fake).fetch_media(url)
    assert (content, content_type) == (b"\x89PNG...", "image/png")
    [seen] = fake.requests
    assert seen.headers["authorization"].startswith("Basic ")


async def test_fetch_media_async(fake):
    url = fake.add_media(b"jpeg bytes", "image/jpeg")
    assert await make_api(fake).fetch_media_async(url) == (b"jpeg bytes", "image/jpeg")


def test_the_fake_refuses_media_without_credentials(fake):
    url = fake.add_media(b"secret photo", "image/jpeg")
    answer = requests.get(url, timeout=3)
    assert answer.status_code == 401
    assert answer.json()["code"] == 20003
    assert b"secret photo" not in answer.content


def test_media_with_wrong_credentials_is_an_error(fake):
    url = fake.add_media(b"secret photo", "image/jpeg")
    with pytest.raises(MediaFetchError) as caught:
        make_api(fake, auth_token="0" * 32).fetch_media(url)
    assert caught.value.status == 401
    assert caught.value.temporary is False


def test_unknown_media_is_an_error(fake):
    url = fake.add_media(b"x", "image/jpeg")
    with pytest.raises(MediaFetchError) as caught:
        make_api(fake).fetch_media(url[:-4] + "0000")
    assert caught.value.status == 404


def test_media_on_another_host_is_refused_without_a_connection(fake, other):
    api = make_api(fake)
    elsewhere = other.add_media(b"x", "image/jpeg")  # 127.0.0.1, another port: another origin
    for url in (
        elsewhere,
        elsewhere.replace("127.0.0.1", "localhost"),
        fake.add_media(b"x").replace("http://", "http://user:password@"),
        fake.base_url.replace("http://", "ftp://") + "/2010-04-01/x",
    ):
        with pytest.raises(MediaRefused):
            api.fetch_media(url)
    assert other.connections == 0 and other.requests == []
    assert fake.connections == 0


def test_which_media_urls_are_allowed(fake):
    api = make_api(fake)
    media = "/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"
    assert api.media_url_allowed(fake.base_url + media)
    assert api.media_url_allowed("https://api.twilio.com" + media)
    assert api.media_url_allowed("https://api.twilio.com:443" + media)
    assert not api.media_url_allowed("http://api.twilio.com" + media)
    assert not api.media_url_allowed("https://api.twilio.com.evil.example" + media)
    assert not api.media_url_allowed("https://media.twiliocdn.com" + media)  # only as a redirect
    assert not api.media_url_allowed("https://user:pw@api.twilio.com" + media)
    assert not api.media_url_allowed("not a url")


def test_media_redirect_on_the_same_server(fake):
    url = fake.add_media(b"jpeg bytes", "image/jpeg", redirect=True)
    assert make_api(fake).fetch_media(url) == (b"jpeg bytes", "image/jpeg")
    assert [r.path.split("/")[1] for r in fake.requests] == ["2010-04-01", "cdn"]


def test_media_redirect_to_another_host_carries_no_credentials(fake, other):
    url = fake.add_media(b"jpeg bytes", "image/jpeg", cdn=other)
    assert make_api(fake).fetch_media(url) == (b"jpeg bytes", "image/jpeg")
    [asked] = fake.requests
    assert asked.headers["authorization"].startswith("Basic ")
    [followed] = other.requests
    assert followed.path.startswith("/cdn/")
    assert "authorization" not in followed.headers
    assert fake.auth_token not in repr(followed)


def test_media_redirect_to_a_host_not_allowed_is_refused(fake, other):
    target = other.cdn_object(b"jpeg bytes", "image/jpeg").replace("127.0.0.1", "localhost")
    url = fake.add_media(b"", "image/jpeg", redirect_to=target)
    with pytest.raises(MediaRefused):
        make_api(fake).fetch_media(url)
    assert other.connections == 0


def test_at_most_three_redirects(fake):
    url = fake.add_media(b"the photo", "image/jpeg")
    chain = [url]
    for _ in range(4):
        chain.append(fake.add_media(b"", "image/jpeg", redirect_to=chain[-1], redirect_status=302))
    api = make_api(fake)
    assert api.fetch_media(chain[3]) == (b"the photo", "image/jpeg")  # three redirects
    with pytest.raises(MediaFetchError, match="redirect"):
        api.fetch_media(chain[4])  # four


@pytest.mark.parametrize("chunked", [False, True])
def test_oversized_media(fake, chunked):
    url = fake.add_media(b"x" * 50_000, "image/jpeg", chunked=chunked)
    api = make_api(fake)
    with pytest.raises(MediaTooLarge):
        api.fetch_media(url, max_bytes=10_000)
    assert api.fetch_media(url, max_bytes=50_000)[0] == b"x" * 50_000


def test_media_cap_defaults_to_10_mb(fake):
    api = make_api(fake)
    assert api.media_max_bytes == 10 * 1024 * 1024
    url = fake.add_media(b"x" * 20_000, "image/jpeg", chunked=True)
    with pytest.raises(MediaTooLarge):
        make_api(fake, media_max_bytes=1_000).fetch_media(url)


def test_media_that_does_not_come_is_a_temporary_error():
    # A server that accepts the connection and never answers.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        base = f"http://127.0.0.1:{listener.getsockname()[1]}"
        api = TwilioApi("AC" + "1" * 32, "x" * 32, CITY_NUMBER, api_base_url=base)
        started = time.monotonic()
        with pytest.raises(MediaFetchError) as caught:
            api.fetch_media(base + "/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", timeout=0.3)
        assert time.monotonic() - started < ceiling(10)
        assert caught.value.temporary is True
