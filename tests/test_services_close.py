"""Services.close() releases what provide_services() opened: the Twilio client's HTTP sessions, the
Web Push sender's connections, the worker's Redis client, the photo threads and the staff
directory's hashing threads. Real objects against loopback fakes (and a real redis-server when the
machine has one), on both engines."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from datetime import UTC, datetime

import msgspec
import pytest

from backend.notify.store import Claimed
from backend.services import provide_services
from tests.factories import photo_bytes, pothole
from tests.fakes.push_service import FakePushService
from tests.fakes.twilio_server import FakeTwilio
from tests.processes import until

RESIDENT = "+13125550100"


def established_to(port: int) -> int:
    """Open TCP connections from a client to 127.0.0.1:`port` (Linux's connection table)."""
    count = 0
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            remote, state = fields[2], fields[3]
            if state == "01" and int(remote.split(":")[1], 16) == port:
                count += 1
    return count


def threads_named(prefix: str, besides: set[threading.Thread]) -> list[threading.Thread]:
    """Live threads named `prefix`… other than `besides` (other services' of the same session)."""
    return [
        t
        for t in threading.enumerate()
        if t.name.startswith(prefix) and t.is_alive() and t not in besides
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url():
    """A redis-server of the test's own, or None where the machine has none."""
    if shutil.which("redis-server") is None:
        yield None
        return
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not _accepts(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


async def test_close_releases_every_client_pool_and_thread(db, settings, redis_url):
    with FakeTwilio() as twilio, FakePushService() as push_service:
        configured = msgspec.structs.replace(
            settings,
            twilio_account_sid=twilio.account_sid,
            twilio_auth_token=twilio.auth_token,
            twilio_from="+13125550000",
            twilio_api_base_url=twilio.base_url,
            redis_url=redis_url,
        )
        before = set(threading.enumerate())
        services = await provide_services(configured)
        closed = False
        try:
            # each client in use: a text, a push, a live wake-up, a photo, a password hash
            assert services.twilio is not None
            await services.twilio.send_sms_async(RESIDENT, "Hello")
            subscription = push_service.new_subscription()
            await services.push_sender.send(
                subscription["endpoint"],
                subscription["keys"]["p256dh"],
                subscription["keys"]["auth"],
                {"title": "hello"},
            )
            assert established_to(_port(push_service.base_url)) == 1  # kept alive for the next push
            if redis_url:
                await services.live.send(_live("SR26-00000001"))
                assert established_to(_port(redis_url)) >= 1
            await services.requests.submit(pothole(photos=[photo_bytes()]))
            await services.staff.hash_password("correct horse battery staple")
            assert threads_named("photos", before) and threads_named("argon2", before)

            await services.close()
            closed = True
        finally:
            if not closed:
                await services.close()

        assert await until(lambda: _none(established_to(_port(push_service.base_url))), 10)
        if redis_url:
            assert await until(lambda: _none(established_to(_port(redis_url))), 10)
        assert services.live.redis is None
        # the SDK's session and the media session hold no connection pool any more
        sessions = [services.twilio._http.session, services.twilio._media_session]
        for session in sessions:
            assert session is not None
            assert all(not adapter.poolmanager.pools for adapter in session.adapters.values())
        assert await until(lambda: _none(len(threads_named("photos", before))), 10)
        assert await until(lambda: _none(len(threads_named("argon2", before))), 10)


async def _none(count: int) -> bool:
    return count == 0


def _live(tracking_number: str) -> Claimed:
    return Claimed(
        id=1,
        request=1,
        channel="live",
        target=tracking_number,
        language="en",
        title="",
        body="changed",
        url="",
        attempts=0,
        created_at=datetime.now(UTC),
    )


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])
