"""The Web Push transport: VAPID keys made once and kept, pushes encrypted (RFC 8291) and signed
(RFC 8292) as a real push service checks them (tests/fakes/push_service.py decrypts them), and the
push service's answers sorted into gone / rejected / unavailable for the outbox."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import socket
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.notify.webpush import (
    PushError,
    PushGone,
    PushRejected,
    PushUnavailable,
    VapidKeys,
    WebPushSender,
    endpoint_origin,
    is_known_push_service,
    load_or_create_vapid_keys,
    redact_endpoint,
)
from backend.retry_after import retry_after_seconds
from tests.fakes.push_service import FakePushService, public_key_b64, sign_jwt
from tests.processes import ceiling

REPO = Path(__file__).resolve().parents[2]
PAYLOAD = {
    "type": "status_changed",
    "request_id": "SR26-00012345",
    "title": "Pothole on N Milwaukee Ave: completed",
    "body": "Crews filled it — gracias, dziękujemy, 谢谢",
    "url": "/requests/SR26-00012345",
    "status": {"from": "open", "to": "closed"},
    "at": "2026-11-29T15:00:00Z",
}


def pem_of(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def other_keys() -> VapidKeys:
    key = ec.generate_private_key(ec.SECP256R1())
    return VapidKeys(private_pem=pem_of(key), public_key=public_key_b64(key))


@pytest.fixture(autouse=True)
def no_configured_key(monkeypatch):
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> VapidKeys:
    saved = os.environ.pop("VAPID_PRIVATE_KEY", None)
    try:
        return load_or_create_vapid_keys(tmp_path_factory.mktemp("vapid"))
    finally:
        if saved is not None:
            os.environ["VAPID_PRIVATE_KEY"] = saved


@pytest.fixture
def push():
    with FakePushService() as fake:
        yield fake


@pytest.fixture
def sender(keys) -> WebPushSender:
    return WebPushSender(keys, timeout=5.0)


async def send(sender: WebPushSender, subscription: dict, payload=PAYLOAD, **kwargs):
    return await sender.send(
        subscription["endpoint"],
        subscription["keys"]["p256dh"],
        subscription["keys"]["auth"],
        payload,
        **kwargs,
    )


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- VAPID keys ------------------------------------------------------------------------------


def test_keys_are_generated_once_then_read(tmp_path):
    data_dir = tmp_path / "data"  # not there yet
    first = load_or_create_vapid_keys(data_dir)
    path = data_dir / "vapid_private.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == first.private_pem
    assert load_or_create_vapid_keys(data_dir) == first
    assert [p.name for p in data_dir.iterdir()] == ["vapid_private.pem"]  # no temporary left

    # the applicationServerKey is the private key's public point, uncompressed, base64url unpadded
    key = serialization.load_pem_private_key(first.private_pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    assert first.public_key == public_key_b64(key)
    assert "=" not in first.public_key and len(first.public_key) == 87
    raw = base64.urlsafe_b64decode(first.public_key + "=")
    assert len(raw) == 65 and raw[0] == 4

    assert load_or_create_vapid_keys(tmp_path / "elsewhere") != first


@pytest.mark.slow
def test_processes_starting_together_agree_on_one_key(tmp_path):
    data_dir, flags = tmp_path / "data", tmp_path / "flags"
    flags.mkdir()
    script = (
        "import sys, time, pathlib\n"
        "from backend.notify.webpush import load_or_create_vapid_keys\n"
        "flags = pathlib.Path(sys.argv[2])\n"
        "(flags / ('ready-' + sys.argv[3])).touch()\n"
        "while not (flags / 'go').exists():\n"
        "    time.sleep(0.001)\n"
        "print(load_or_create_vapid_keys(pathlib.Path(sys.argv[1])).public_key)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "VAPID_PRIVATE_KEY"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(data_dir), str(flags), str(n)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(6)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(list(flags.glob("ready-*"))) < len(procs) and time.monotonic() < deadline:
            time.sleep(0.01)
        (flags / "go").touch()
        outputs = [proc.communicate(timeout=60) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    assert all(proc.returncode == 0 for proc in procs), [err for _, err in outputs]
    public_keys = {out.strip() for out, _ in outputs}
    assert len(public_keys) == 1
    assert load_or_create_vapid_keys(data_dir).public_key in public_keys
    assert [p.name for p in data_dir.iterdir()] == ["vapid_private.pem"]


def test_vapid_private_key_env_pem_wins(tmp_path, monkeypatch):
    key = ec.generate_private_key(ec.SECP256R1())
    monkeypatch.setenv("VAPID_PRIVATE_KEY", pem_of(key).decode())
    keys = load_or_create_vapid_keys(tmp_path)
    assert keys.public_key == public_key_b64(key)
    assert not (tmp_path / "vapid_private.pem").exists()

    # as .env files and container settings often carry it: one line with literal \n
    monkeypatch.setenv("VAPID_PRIVATE_KEY", pem_of(key).decode().replace("\n", "\\n"))
    assert load_or_create_vapid_keys(tmp_path).public_key == public_key_b64(key)

    # a traditional "EC PRIVATE KEY" PEM (openssl ecparam -genkey) too
    traditional = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    monkeypatch.setenv("VAPID_PRIVATE_KEY", traditional.decode())
    assert load_or_create_vapid_keys(tmp_path).public_key == public_key_b64(key)


def test_vapid_private_key_env_path_wins(tmp_path, monkeypatch):
    existing = load_or_create_vapid_keys(tmp_path / "data")
    key = ec.generate_private_key(ec.SECP256R1())
    key_file = tmp_path / "secrets" / "vapid.pem"
    key_file.parent.mkdir()
    key_file.write_bytes(pem_of(key))
    monkeypatch.setenv("VAPID_PRIVATE_KEY", str(key_file))
    keys = load_or_create_vapid_keys(tmp_path / "data")
    assert keys.public_key == public_key_b64(key) != existing.public_key


@pytest.mark.parametrize(
    "value",
    [
        "/nonexistent/vapid.pem",
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
    ],
)
def test_a_bad_vapid_private_key_setting_is_an_error(tmp_path, monkeypatch, value):
    monkeypatch.setenv("VAPID_PRIVATE_KEY", value)
    with pytest.raises(ValueError, match="VAPID_PRIVATE_KEY"):
        load_or_create_vapid_keys(tmp_path)


def test_a_non_p256_key_is_refused(tmp_path, monkeypatch):
    key = ec.generate_private_key(ec.SECP384R1())
    monkeypatch.setenv("VAPID_PRIVATE_KEY", pem_of(key).decode())
    with pytest.raises(ValueError, match="P-256"):
        load_or_create_vapid_keys(tmp_path)


def test_a_damaged_key_file_is_an_error_not_replaced(tmp_path):
    path = tmp_path / "vapid_private.pem"
    path.write_bytes(b"garbage")
    with pytest.raises(ValueError, match="vapid_private.pem"):
        load_or_create_vapid_keys(tmp_path)
    assert path.read_bytes() == b"garbage"  # every subscription depends on it: never overwritten


def test_the_sender_refuses_keys_that_do_not_match():
    mismatched = VapidKeys(private_pem=other_keys().private_pem, public_key=other_keys().public_key)
    with pytest.raises(ValueError, match="public_key"):
        WebPushSender(mismatched)
    with pytest.raises(ValueError, match="subject"):
        WebPushSender(other_keys(), subject="311@cityofchicago.org")


# -- sending ---------------------------------------------------------------------------------


async def test_a_push_arrives_encrypted_signed_and_intact(push, sender, keys):
    subscription = push.new_subscription(application_server_key=keys.public_key)
    before = int(time.time())
    message_id = await send(sender, subscription)

    [delivery] = push.received
    assert delivery.payload == PAYLOAD  # decrypted by the fake with the subscription's key
    assert delivery.endpoint == subscription["endpoint"]
    assert message_id == delivery.location and message_id.startswith(push.base_url + "/message/")
    assert delivery.headers["content-encoding"] == "aes128gcm"
    assert delivery.headers["authorization"].startswith("vapid t=")
    assert delivery.vapid_key == keys.public_key
    claims = delivery.vapid_claims
    assert claims["aud"] == push.origin
    assert claims["sub"] == "mailto:311@cityofchicago.org"
    assert before < claims["exp"] <= before + 24 * 3600
    assert len(push.requests) == 1 and push.requests[0].status == 201


async def test_ttl_and_urgency(push, sender):
    subscription = push.new_subscription()
    await send(sender, subscription)
    await send(sender, subscription, {"n": 2}, ttl=600, urgency="high")
    await send(sender, subscription, {"n": 3}, ttl=0, urgency="very-low")
    defaults, urgent, now_or_never = push.received
    assert (defaults.ttl, defaults.urgency) == (86400, "normal")
    assert (urgent.payload, urgent.ttl, urgent.urgency) == ({"n": 2}, 600, "high")
    assert (now_or_never.ttl, now_or_never.urgency) == (0, "very-low")


@pytest.mark.parametrize(
    ("kwargs", "match"), [({"urgency": "urgent"}, "urgency"), ({"ttl": -1}, "ttl")]
)
async def test_bad_ttl_or_urgency_is_a_programming_error(push, sender, kwargs, match):
    with pytest.raises(ValueError, match=match):
        await send(sender, push.new_subscription(), **kwargs)
    assert push.requests == []


async def test_concurrent_pushes(push, sender):
    subscriptions = [push.new_subscription() for _ in range(8)]
    ids = await asyncio.gather(*(send(sender, s, {"i": i}) for i, s in enumerate(subscriptions)))
    assert len(set(ids)) == 8
    for i, subscription in enumerate(subscriptions):
        [delivery] = push.deliveries(subscription["endpoint"])
        assert delivery.payload == {"i": i}


async def test_the_same_sender_signs_for_each_push_service(sender, keys):
    with FakePushService() as one, FakePushService() as two:
        await send(sender, one.new_subscription())
        await send(sender, two.new_subscription())
        await send(sender, one.new_subscription())
        assert [d.vapid_claims["aud"] for d in one.received] == [one.origin, one.origin]
        assert two.received[0].vapid_claims["aud"] == two.origin


# -- the push service's answers ----------------------------------------------------------------


async def test_410_gone(push, sender):
    subscription = push.new_subscription()
    await send(sender, subscription)
    push.expire(subscription["endpoint"])
    with pytest.raises(PushGone) as caught:
        await send(sender, subscription)
    assert caught.value.permanent is True and caught.value.status == 410
    assert isinstance(caught.value, PushError) and caught.value.retry_after is None
    assert len(push.received) == 1


async def test_404_unknown_subscription_is_gone(push, sender):
    subscription = push.new_subscription()
    subscription["endpoint"] = push.base_url + "/push/never-issued-token"
    with pytest.raises(PushGone) as caught:
        await send(sender, subscription)
    assert caught.value.permanent is True and caught.value.status == 404


@pytest.mark.parametrize("status", [400, 401, 403, 413])
async def test_other_4xx_are_rejected_for_good(push, sender, status):
    push.fail(status, body=json.dumps({"code": status, "message": "bad push: details here"}))
    with pytest.raises(PushRejected) as caught:
        await send(sender, push.new_subscription())
    error = caught.value
    assert error.permanent is True and error.status == status and error.retry_after is None
    assert "bad push: details here" in error.body
    assert "bad push: details here" in str(error)


async def test_a_long_error_body_is_cut(push, sender):
    push.fail(400, body="x" * 100_000)
    with pytest.raises(PushRejected) as caught:
        await send(sender, push.new_subscription())
    assert 0 < len(caught.value.body) <= 1024


async def test_a_payload_too_big_for_web_push_is_refused_without_a_request(push, sender):
    with pytest.raises(PushRejected, match="4096") as caught:
        await send(sender, push.new_subscription(), {"body": "x" * 5000})
    assert caught.value.permanent is True and caught.value.status is None
    assert push.requests == []
    with pytest.raises(PushRejected, match="JSON"):
        await send(sender, push.new_subscription(), {"when": datetime.now(UTC)})


async def test_429_with_retry_after_is_temporary(push, sender):
    push.fail(429, retry_after=120)
    subscription = push.new_subscription()
    with pytest.raises(PushUnavailable) as caught:
        await send(sender, subscription)
    error = caught.value
    assert error.permanent is False and error.status == 429 and error.retry_after == 120.0
    await send(sender, subscription)  # the script was for one push
    assert len(push.received) == 1


async def test_503_with_an_http_date_retry_after(push, sender):
    when = datetime.now(UTC) + timedelta(seconds=90)
    push.fail(503, retry_after=format_datetime(when, usegmt=True))
    with pytest.raises(PushUnavailable) as caught:
        await send(sender, push.new_subscription())
    assert caught.value.status == 503 and caught.value.permanent is False
    assert 80 <= caught.value.retry_after <= 91


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_temporary(push, sender, status):
    push.fail(status)
    with pytest.raises(PushUnavailable) as caught:
        await send(sender, push.new_subscription())
    assert caught.value.status == status and caught.value.permanent is False
    assert caught.value.retry_after is None


async def test_a_timeout_is_temporary(push, keys):
    push.slow(600, times=1)  # woken when the fake closes
    sender = WebPushSender(keys, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(PushUnavailable, match="(?i)timed out") as caught:
        await send(sender, push.new_subscription())
    assert time.monotonic() - started < ceiling(10)
    assert caught.value.status is None and caught.value.permanent is False


async def test_a_refused_connection_is_temporary(push, sender):
    subscription = push.new_subscription()
    subscription["endpoint"] = f"http://127.0.0.1:{unused_port()}/push/sometoken123456"
    with pytest.raises(PushUnavailable) as caught:
        await send(sender, subscription)
    assert caught.value.status is None and caught.value.permanent is False


# -- what is refused before any request ----------------------------------------------------------


@pytest.fixture
def connections(monkeypatch):
    """Every name lookup and connection attempt made (there should be none)."""
    attempts: list[object] = []
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        attempts.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        attempts.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://example.org/push/abcdef",
        "http://127.0.0.1.nip.io/push/abcdef",
        "http://localhost.example.org/push/abcdef",
        "ftp://push.example.org/push/abcdef",
        "https://user:secret@push.example.org/push/abcdef",
        "https://token@push.example.org/push/abcdef",
        "http://user:pw@127.0.0.1:9/push/abcdef",
        "https:///push/abcdef",
        "/push/abcdef",
        "",
    ],
)
async def test_endpoints_that_are_not_https_are_refused_without_a_connection(
    sender, connections, endpoint
):
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(PushRejected) as caught:
        await sender.send(endpoint, public_key_b64(key), "AAAAAAAAAAAAAAAAAAAAAA", PAYLOAD)
    assert caught.value.permanent is True and caught.value.status is None
    assert connections == []


@pytest.mark.parametrize(
    ("p256dh", "auth"),
    [
        ("not-a-key", "AAAAAAAAAAAAAAAAAAAAAA"),
        (
            base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).decode().rstrip("="),
            "AAAAAAAAAAAAAAAAAAAAAA",
        ),
        (None, "short"),
        (None, "!!!!"),
    ],
)
async def test_bad_subscription_keys_are_refused_without_a_request(push, sender, p256dh, auth):
    subscription = push.new_subscription()
    p256dh = p256dh or subscription["keys"]["p256dh"]
    with pytest.raises(PushRejected) as caught:
        await sender.send(subscription["endpoint"], p256dh, auth, PAYLOAD)
    assert caught.value.permanent is True
    assert push.requests == []


# -- VAPID as the push service checks it -------------------------------------------------------------


async def test_a_subscription_made_for_another_key_is_rejected_403(push, sender):
    """The browser subscribed with another applicationServerKey (the keys were replaced): the
    push service sees a JWT signed by a key it does not know for that subscription."""
    subscription = push.new_subscription(application_server_key=other_keys().public_key)
    with pytest.raises(PushRejected) as caught:
        await send(sender, subscription)
    assert caught.value.status == 403 and caught.value.permanent is True
    assert push.received == []


def _raw_push(push: FakePushService, subscription: dict, authorization: str | None, **headers):
    """A POST as a (possibly broken) sender would make it, body encrypted properly."""
    from pywebpush import WebPusher

    body = WebPusher(subscription).encode(b'{"raw": true}', "aes128gcm")["body"]
    sent = {"TTL": "60", "Content-Encoding": "aes128gcm", **headers}
    if authorization is not None:
        sent["Authorization"] = authorization
    session = requests.Session()
    session.trust_env = False
    with session:
        return session.post(subscription["endpoint"], data=body, headers=sent, timeout=5)


def test_the_fake_checks_vapid_like_a_push_service(push):
    subscription = push.new_subscription()
    mine, theirs = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    k = public_key_b64(mine)
    now = int(time.time())
    good = {"aud": push.origin, "exp": now + 3600, "sub": "mailto:311@cityofchicago.org"}

    def auth(claims, signer=mine, key=k):
        return f"vapid t={sign_jwt(signer, claims)}, k={key}"

    assert _raw_push(push, subscription, auth(good)).status_code == 201
    assert push.received[-1].payload == {"raw": True}
    assert _raw_push(push, subscription, auth({**good, "sub": "https://cityofchicago.org"})).ok

    # a tampered token: signed by another key than k
    assert _raw_push(push, subscription, auth(good, signer=theirs)).status_code == 403
    token = sign_jwt(mine, good)
    flipped = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    assert _raw_push(push, subscription, f"vapid t={flipped}, k={k}").status_code == 403
    # wrong claims
    for claims in (
        {**good, "aud": "https://fcm.googleapis.com"},
        {**good, "exp": now - 10},
        {**good, "exp": now + 25 * 3600},
        {**good, "sub": "311@cityofchicago.org"},
        {"aud": push.origin, "exp": now + 3600},
    ):
        assert _raw_push(push, subscription, auth(claims)).status_code == 401, claims
    # no or old-style authorization
    assert _raw_push(push, subscription, None).status_code == 401
    assert _raw_push(push, subscription, f"WebPush {sign_jwt(mine, good)}").status_code == 401
    # the payload rules
    assert (
        _raw_push(push, subscription, auth(good), **{"Content-Encoding": "aesgcm"}).status_code
        == 400
    )
    assert _raw_push(push, subscription, auth(good), TTL="soon").status_code == 400
    assert _raw_push(push, subscription, auth(good), Urgency="asap").status_code == 400
    assert len(push.received) == 2


# -- the event loop and the logs -------------------------------------------------------------------


async def test_sending_does_not_block_the_event_loop(push, sender):
    push.slow(2.0, times=1)
    subscription = push.new_subscription()
    ticks: list[float] = []
    done = asyncio.Event()

    async def ticker():
        while not done.is_set():
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    task = asyncio.create_task(ticker())
    started = time.monotonic()
    try:
        await send(sender, subscription)
    finally:
        done.set()
        await task
    assert time.monotonic() - started >= 2.0
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) >= 20 and max(gaps) < 1.0  # a blocking send: one gap of 2 s
    assert push.received[0].payload == PAYLOAD


async def test_the_endpoint_is_never_logged_in_full(push, sender, caplog):
    caplog.set_level(logging.DEBUG)
    subscription = push.new_subscription()
    token = subscription["endpoint"].rsplit("/", 1)[1]
    await send(sender, subscription)
    push.fail(503)
    with pytest.raises(PushUnavailable) as unavailable:
        await send(sender, subscription)
    push.expire(subscription["endpoint"])
    with pytest.raises(PushGone) as gone:
        await send(sender, subscription)
    push.slow(600, times=1)  # woken when the fake closes
    with pytest.raises(PushUnavailable) as timed_out:
        await WebPushSender(sender.keys, timeout=0.2).send(
            subscription["endpoint"],
            subscription["keys"]["p256dh"],
            subscription["keys"]["auth"],
            PAYLOAD,
        )
    refused = dict(subscription, endpoint=f"http://127.0.0.1:{unused_port()}/push/{token}")
    with pytest.raises(PushUnavailable) as not_connected:
        await send(sender, refused)

    logged = caplog.text  # every record, with any traceback
    assert token[-6:] in logged and "127.0.0.1" in logged
    assert token not in logged and token[:-6] not in logged
    for error in (unavailable, gone, timed_out, not_connected):
        assert token[:-6] not in str(error.value) and token[:-6] not in repr(error.value)
        assert error.value.__cause__ is None or token[:-6] not in str(error.value.__cause__)


async def test_payload_is_compact_json(push, sender):
    """The browser's service worker reads event.data.json(): plain UTF-8 JSON, not ASCII-escaped."""
    subscription = push.new_subscription()
    await send(sender, subscription)
    plaintext = push.received[0].plaintext
    assert json.loads(plaintext) == PAYLOAD and "谢谢".encode() in plaintext


# -- helpers ---------------------------------------------------------------------------------------


def test_helpers():
    assert (
        endpoint_origin("https://FCM.googleapis.com:443/fcm/send/abc")
        == "https://fcm.googleapis.com"
    )
    assert endpoint_origin("http://127.0.0.1:8123/push/x") == "http://127.0.0.1:8123"
    assert endpoint_origin("https://push.example:8443/x") == "https://push.example:8443"

    endpoint = "https://fcm.googleapis.com/fcm/send/cV3bQ-secret-token:APA91bXq9fZ1"
    assert redact_endpoint(endpoint) == "fcm.googleapis.com/…Xq9fZ1"

    assert is_known_push_service(endpoint)
    assert is_known_push_service("https://updates.push.services.mozilla.com/wpush/v2/gAAA")
    assert is_known_push_service("https://web.push.apple.com/QGuQyavXutnMH")
    assert not is_known_push_service("https://fcm.googleapis.com.evil.example/x")
    assert not is_known_push_service("http://fcm.googleapis.com/fcm/send/x")
    assert not is_known_push_service("https://10.0.0.5/push/x")

    now = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # any date
    assert retry_after_seconds("30") == 30.0
    assert retry_after_seconds("Sun, 29 Nov 2026 15:02:00 GMT", now=now) == 120.0
    assert retry_after_seconds("Sun, 29 Nov 2026 14:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
