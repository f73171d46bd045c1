"""The back office's bounds: no edit can leave a value that the next start, a submit or an Open311
page fails on, and no table API query reaches the database unchecked (4xx, never 500)."""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest
from lxml import etree

from backend.app import attach_services, create_app
from backend.catalog.loader import load_catalog
from backend.catalog.tables import ServiceQuestion, ServiceType
from backend.services import provide_services
from tests.factories import WICKER_PARK

from .test_admin import api

TYPES = "/admin/api/tables/service_type"
QUESTIONS = "/admin/api/tables/service_question"
BIG = 2**40


@pytest.fixture
async def admin(client, make_staff):
    _, token = await make_staff("admin")
    return api(token)


@pytest.fixture
async def pothole_ids():
    type_id = (
        await ServiceType.select(ServiceType._meta.primary_key).where(ServiceType.code == "PHF")
    )[0]["id"]
    question = await ServiceQuestion.select(ServiceQuestion._meta.primary_key).where(
        (ServiceQuestion.service_type == type_id) & (ServiceQuestion.code == "LOCATION")
    )
    return type_id, question[0]["id"]


@pytest.fixture
async def restored_catalog(migrated):
    """The catalog as the data files have it again after the test (load_catalog re-applies them)."""
    yield
    await load_catalog()


@pytest.mark.parametrize(
    "changes,column",
    [
        ({"sla_days": 3651}, "sla_days"),
        ({"sla_days": -1}, "sla_days"),
        ({"sla_days": 10**9}, "sla_days"),
        ({"sla_days": BIG}, "sla_days"),
        ({"sla_days": 10**30}, "sla_days"),
        ({"popularity": BIG}, "popularity"),
        ({"department": BIG}, "department"),
        ({"name": "Pothole\x00"}, "name"),
        ({"name": "Pothole\ufffe"}, "name"),
        ({"name": "Pot\nhole"}, "name"),
        ({"description": "x" * 4001}, "description"),
        ({"description": "a\uffff"}, "description"),
        ({"open311_code": "x\x00"}, "open311_code"),
        ({"checklist": "[" * 5000 + "]" * 5000}, "checklist"),
        ({"checklist": '[{"id": "a", "text": "\\u0000"}]'}, "checklist.a"),
        (
            {"checklist": json.dumps([{"id": f"s{i}", "text": "Ask"} for i in range(51)])},
            "checklist",
        ),
    ],
)
async def test_service_type_values_out_of_bounds_are_422(
    client, admin, pothole_ids, restored_catalog, changes, column
):
    r = await client.patch(f"{TYPES}/{pothole_ids[0]}/", json=changes, headers=admin)
    assert r.status_code == 422, r.text
    assert column in r.text


@pytest.mark.parametrize(
    "changes,column",
    [
        ({"label": "L" * 501}, "label"),
        ({"label": "Where\x00"}, "label"),
        ({"label": "Two\nlines"}, "label"),
        ({"position": BIG}, "position"),
        ({"position": 10_001}, "position"),
        ({"service_type": BIG}, "service_type"),
        ({"choices": '[{"key": "a", "name": "\\uffff"}]'}, "choices.a"),
        ({"choices": json.dumps([{"key": "a", "name": "N" * 121}])}, "choices.a"),
        ({"choices": json.dumps([{"key": f"k{i}", "name": "N"} for i in range(101)])}, "choices"),
    ],
)
async def test_question_values_out_of_bounds_are_422(
    client, admin, pothole_ids, restored_catalog, changes, column
):
    r = await client.patch(f"{QUESTIONS}/{pothole_ids[1]}/", json=changes, headers=admin)
    assert r.status_code == 422, r.text
    assert column in r.text


async def test_staff_account_values_out_of_bounds_are_422(client, make_staff, admin):
    user_id, _ = await make_staff("operator", "olga")
    for changes in (
        {"failed_logins": BIG},
        {"locked_until": "9999-12-31T23:59:59-12:00"},
        {"disabled_at": "0001-01-01T00:00:00+14:00"},
    ):
        r = await client.patch(
            f"/admin/api/tables/staff_user/{user_id}/", json=changes, headers=admin
        )
        assert r.status_code == 422, (changes, r.text)
    r = await client.post(
        "/admin/api/tables/staff_department/", json={"user": BIG, "department": 1}, headers=admin
    )
    assert r.status_code == 422, r.text


async def test_edits_at_every_bound_leave_a_catalog_that_starts_and_serves(
    client, admin, pothole_ids, settings, services, restored_catalog
):
    type_id, question_id = pothole_ids
    edits = [
        (
            f"{TYPES}/{type_id}/",
            {
                "name": "Ż" * 160,
                "description": "Dziura\tw jezdni\r\n" + "d" * 3980,
                "sla_days": 3650,
                "popularity": 2**31 - 1,
                "checklist": json.dumps(
                    [{"id": f"s{i}", "text": "&<>\"'x" * 50} for i in range(50)]
                ),
            },
        ),
        (
            f"{QUESTIONS}/{question_id}/",
            {
                "label": "<Where>& " * 55 + "ab",
                "choices": json.dumps(
                    [{"key": "curb_lane", "name": "N" * 120}]
                    + [{"key": f"k{i}", "name": "路"} for i in range(99)]
                ),
            },
        ),
    ]
    for url, changes in edits:
        r = await client.patch(url, json=changes, headers=admin)
        assert r.status_code == 200, r.text

    # the next start: a new snapshot of the catalog, and an app on it
    fresh = await provide_services(settings)
    try:
        app = create_app(settings, scheduler=False)
        attach_services(app, dataclasses.replace(fresh, settings=settings))
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's ASGI types are not httpx's
        async with httpx.AsyncClient(transport=transport, base_url=str(client.base_url)) as web:
            submitted = await web.post(
                "/api/v1/requests",
                json={
                    "serviceCode": "PHF",
                    "lat": WICKER_PARK[0],
                    "long": WICKER_PARK[1],
                    "answers": {"LOCATION": "N" * 120},
                },
            )
            assert submitted.status_code == 201, submitted.text
            for path in (
                "/api/v1/services",
                "/api/v1/services/PHF",
                "/open311/v2/services.json",
                "/open311/v2/services/PHF.json",
                "/open311/v2/requests.json",
            ):
                assert (await web.get(path)).status_code == 200, path
            for path in (
                "/open311/v2/services.xml",
                "/open311/v2/services/PHF.xml",
                "/open311/v2/requests.xml",
            ):
                page = await web.get(path)
                assert page.status_code == 200, path
                etree.fromstring(page.content)  # well-formed
            (request,) = etree.fromstring((await web.get("/open311/v2/requests.xml")).content)
            assert request.findtext("service_name") == "Ż" * 160
            assert request.findtext("expected_datetime")
    finally:
        await fresh.close()
