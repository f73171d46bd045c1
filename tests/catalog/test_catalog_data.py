"""The catalog data files: service_types.csv parses with unique codes, questions.json is valid."""

from __future__ import annotations

import csv
import json
import re

import pytest

from backend.catalog.loader import (
    DATATYPES,
    LIST_DATATYPES,
    QUESTIONS_JSON,
    SERVICE_TYPES_CSV,
    read_questions,
    read_service_types,
)

# Chicago's Open311 GeoReport ids, from shared/data/sr311/open311_service_codes.csv.
REAL_OPEN311 = {
    "PHF": ("Pothole in Street Complaint", "4fd3b656e750846c53000004"),
    "GRAF": ("Graffiti Removal Request", "4fd3b167e750846744000005"),
    "SGA": ("Rodent Baiting/Rat Complaint", "4fd3b9bce750846c5300004a"),
    "SFD": ("Street Light Out Complaint", "4ffa9f2d6018277d400000c8"),
    "SKA": ("Abandoned Vehicle Complaint", "4ffa4c69601827691b000018"),
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with SERVICE_TYPES_CSV.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def questions() -> dict:
    return json.loads(QUESTIONS_JSON.read_text(encoding="utf-8"))


def test_csv_parses_with_unique_short_codes(rows):
    assert list(rows[0]) == [
        "code", "name", "department", "group", "open311_code", "popularity", "description",
        "active", "code_source",
    ]  # fmt: skip
    assert len(rows) >= 130
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z0-9]{1,16}", c) for c in codes)
    assert len({r["name"].casefold() for r in rows}) == len(rows)
    for r in rows:
        assert r["name"] and r["department"] and r["group"] and r["description"]
        assert int(r["popularity"]) >= 0
        assert r["active"] in ("true", "false")
        assert r["code_source"] in ("chicago", "city311")
    assert len(read_service_types()) == len(rows)


def test_real_types_carry_chicago_codes(rows):
    by_code = {r["code"]: r for r in rows}
    for code, (name, open311) in REAL_OPEN311.items():
        assert by_code[code]["name"] == name
        assert by_code[code]["open311_code"] == open311
        assert by_code[code]["code_source"] == "chicago"
        assert by_code[code]["active"] == "true"


def test_internal_types_are_inactive(rows):
    inactive = {r["name"] for r in rows if r["active"] == "false"}
    assert "311 INFORMATION ONLY CALL" in inactive
    assert "Tree Trim Request (NO LONGER BEING ACCEPTED)" in inactive
    assert len(inactive) < 10


def test_questions_json_is_valid(questions, rows):
    specs = read_questions()  # raises on any structural problem
    assert set(specs) == set(questions)
    csv_codes = {r["code"] for r in rows}
    assert set(questions) <= csv_codes
    used = set()
    for type_code, entry in questions.items():
        assert {"sla_days", "questions"} <= set(entry) <= {"sla_days", "questions", "private"}
        assert entry["sla_days"] is None or entry["sla_days"] >= 0
        codes = [q["code"] for q in entry["questions"]]
        assert len(set(codes)) == len(codes), type_code
        for q in entry["questions"]:
            assert set(q) == {"code", "label", "description", "datatype", "required", "choices"}
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*", q["code"]) and len(q["code"]) <= 40
            assert q["datatype"] in DATATYPES
            assert isinstance(q["required"], bool)
            used.add(q["datatype"])
            if q["datatype"] in LIST_DATATYPES:
                assert q["choices"], f"{type_code}.{q['code']} has no choices"
                keys = [c["key"] for c in q["choices"]]
                assert len(set(keys)) == len(keys)
                assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", k) for k in keys)
                assert all(c["name"] for c in q["choices"])
            else:
                assert q["choices"] == []
    assert used == set(DATATYPES)


def test_fifteen_most_popular_active_types_have_questions(questions, rows):
    active = [r for r in rows if r["active"] == "true"]
    top = sorted(active, key=lambda r: -int(r["popularity"]))[:15]
    assert {"PHF", "GRAF", "SGA", "SFD", "SKA"} <= {r["code"] for r in top}
    for r in top:
        assert questions.get(r["code"], {}).get("questions"), f"{r['code']} {r['name']}"


def test_questions_use_the_citys_legacy_values(questions):
    surface = {c["name"] for q in questions["GRAF"]["questions"] if q["code"] == "SURFACE"
               for c in q["choices"]}  # fmt: skip
    assert {"Brick - Unpainted", "Brick - Painted", "Aluminum Siding", "Marble/Granite"} <= surface
    days = next(q for q in questions["SKA"]["questions"] if q["code"] == "DAYS_PARKED")
    assert days["datatype"] == "number" and days["required"] is True
