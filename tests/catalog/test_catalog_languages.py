"""The catalog in the resident's and the operator's language: the app's catalog (names,
descriptions, questions, hints, options) follows Accept-Language, and a request's intake checklist
comes in the console's language; English when neither asks for es, pl or zh. Both engines."""

from __future__ import annotations

import pytest

from backend.catalog.translate import localized
from backend.i18n.catalogs import LANGUAGES
from tests.channels.staff.conftest import bearer
from tests.factories import pothole

HINT = {  # PHF's DEEP_HOLE question's hint
    "en": "Cave-ins and sinkholes are sent to an inspector, not a patch crew.",
    "es": "Los hundimientos y socavones se mandan a un inspector, no a una cuadrilla de parcheo.",
    "pl": "Zapadnięcia i leje trafiają do inspektora, a nie do ekipy łatającej.",
    "zh": "塌陷和地陷会派检查员，而不是补路队。",
}
DESCRIPTION = {  # PHF's
    "en": "Report locations of street potholes. Use Alley Pot Hole to report potholes in alleys.",
    "es": "Para reportar baches en la calle. Para baches en callejones use Bache en callejón.",
    "pl": "Zgłoszenie dziur w jezdni. Dziury w alejkach zgłaszaj jako Dziura w alejce.",
    "zh": "用于举报街道坑洞。后巷里的坑洞请用“后巷坑洞”。",
}
ASK_LOCATION = {  # PHF's checklist step "location", its first words
    "en": "Ask where in the street",
    "es": "Pregunte en qué parte de la calle",
    "pl": "Zapytaj, w której części ulicy",
    "zh": "询问坑洞在街道的哪个位置",
}


def _pothole(catalog: dict) -> dict:
    services = [s for group in catalog["groups"] for s in group["services"]]
    return next(s for s in services if s["code"] == "PHF")


@pytest.mark.parametrize(
    ("header", "language"),
    [(None, "en"), ("es-MX,es;q=0.9", "es"), ("pl", "pl"), ("zh-CN", "zh"), ("fr", "en")],
)
async def test_the_apps_catalog_speaks_the_residents_language(client, services, header, language):
    headers = {"Accept-Language": header} if header else {}
    listed = await client.get("/api/v1/services", headers=headers)
    one = await client.get("/api/v1/services/PHF", headers=headers)
    for response in (listed, one):
        assert response.status_code == 200, response.text
        assert response.headers["content-language"] == language
        assert "accept-language" in response.headers["vary"].lower()
    phf = _pothole(listed.json())
    assert phf == one.json()
    expected = localized(services.catalog.by_code("PHF"), language)
    assert phf["name"] == expected.name
    assert phf["description"] == DESCRIPTION[language]
    deep = next(q for q in phf["questions"] if q["code"] == "DEEP_HOLE")
    assert deep["description"] == HINT[language]
    location = next(q for q in phf["questions"] if q["code"] == "LOCATION")
    assert [c["key"] for c in location["choices"]] == [
        c.key for c in services.catalog.by_code("PHF").questions[0].choices
    ]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_checklist_comes_in_the_consoles_language(client, services, language):
    user = await services.staff.create_user("olga", "correct horse battery", "operator", [])
    headers = bearer(services.staff_tokens.access_token(await services.staff.principal(user.id)))
    tn = (await services.requests.submit(pothole())).request.tracking_number
    seen = await client.get(
        f"/api/staff/v1/requests/{tn}", headers={**headers, "Accept-Language": language}
    )
    assert seen.status_code == 200, seen.text
    steps = {s["id"]: s["text"] for s in seen.json()["checklist"]}
    assert steps["location"].startswith(ASK_LOCATION[language])
    english = {s.id: s.text for s in services.catalog.by_code("PHF").checklist}
    assert steps.keys() == english.keys()
    if language != "en":  # every step translated
        assert all(steps[k] != english[k] for k in english)


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_description_checklist_and_hint_is_translated(services, language):
    for service in services.catalog.types:
        if not service.active:
            continue
        there = localized(service, language)
        assert there.description != service.description, service.code
        for step, english in zip(there.checklist, service.checklist, strict=True):
            assert step.id == english.id and step.text != english.text, (service.code, step.id)
        for q, english in zip(there.questions, service.questions, strict=True):
            if english.description:
                assert q.description != english.description, (service.code, q.code)


GROUP = {"en": "Transportation and Streets", "es": "Transporte y calles", "pl": "Transport i ulice",
         "zh": "交通和街道"}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_groups_names_too(client, language):
    catalog = (await client.get("/api/v1/services", headers={"Accept-Language": language})).json()
    for group in catalog["groups"]:
        assert {s["group"] for s in group["services"]} == {group["name"]}
    assert _pothole(catalog)["group"] == GROUP[language]
    one = await client.get("/api/v1/services/PHF", headers={"Accept-Language": language})
    assert one.json()["group"] == GROUP[language]
