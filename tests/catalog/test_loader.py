"""load_catalog and load_catalog_snapshot against a real database (`db` of tests/conftest.py)."""

from __future__ import annotations

import json

from backend.catalog.loader import QUESTIONS_JSON, load_catalog, read_service_types
from backend.catalog.snapshot import Catalog, load_catalog_snapshot
from backend.catalog.tables import Department, ServiceQuestion, ServiceType


async def table_dump() -> tuple[list, list, list]:
    return (
        await Department.select().order_by(Department._meta.primary_key),
        await ServiceType.select().order_by(ServiceType._meta.primary_key),
        await ServiceQuestion.select().order_by(ServiceQuestion._meta.primary_key),
    )


async def test_load_is_idempotent_and_snapshot_reads_it(db):
    counts = await load_catalog()
    rows = read_service_types()
    assert counts["service_types"] == len(rows)
    assert counts["departments"] == len({r["department"] for r in rows})
    assert counts["questions"] > 50
    before = await table_dump()
    assert await load_catalog() == counts
    assert await table_dump() == before

    catalog = await load_catalog_snapshot()
    assert isinstance(catalog, Catalog)
    assert len(catalog.types) + len(catalog.private) == counts["service_types"]
    assert [t.code for t in catalog.private] == ["ARS"]  # a police report: never listed
    every = (*catalog.types, *catalog.private)
    assert sum(len(t.questions) for t in every) == counts["questions"]

    pothole = catalog.by_code("phf")
    assert pothole is not None and catalog.by_id(pothole.id) is pothole
    assert pothole.open311_code == "4fd3b656e750846c53000004"
    assert pothole.department == "CDOT - Department of Transportation"
    assert pothole.group == "Transportation and Streets"
    assert pothole.sla_days is not None and pothole.active
    location = pothole.questions[0]
    assert location.code == "LOCATION" and location.position == 0
    assert "traffic_lane" in {c.key for c in location.choices}
    assert catalog.by_code("NOPE") is None

    info_call = catalog.by_code("311IOC")
    assert info_call is not None and not info_call.active
    groups = catalog.groups()
    assert [g for g, _ in groups] == sorted(g for g, _ in groups)
    listed = [t for _, types in groups for t in types]
    assert info_call not in listed and all(t.active for t in listed)
    for _, types in groups:
        assert [t.popularity for t in types] == sorted((t.popularity for t in types), reverse=True)


async def test_reload_updates_and_deletes_questions(db, tmp_path):
    await load_catalog()
    specs = json.loads(QUESTIONS_JSON.read_text(encoding="utf-8"))
    graffiti = specs["GRAF"]
    graffiti["sla_days"] = 3
    graffiti["questions"] = [q for q in graffiti["questions"] if q["code"] != "OFFENSIVE"]
    graffiti["questions"][0]["label"] = "What is the graffiti on?"
    graffiti["questions"][0]["choices"].append({"key": "plastic", "name": "Plastic"})
    graffiti["questions"].append(
        {"code": "COLOR", "label": "What color is it?", "description": "", "datatype": "string",
         "required": False, "choices": []}
    )  # fmt: skip
    edited = tmp_path / "questions.json"
    edited.write_text(json.dumps(specs), encoding="utf-8")

    try:
        counts = await load_catalog(questions_json=edited)
        catalog = await load_catalog_snapshot()
        graf = catalog.by_code("GRAF")
        assert graf is not None and graf.sla_days == 3
        codes = [q.code for q in graf.questions]
        assert "OFFENSIVE" not in codes and codes[-1] == "COLOR"
        assert [q.position for q in graf.questions] == list(range(len(codes)))
        assert graf.questions[0].label == "What is the graffiti on?"
        assert graf.questions[0].choices[-1].key == "plastic"

        before = await table_dump()
        assert await load_catalog(questions_json=edited) == counts
        assert await table_dump() == before
    finally:
        await load_catalog()  # back to the shipped file: other tests use the loaded catalog
    restored = (await load_catalog_snapshot()).by_code("GRAF")
    assert restored is not None and "OFFENSIVE" in [q.code for q in restored.questions]
