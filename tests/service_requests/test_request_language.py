"""A request records the language it was made in, from every channel — the SMS conversation's,
the app's Accept-Language, the phone call's, unknown for Open311 — and staff see it in the request,
in lookups and in queues (filterable); public views never show it. Both engines."""

from __future__ import annotations

import itertools
import re

import pytest

from backend.i18n.accept import accepted_language
from sms.channel import sms_bot
from sms.dialog import Inbound
from tests.channels.staff.conftest import bearer
from tests.factories import WICKER_PARK

STAFF = "/api/staff/v1"
PHONE = "+13125550163"
TRACKING = re.compile(r"SR\d\d-\d{8}")
POTHOLE = {
    "serviceCode": "PHF",
    "lat": WICKER_PARK[0],
    "long": WICKER_PARK[1],
    "answers": {"LOCATION": "curb_lane"},
}
# a report in each language, answered until it is filed (the first reply with a tracking number)
CONVERSATIONS = {
    "es": ["hay un bache muy hondo en 3300 W Fullerton", "si", "2", "omitir", "omitir", "omitir"],
    "pl": ["dziura w jezdni 3300 W Fullerton", "tak", "2", "pomiń", "pomiń", "pomiń"],
    "zh": ["3300 W Fullerton 路上有坑洞", "是", "2", "跳过", "跳过", "跳过"],
}
_sids = itertools.count(1)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, None),
        ("", None),
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("fr-CA, pl;q=0.4, en;q=0.3", "pl"),
        ("zh-Hant-TW", "zh"),
        ("en;q=0.2, zh;q=0.9", "zh"),
        ("fr, de", None),
        ("*", None),
        ("es;q=0, en", "en"),
        ("es;q=abc, pl", "pl"),
        ("es;q=7, pl;q=0.5", "pl"),
        (";;,,,es", "es"),
    ],
)
def test_accept_language_picks_a_language_city311_speaks(header, language):
    assert accepted_language(header) == language


@pytest.fixture
async def supervisor(services) -> dict[str, str]:
    user = await services.staff.create_user("sam", "correct horse battery", "supervisor", [])
    return bearer(services.staff_tokens.access_token(await services.staff.principal(user.id)))


async def staff_request(client, headers, tn: str) -> dict:
    response = await client.get(f"{STAFF}/requests/{tn}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_app_records_the_residents_language(client, supervisor):
    said = {}
    for header in ("es-MX,en;q=0.5", "fr", None):
        headers = {"Accept-Language": header} if header else {}
        created = await client.post("/api/v1/requests", json=POTHOLE, headers=headers)
        assert created.status_code == 201, created.text
        said[header] = created.json()["trackingNumber"]
        assert "language" not in created.json()  # the public view never shows it
    seen = {h: (await staff_request(client, supervisor, tn))["language"] for h, tn in said.items()}
    assert seen == {"es-MX,en;q=0.5": "es", "fr": None, None: None}


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
async def test_a_texted_request_records_the_conversations_language(
    client, services, supervisor, language
):
    bot = sms_bot(services)
    tn = None
    for body in CONVERSATIONS[language]:
        reply = await bot.handle(Inbound(f"SL{next(_sids):032x}", PHONE, body))
        if found := TRACKING.search(reply or ""):
            tn = found.group()
            break
    assert tn is not None, f"not filed: {reply}"
    assert (await staff_request(client, supervisor, tn))["language"] == language
    # and in the lookup by the reporter's phone
    found = await client.get(f"{STAFF}/requests", params={"phone": PHONE}, headers=supervisor)
    assert [(r["trackingNumber"], r["language"]) for r in found.json()["items"]] == [(tn, language)]
    # public views never show it
    public = (await client.get(f"/api/v1/requests/{tn}")).json()
    open311 = (await client.get(f"/open311/v2/requests/{tn}.json")).json()
    assert "language" not in public and all("language" not in r for r in open311)


async def test_a_phone_intake_records_the_callers_language_and_queues_filter_by_it(
    client, services, supervisor
):
    made = {}
    for language in ("pl", "zh", "en"):
        payload = {**POTHOLE, "language": language}
        payload.pop("lat"), payload.pop("long")
        payload["address"] = "1845 W Cortland St"
        taken = await client.post(f"{STAFF}/requests", json=payload, headers=supervisor)
        assert taken.status_code == 201, taken.text
        assert taken.json()["request"]["language"] == language
        made[language] = taken.json()["request"]["trackingNumber"]
    department = (await staff_request(client, supervisor, made["pl"]))["workOrders"][0]
    queue = f"{STAFF}/departments/{department['departmentId']}/queue"
    everyone = (await client.get(queue, headers=supervisor)).json()["items"]
    assert {w["trackingNumber"]: w["language"] for w in everyone} == {
        tn: language for language, tn in made.items()
    }
    polish = await client.get(queue, params={"language": "PL"}, headers=supervisor)
    assert [w["trackingNumber"] for w in polish.json()["items"]] == [made["pl"]]
    nearby = await client.get(
        f"{STAFF}/requests", params={"address": "1845 W Cortland St"}, headers=supervisor
    )
    assert {r["language"] for r in nearby.json()["items"]} == {"pl", "zh", "en"}
    for bad in ("x", "a" * 9):
        refused = await client.get(queue, params={"language": bad}, headers=supervisor)
        assert refused.status_code in (400, 422), refused.text


async def test_an_open311_request_has_no_language(client, services, supervisor):
    key = (await services.api_keys.create("tests")).key
    response = await client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "PHF",
            "lat": str(WICKER_PARK[0]),
            "long": str(WICKER_PARK[1]),
            "attribute[LOCATION]": "curb_lane",
        },
        headers={"Accept-Language": "es"},
    )
    assert response.status_code == 200, response.text
    tn = response.json()[0]["service_request_id"]
    assert (await staff_request(client, supervisor, tn))["language"] is None


FILL_SCRIPT = """
import asyncio, json
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine import engine_finder

async def one(engine, sql):
    return (await engine.run_ddl(sql))[0]["id"]

async def main():
    assert (await run_forwards(app_name="city311", migration_id="BEFORE_ID")).success
    engine = engine_finder()
    department = await one(engine, "INSERT INTO department (name, slug) "
                                   "VALUES ('Streets', 'streets') RETURNING id")
    service_type = await one(engine, "INSERT INTO service_type (code, name, department) "
                                     f"VALUES ('PHF', 'Pothole', {department}) RETURNING id")

    async def request(n, channel, phone="NULL", intake="NULL"):
        return await one(engine,
            "INSERT INTO service_request (tracking_number, service_type, status, latitude, "
            "longitude, channel, reporter_phone, intake_language) VALUES "
            f"('SR26-{n:08d}', {service_type}, 'open', 41.9, -87.6, '{channel}', {phone}, "
            f"{intake}) RETURNING id")

    followed = await request(1, "sms", "'+13125550101'")
    await engine.run_ddl("INSERT INTO subscription (request, kind, target, language) VALUES "
                         f"({followed}, 'phone', '+13125550101', 'es')")
    await request(2, "sms", "'+13125550102'")  # unfollowed since: the conversation's language
    await engine.run_ddl("INSERT INTO sms_conversation (phone, language, updated_at) VALUES "
                         "('+13125550102', 'pl', '2026-11-01 12:00:00+00:00')")
    await request(3, "sms", "'+13125550103'")  # nothing to tell: unknown
    await request(4, "phone", intake="'zh'")
    await request(5, "app")
    assert (await run_forwards(app_name="city311", migration_id="all")).success
    rows = await engine.run_ddl(
        "SELECT tracking_number, language FROM service_request ORDER BY tracking_number")
    print("RESULT", json.dumps({r["tracking_number"]: r["language"] for r in rows}))

asyncio.run(main())
"""


async def test_requests_made_before_the_column_get_their_language(tmp_path):
    from backend.migrations.city311_0027_request_language import ID
    from tests.test_migrations import migration_ids, run_in_a_new_database

    ids = migration_ids()
    script = FILL_SCRIPT.replace("BEFORE_ID", ids[ids.index(ID) - 1])
    assert await run_in_a_new_database(script, tmp_path) == {
        "SR26-00000001": "es",
        "SR26-00000002": "pl",
        "SR26-00000003": None,
        "SR26-00000004": "zh",
        "SR26-00000005": None,
    }


async def test_an_intake_language_is_a_code_and_a_caller_texted_in_one_city311_writes(
    client, services, supervisor
):
    payload = {
        "serviceCode": "PHF",
        "address": "1845 W Cortland St",
        "answers": {"LOCATION": "curb_lane"},
        "caller": {"phone": "(312) 555-0142"},
        "notifyCaller": True,
    }
    made = {}
    for sent in ("ES", "pt-BR"):
        taken = await client.post(
            f"{STAFF}/requests", json={**payload, "language": sent}, headers=supervisor
        )
        assert taken.status_code == 201, taken.text
        made[sent] = taken.json()["request"]
    assert made["ES"]["language"] == "es" and made["pt-BR"]["language"] == "pt-br"
    # the Portuguese caller follows in English (City311 writes en, es, pl, zh), and a change
    # to the request tells them in it
    tn = made["pt-BR"]["trackingNumber"]
    followers = await services.requests.repo.subscribers((await services.requests.get(tn)).id)
    assert [f.language for f in followers] == ["en"]
    changed = await client.post(
        f"{STAFF}/requests/{tn}/transitions", json={"to": "open"}, headers=supervisor
    )
    assert changed.status_code == 200, changed.text
    refused = await client.post(
        f"{STAFF}/requests", json={**payload, "language": "Spanish"}, headers=supervisor
    )
    assert refused.status_code == 422 and "language" in refused.text
