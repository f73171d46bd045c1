"""No secret in any log line: requests carrying every kind of secret we know (an Open311 api_key in
the query string and the body, staff passwords and tokens, device tokens, Twilio's signature and
auth token) against a real `city311 serve` whose whole log, access log included, is read back;
the same requests in process with every logger at DEBUG; and the masking rules themselves."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from backend import log_secrets
from backend.log_secrets import mask
from tests.fakes.live_server import LiveServer
from tests.fakes.twilio_server import signed_request

PASSWORD = "a passphrase nobody logs"
TWILIO_TOKEN = "0123456789abcdef0123456789abcdef"
TWILIO_SID = "AC" + "1" * 32
FORGED = "Zm9yZ2VkLXNpZ25hdHVyZS12YWx1ZQ=="


def drive(base: str, client: httpx.Client, api_key: str, *, twilio: bool) -> list[str]:
    """Calls that carry secrets, the way clients send them; the secrets sent."""
    secrets = [api_key, PASSWORD, "not the passphrase either", FORGED]
    o = f"{base}/open311/v2"
    client.get(f"{o}/requests.json", params={"api_key": api_key, "page_size": "5"})
    client.get(f"{o}/services.xml?api_key={api_key}")
    client.head(f"{o}/services.json?api_key={api_key}")
    client.post(
        f"{o}/requests.json?api_key={api_key}",
        content=urlencode(
            {
                "api_key": api_key,
                "service_code": "SGA",
                "address_string": "1845 W Cortland St",
                "attribute[WHERE_SEEN][]": "alley",
            }
        ),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    client.post(f"{o}/requests.json", data={"api_key": api_key + "x", "service_code": "SGA"})

    s = f"{base}/api/staff/v1"
    client.post(f"{s}/auth/login", json={"username": "logger", "password": secrets[2]})
    client.post(f"{s}/auth/login", json={"username": "nobody", "password": secrets[2]})
    tokens = client.post(f"{s}/auth/login", json={"username": "logger", "password": PASSWORD})
    access, refresh = tokens.json()["accessToken"], tokens.json()["refreshToken"]
    client.get(f"{s}/me", headers={"Authorization": f"Bearer {access}"})
    client.get(f"{s}/me?access_token={access}")  # a client that puts it in the query
    renewed = client.post(f"{s}/auth/refresh", json={"refreshToken": refresh}).json()
    client.post(f"{s}/auth/logout", json={"refreshToken": renewed["refreshToken"]})
    client.get(f"{s}/me", headers={"Authorization": f"Bearer {access}x"})
    secrets += [access, refresh, renewed["accessToken"], renewed["refreshToken"]]

    device = client.post(f"{base}/api/v1/devices", json={"platform": "web"}).json()["token"]
    client.get(f"{base}/api/v1/me/requests", headers={"Authorization": f"Bearer {device}"})
    client.get(f"{base}/api/v1/me/requests?token={device}")
    client.get(f"{base}/api/v1/me/requests", headers={"Authorization": f"Bearer {device}0"})
    secrets.append(device)

    inbound = f"{base}/sms/twilio/inbound"
    params = {
        "MessageSid": "SM" + "2" * 32,
        "AccountSid": TWILIO_SID,
        "From": "+13125550142",
        "To": "+13125550000",
        "Body": "HELP",
        "NumMedia": "0",
    }
    headers, content = signed_request(TWILIO_TOKEN, inbound, params)
    if twilio:
        answer = client.post(inbound, content=content, headers=headers)
        assert answer.status_code == 200, answer.text
        secrets.append(headers["X-Twilio-Signature"])
    forged = {**headers, "X-Twilio-Signature": FORGED}
    assert client.post(inbound, content=content, headers=forged).status_code == 403
    client.post(f"{inbound}?Signature={FORGED}", content=content, headers=forged)
    return secrets


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text]


@pytest.mark.slow
async def test_no_secret_reaches_the_log_of_a_real_server(services, tmp_path: Path):
    api_key = (await services.api_keys.create("log test")).key
    await services.staff.create_user("logger", PASSWORD, "operator")
    log = tmp_path / "server.log"
    env = {
        "CITY311_SCHEDULER": "off",
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_FROM_NUMBER": "+13125550000",
    }
    server = LiveServer(env, own_base_url=True, log=log)
    try:
        with httpx.Client(timeout=30) as client:
            secrets = drive(server.base, client, api_key, twilio=True)
    finally:
        server.stop()
    text = log.read_text(errors="replace")
    assert '"GET /open311/v2/requests.json?api_key=***&page_size=5 HTTP/1.1" 200' in text
    assert "POST /api/staff/v1/auth/login" in text  # the access log is there, masked
    assert not leaks(text, [*secrets, TWILIO_TOKEN])


async def test_no_secret_reaches_any_logger_in_process(client, services, caplog):
    api_key = (await services.api_keys.create("log test")).key
    await services.staff.create_user("logger", PASSWORD, "operator")
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG):
            secrets = await _drive(client, "http://testserver.local", api_key)
    finally:
        root.setLevel(level)
    formatter = logging.Formatter("%(name)s %(message)s")
    text = "\n".join(formatter.format(r) for r in caplog.records)
    assert caplog.records and not leaks(text, secrets)


async def _drive(client: httpx.AsyncClient, base: str, api_key: str) -> list[str]:
    o = f"{base}/open311/v2"
    secrets = [api_key, PASSWORD, FORGED]
    await client.get(f"{o}/requests.json", params={"api_key": api_key})
    # the api_key in the query string only, as some clients send it: accepted
    posted = await client.post(
        f"{o}/requests.json?api_key={api_key}",
        data={
            "service_code": "SGA",
            "address_string": "1845 W Cortland St",
            "attribute[WHERE_SEEN][]": "alley",
        },
    )
    assert posted.status_code == 200, posted.text
    s = f"{base}/api/staff/v1"
    await client.post(f"{s}/auth/login", json={"username": "logger", "password": PASSWORD + "!"})
    tokens = (
        await client.post(f"{s}/auth/login", json={"username": "logger", "password": PASSWORD})
    ).json()
    await client.get(f"{s}/me", headers={"Authorization": f"Bearer {tokens['accessToken']}"})
    await client.post(f"{s}/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    device = (await client.post(f"{base}/api/v1/devices", json={})).json()["token"]
    await client.get(f"{base}/api/v1/me/requests", headers={"Authorization": f"Bearer {device}"})
    await client.post(
        f"{base}/sms/twilio/inbound",
        content=b"Body=HELP&From=%2B13125550142",
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": FORGED,
        },
    )
    return [*secrets, tokens["accessToken"], tokens["refreshToken"], device]


@pytest.mark.parametrize(
    "line, hidden",
    [
        (
            '"GET /open311/v2/requests.json?api_key=c311_abcdefgh12345678&page=2 HTTP/1.1" 200',
            "c311_",
        ),
        ("POST /x?page=1&API_KEY=c311_zzzzzzzz99999999", "zzzz"),
        ('{"username": "ada", "password": "correct horse battery staple"}', "horse"),
        ("{'refreshToken': 'AbCdEf0123456789'}", "AbCdEf"),
        ('body b\'{\\"password\\": \\"two words\\"}\'', "two words"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJ"),
        ("Authorization: Basic QUMxMjM0OnNlY3JldA==", "QUMx"),
        ("headers {'X-Twilio-Signature': 'abc+/def=', 'Host': 'x'}", "abc+/def="),
        ("refresh_token=Zz9-_aa; Path=/admin", "Zz9-_aa"),
        ("a stray key c311_Q1w2E3r4T5y6U7i8 in text", "Q1w2"),
        ("token 12.0123456789abcdef0123456789abcdef.1765000000.AbCdEfGhIjKlMnOpQrSt", "AbCdEfGh"),
        ("Signature=abcdEFGH%2Bxyz&Body=HELP", "abcdEFGH"),
    ],
)
def test_masking_hides_each_kind_of_secret(line: str, hidden: str):
    masked = mask(line)
    assert hidden not in masked and "***" in masked


@pytest.mark.parametrize(
    "line",
    [
        "purge: {'idempotency_keys': 1, 'login_failures': 0, 'orphan_photos': 2}",
        '"GET /open311/v2/requests.json?service_code=PHF&page_size=200 HTTP/1.1" 200',
        "sms from +1312555**** : replied",
        "catalog loaded: 12 rows written",
    ],
)
def test_masking_leaves_ordinary_lines_alone(line: str):
    assert mask(line) == line


def test_configured_secrets_are_masked_by_value_and_numbers_stay_numbers():
    log_secrets.register("s3cr3t-configured-value", "short")
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "%s sent %d with %s",
        ("a", 200, "s3cr3t-configured-value"),
        None,
    )
    log_secrets.mask_record(record)
    assert record.getMessage() == "a sent 200 with ***"
    assert mask("short") == "short"  # too short to be registered
