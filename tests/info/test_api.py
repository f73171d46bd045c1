"""The information database over HTTP: the app API's search and article, the staff API's writes
with their audit, and the Open311 Inquiry-style reads."""

from __future__ import annotations

from datetime import date

import pytest

from backend.info.models import ArticleData
from tests.channels.staff.conftest import bearer
from tests.channels.staff.conftest import make_staff as make_staff  # a fixture

URL = "https://www.chicago.gov/city/en/depts/cdot/provdrs/parking_and_transportation/svcs/parking_permits.html"


@pytest.fixture
async def articles(services):
    for language, title, answer, keywords in (
        (
            "en",
            "Residential parking permits",
            "Zone permits let residents park on their block: buy one from the City Clerk.",
            ["zone permit", "parking zone", "guest pass"],
        ),
        (
            "es",
            "Permisos de estacionamiento residencial",
            "El permiso de zona se compra en la oficina del City Clerk.",
            ["permiso de zona", "estacionamiento"],
        ),
    ):
        await services.info.create(
            ArticleData(
                slug="residential-parking-permits",
                language=language,
                title=title,
                sms_answer=answer,
                category="parking",
                keywords=keywords,
                source_url=URL,
                checked_on=date(2026, 12, 7),  # any date
            ),
            "test",
        )


async def test_search_and_read_in_the_residents_language(client, articles):
    r = await client.get("/api/v1/info", params={"q": "zone parking permit", "lang": "en"})
    assert r.status_code == 200
    body = r.json()
    assert body["items"][0]["slug"] == "residential-parking-permits"
    assert body["items"][0]["url"] == URL
    assert body["items"][0]["smsAnswer"].startswith("Zone permits")
    r = await client.get("/api/v1/info", params={"q": "permiso de estacionamento", "lang": "es"})
    assert r.json()["items"][0]["language"] == "es"
    r = await client.get("/api/v1/info/residential-parking-permits", params={"lang": "es"})
    assert r.status_code == 200
    assert r.json()["title"] == "Permisos de estacionamiento residencial"
    assert r.json()["languages"] == ["en", "es"]
    # no Polish text: the English one, saying so
    r = await client.get("/api/v1/info/residential-parking-permits", params={"lang": "pl"})
    assert r.json()["language"] == "en"


@pytest.mark.parametrize(
    "path, params, status",
    [
        ("/api/v1/info", {}, 422),
        ("/api/v1/info", {"q": "x", "lang": "fr"}, 422),
        ("/api/v1/info", {"q": "x", "limit": "0"}, 422),
        ("/api/v1/info", {"q": "x" * 301}, 422),
        ("/api/v1/info", {"q": "a\x00b"}, 422),
        ("/api/v1/info/no-such-article", {}, 404),
        ("/api/v1/info/Bad_Slug", {}, 422),
        ("/inquiry/v1/articles/no-such-article.json", {}, 404),
        ("/inquiry/v1/articles.json", {"lang": "xx"}, 422),
    ],
)
async def test_bad_input_is_a_problem_not_a_500(client, articles, path, params, status):
    r = await client.get(path, params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_nothing_found_is_an_empty_list(client, articles):
    r = await client.get("/api/v1/info", params={"q": "qqqq zzzz"})
    assert r.status_code == 200 and r.json()["items"] == []


async def test_staff_write_and_edit_with_an_audit(client, articles, make_staff):
    _, token = await make_staff("supervisor")
    new = {
        "slug": "residential-parking-permits",
        "language": "pl",
        "title": "Pozwolenia na parkowanie dla mieszkańców",
        "smsAnswer": "Pozwolenie strefowe kupisz u City Clerk.",
        "category": "parking",
        "sourceUrl": URL,
        "checkedOn": "2026-12-07",
        "keywords": ["strefa parkowania"],
    }
    r = await client.post("/api/staff/v1/info", json=new, headers=bearer(token))
    assert r.status_code == 201, r.text
    assert r.json()["languages"] == ["en", "es", "pl"]
    again = await client.post("/api/staff/v1/info", json=new, headers=bearer(token))
    assert again.status_code == 409
    r = await client.patch(
        "/api/staff/v1/info/residential-parking-permits/pl",
        json={"validUntil": "2027-04-01", "keywords": ["strefa", "parkowanie"]},
        headers=bearer(token),
    )
    assert r.status_code == 200, r.text
    assert r.json()["validUntil"] == "2027-04-01"
    r = await client.get(
        "/api/staff/v1/info/residential-parking-permits/pl/edits", headers=bearer(token)
    )
    edits = r.json()
    assert [e["action"] for e in edits] == ["created", "updated"]
    assert edits[1]["changes"]["valid_until"] == [None, "2027-04-01"]
    assert edits[1]["actor"].startswith("staff:")
    # refused whole: nothing changes, nothing is audited
    for bad in (
        {"smsAnswer": "słowo " * 50},
        {"serviceCodes": ["NOPE"]},
        {"sourceUrl": "http://insecure.example"},
        {"validFrom": "2027-05-01"},  # after validUntil
        {"slug": "renamed"},
    ):
        r = await client.patch(
            "/api/staff/v1/info/residential-parking-permits/pl", json=bad, headers=bearer(token)
        )
        assert r.status_code == 422, (bad, r.text)
    r = await client.get(
        "/api/staff/v1/info/residential-parking-permits/pl/edits", headers=bearer(token)
    )
    assert len(r.json()) == 2
    r = await client.patch(
        "/api/staff/v1/info/no-such/pl", json={"title": "x"}, headers=bearer(token)
    )
    assert r.status_code == 404
    # residents' tokens and no token cannot write
    assert (await client.post("/api/staff/v1/info", json=new)).status_code == 401


async def test_open311_inquiry_reads_articles(client, articles):
    r = await client.get("/inquiry/v1/articles.json", params={"q": "guest pass"})
    assert r.status_code == 200
    first = r.json()[0]
    assert first["article_id"] == "residential-parking-permits"
    assert first["url"] == URL and "guest pass" in first["keywords"]
    r = await client.get("/inquiry/v1/articles.json", params={"lang": "es"})
    assert [a["lang"] for a in r.json()] == ["es"]
    r = await client.get("/inquiry/v1/articles/residential-parking-permits.json")
    assert r.status_code == 200 and r.json()["summary"].startswith("Zone permits")
