"""One text, one effect, one reply: Twilio may deliver a MessageSid several times, at once or later.
Twenty parallel deliveries at the step that files a request, through the signed webhook (in this
process, and split between two server processes), all get the first delivery's "Thanks! … SR26-…"
and one request is filed; a later retry gets it too; a server killed while it answers is taken
over by another; one still held is answered 409 after a bounded wait; a stored reply is never
overwritten."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import re
import signal
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree

import httpx
import msgspec
import pytest

from backend.app import attach_services, create_app
from backend.service_requests.models import ListFilters, Subscriber
from sms.dialog import CLAIM_LEASE
from sms.store import Conversation, SmsStore
from sms.tables import SmsMessage
from tests.factories import photo_bytes
from tests.fakes.live_server import LiveServer
from tests.fakes.twilio_server import FakeTwilio
from tests.processes import ceiling, until

PHONE = "+13125550142"
THANKS = re.compile(r"Thanks! Your request is SR\d\d-")  # the year of the filing
CITY = "+13125550000"
BASE = "http://testserver.local"  # CITY311_PUBLIC_BASE_URL: what Twilio signs
INBOUND = f"{BASE}/sms/twilio/inbound"


@pytest.fixture
def twilio():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
async def app(services, settings, twilio):
    configured = msgspec.structs.replace(
        settings,
        twilio_account_sid=twilio.account_sid,
        twilio_auth_token=twilio.auth_token,
        twilio_from=CITY,
        twilio_api_base_url=twilio.base_url,
    )
    app = create_app(configured, scheduler=False)
    attach_services(app, dataclasses.replace(services, settings=configured))
    return app


@pytest.fixture
async def web(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:  # type: ignore[arg-type]  # Litestar's ASGI types are not httpx's
        yield c


def delivery(twilio: FakeTwilio, body: str, sid: str) -> tuple[dict[str, str], bytes]:
    """Twilio's signed POST of one text (every delivery of it is the same request)."""
    params = twilio.inbound_params(PHONE, CITY, body, message_sid=sid)
    return twilio.signed_inbound(INBOUND, params)


def message_of(response: httpx.Response) -> str:
    """The text of the TwiML reply (checked to be one)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return ElementTree.fromstring(response.text).findtext("Message") or ""


async def to_the_filing_step(post, twilio: FakeTwilio) -> None:
    """A report that the next "YES" files (its confirmation offered the photo)."""
    body = "rats all over the alley behind 1845 W Cortland"
    headers, content = delivery(twilio, body, "SM" + uuid.uuid4().hex)
    assert "at 1845 W Cortland St - right?" in message_of(await post(headers, content))


async def filed_for_phone(services) -> list[str]:
    page = await services.requests.search(ListFilters(followed_by=Subscriber.phone(PHONE)))
    return [v.tracking_number for v in page.items]


async def claimed_by(sid: str) -> str | None:
    row = (
        await SmsMessage.select(SmsMessage.claimed_by).where(SmsMessage.message_sid == sid).first()
    )
    return row["claimed_by"] if row else None


async def stored_reply(sid: str) -> str | None:
    row = await SmsMessage.select(SmsMessage.reply).where(SmsMessage.message_sid == sid).first()
    return row["reply"] if row else None


async def test_twenty_parallel_deliveries_get_one_reply_and_file_once(web, twilio, services):
    async def post(headers, content):
        return await web.post("/sms/twilio/inbound", content=content, headers=headers)

    await to_the_filing_step(post, twilio)
    sid = "SM" + uuid.uuid4().hex
    headers, content = delivery(twilio, "YES", sid)
    answers = [
        message_of(r) for r in await asyncio.gather(*(post(headers, content) for _ in range(20)))
    ]
    first = answers[0]
    assert THANKS.match(first), first
    assert answers == [first] * 20
    # a retry much later: the same reply, nothing done again
    assert message_of(await post(headers, content)) == first
    filed = await filed_for_phone(services)
    assert len(filed) == 1 and filed[0] in first
    assert await stored_reply(sid) == first


def server_env(twilio: FakeTwilio) -> dict[str, str]:
    """A `city311 serve` on the test database, checking Twilio's signatures."""
    return {
        "CITY311_SCHEDULER": "off",
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_FROM_NUMBER": CITY,
        "TWILIO_API_BASE_URL": twilio.base_url,
    }


@pytest.fixture
def two_servers(migrated, twilio):
    servers: list[LiveServer] = []
    try:
        for _ in range(2):  # one after the other: each starts faster alone on a busy machine
            servers.append(LiveServer(server_env(twilio)))
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.mark.slow
async def test_twenty_deliveries_split_between_two_processes(db, two_servers, twilio, services):
    async with httpx.AsyncClient(timeout=60) as client:
        turn = iter(range(10_000))

        async def post(headers, content):
            server = two_servers[next(turn) % 2]
            return await client.post(
                f"{server.base}/sms/twilio/inbound", content=content, headers=headers
            )

        await to_the_filing_step(post, twilio)
        sid = "SM" + uuid.uuid4().hex
        headers, content = delivery(twilio, "YES", sid)
        answers = [
            message_of(r)
            for r in await asyncio.gather(*(post(headers, content) for _ in range(20)))
        ]
        first = answers[0]
        assert THANKS.match(first), first
        assert answers == [first] * 20
        assert message_of(await post(headers, content)) == first
        assert message_of(await post(headers, content)) == first
    filed = await filed_for_phone(services)
    assert len(filed) == 1 and filed[0] in first
    assert await stored_reply(sid) == first


class HeldPhoto:
    """Where Twilio's media URL redirects (its CDN): each download waits until `release()`, then
    gets the photo; `asked` is set once a download has begun."""

    def __init__(self, content: bytes) -> None:
        self.asked, self._released = threading.Event(), threading.Event()
        held = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                held.asked.set()
                held._released.wait(ceiling(120))
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the asker may be dead
                    self.wfile.write(content)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/photo.jpg"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def release(self) -> None:
        self._released.set()

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()


@pytest.mark.slow
async def test_a_holder_killed_while_answering_is_taken_over(db, web, twilio, services):
    """A server process claims a texted photo and is killed (SIGKILL) while it downloads it; the
    next deliveries, to another process (this one), wait while its lease runs (409), then one
    takes the message over and files it, and every later delivery gets that reply."""
    holder = LiveServer(server_env(twilio))
    photo = HeldPhoto(photo_bytes())
    try:
        async with httpx.AsyncClient(timeout=ceiling(120)) as client:

            async def to_holder(headers, content):
                url = f"{holder.base}/sms/twilio/inbound"
                return await client.post(url, content=content, headers=headers)

            await to_the_filing_step(to_holder, twilio)
            sid = "MM" + uuid.uuid4().hex
            media = twilio.add_media(photo_bytes(), "image/jpeg", redirect_to=photo.url)
            params = twilio.inbound_params(PHONE, CITY, "", [media], message_sid=sid)
            headers, content = twilio.signed_inbound(INBOUND, params)
            answering = asyncio.create_task(to_holder(headers, content))
            assert await asyncio.to_thread(photo.asked.wait, ceiling(60)), "no photo fetched"
            dead = await claimed_by(sid)
            assert dead is not None
            os.killpg(holder.process.pid, signal.SIGKILL)
            with contextlib.suppress(httpx.HTTPError):
                await answering
        photo.release()

        async def redelivered() -> httpx.Response | None:
            response = await web.post("/sms/twilio/inbound", content=content, headers=headers)
            assert response.status_code in (200, 409), response.text
            return response if response.status_code == 200 else None

        response = None

        async def answered() -> bool:
            nonlocal response
            response = await redelivered()
            return response is not None

        assert await until(answered, 90), "never taken over"
        assert response is not None
        answer = message_of(response)
        assert THANKS.match(answer), answer
        again = await redelivered()
        assert again is not None and message_of(again) == answer
        assert await claimed_by(sid) not in (None, dead)
        filed = await filed_for_phone(services)
        assert len(filed) == 1 and filed[0] in answer
    finally:
        photo.close()
        holder.stop()


async def test_a_claim_whose_holder_died_is_taken_over(web, twilio, services):
    async def post(headers, content):
        return await web.post("/sms/twilio/inbound", content=content, headers=headers)

    await to_the_filing_step(post, twilio)
    sid = "SM" + uuid.uuid4().hex
    # A delivery claimed the text and died before answering: its lease was never renewed.
    store = SmsStore(services.reader, services.writer)
    claimed = datetime.now(UTC) - 2 * CLAIM_LEASE
    assert await store.claim(sid, PHONE, "YES", 0, claimed, "dead", claimed + CLAIM_LEASE)
    headers, content = delivery(twilio, "YES", sid)
    answer = message_of(await post(headers, content))
    assert THANKS.match(answer), answer
    assert message_of(await post(headers, content)) == answer
    assert len(await filed_for_phone(services)) == 1


async def test_a_claim_still_held_is_a_409_after_a_bounded_wait(app, web, twilio, services):
    app.state.sms_bot.reply_wait = timedelta(seconds=0.5)
    sid = "SM" + uuid.uuid4().hex
    store = SmsStore(services.reader, services.writer)
    now = datetime.now(UTC)
    assert await store.claim(sid, PHONE, "YES", 0, now, "busy", now + timedelta(minutes=5))
    headers, content = delivery(twilio, "YES", sid)
    response = await web.post("/sms/twilio/inbound", content=content, headers=headers)
    assert response.status_code == 409, response.text
    assert response.json()["errors"][0]["field"] == "MessageSid"
    assert await stored_reply(sid) is None  # still the holder's to answer


async def test_a_stored_reply_is_never_overwritten(services):
    store = SmsStore(services.reader, services.writer)
    now = datetime.now(UTC)
    sid = "SM" + uuid.uuid4().hex
    assert await store.claim(sid, PHONE, "hi", 0, now, "first", now + CLAIM_LEASE)
    assert not await store.claim(sid, PHONE, "hi", 0, now, "second", now + CLAIM_LEASE)
    assert await store.answer(sid, "one", Conversation(PHONE, state="idle"), now) == "one"
    # a late second answer (from a delivery that took the claim over) keeps nothing of its own
    late = Conversation(PHONE, state="ask_location")
    assert await store.answer(sid, "two", late, now) == "one"
    assert await stored_reply(sid) == "one"
    assert (await store.conversation(PHONE)).state == "idle"
    # an answered message is not taken over, whatever its lease says
    later = now + 10 * CLAIM_LEASE
    assert not await store.take_over(sid, "third", later, later + CLAIM_LEASE)
