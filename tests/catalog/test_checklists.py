"""Intake checklists (data/checklists.json → service_type.checklist) and service keywords
(data/keywords.json → the snapshot only): the files, and the loaded catalog on the database."""

from __future__ import annotations

import json
import re

import pytest

from backend.catalog.loader import (
    CHECKLISTS_JSON,
    KEYWORDS_JSON,
    STEP_TEXT_MAX,
    load_catalog,
    read_checklists,
    read_keywords,
    read_questions,
    read_service_types,
    step_id,
)
from backend.catalog.snapshot import ChecklistStep, decode_checklist, load_catalog_snapshot
from backend.catalog.tables import Department, ServiceQuestion, ServiceType

TOP = 15


def most_requested_active(n: int = TOP) -> list[dict]:
    active = [t for t in read_service_types() if t["active"]]
    return sorted(active, key=lambda t: (-t["popularity"], t["name"]))[:n]


# --- the files (no database) -----------------------------------------------------------------


def test_the_most_requested_active_types_have_checklists():
    checklists = read_checklists()  # raises on any structural problem
    top = most_requested_active()
    codes = [t["code"] for t in top]
    assert "311IOC" not in codes and "SEF" not in codes  # inactive, though requested more
    assert {"PHF", "GRAF", "SGA", "SFD", "SKA", "AVN"} <= set(codes)
    for t in top:
        steps = checklists.get(t["code"], ())
        assert len(steps) >= 3, f"{t['code']} {t['name']}: {len(steps)} steps"
        ids = [s.id for s in steps]
        assert len(set(ids)) == len(ids), t["code"]


def test_steps_are_plain_sentences_with_slug_ids():
    types = {t["code"]: t for t in read_service_types()}
    raw = json.loads(CHECKLISTS_JSON.read_text(encoding="utf-8"))
    for code, steps in raw.items():
        assert code in types and types[code]["active"], code
        for step in steps:
            assert set(step) == {"id", "text"}
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", step["id"]) and len(step["id"]) <= 40
            text = step["text"]
            assert isinstance(text, str) and 0 < len(text) <= STEP_TEXT_MAX, (code, step["id"])
            assert text == text.strip() and "\n" not in text
            assert text[0].isupper() and text.endswith((".", "?")), (code, step["id"])


def test_each_step_asking_a_question_names_it_and_required_questions_are_asked():
    """A step asks a question when its id is the question's code in slug form; every required
    question of a type with a checklist has its step, and the step's wording is about it."""
    specs = read_questions()
    for code, steps in read_checklists().items():
        ids = {s.id for s in steps}
        questions = specs[code].questions if code in specs else ()
        for q in questions:
            if q.required:
                assert step_id(q.code) in ids, f"{code}: no step asks {q.code} ({q.label})"
        slugs = {step_id(q.code) for q in questions}
        assert sum(s.id in slugs for s in steps) == len(ids & slugs)
        assert any(s.id not in slugs for s in steps), f"{code}: only questions, nothing to advise"
    assert step_id("WHERE_SEEN") == "where-seen"


def test_rats_checklist_follows_the_brief():
    steps = read_checklists()["SGA"]
    ids = [s.id for s in steps]
    assert "where-seen" in ids and "address" in ids
    text = " ".join(s.text for s in steps).lower()
    assert "alley" in text and "yard" in text and "building" in text
    assert "lids closed" in text and "food" in text


def test_read_checklists_rejects_bad_files(tmp_path):
    good = {"text": "Confirm the address."}
    bad_files = [
        {"PHF": []},
        {"PHF": [{"id": "address", **good}, {"id": "address", **good}]},
        {"PHF": [{"id": "Address", **good}]},
        {"PHF": [{"id": "address", "text": "x" * (STEP_TEXT_MAX + 1)}]},
        {"PHF": [{"id": "address", "text": "  "}]},
        {"PHF": [{"id": "address", "text": "Two\nlines."}]},
        {"PHF": [{"id": "address", "text": "Hi.", "extra": 1}]},
    ]
    for n, content in enumerate(bad_files):
        path = tmp_path / f"bad{n}.json"
        path.write_text(json.dumps(content), encoding="utf-8")
        with pytest.raises(ValueError):  # msgspec.ValidationError is one too
            read_checklists(path)


def test_keywords_file():
    keywords = read_keywords()  # raises on duplicates, commas, upper case
    types = {t["code"]: t for t in read_service_types()}
    assert set(keywords) <= set(types)
    for code, t in types.items():
        if t["active"]:
            assert keywords.get(code), f"{code} {t['name']} has no keywords"
    for code, words in keywords.items():
        assert 0 < len(words) <= 12, code
    assert {"pothole", "pot hole"} <= set(keywords["PHF"])
    assert {"rat", "mice", "rodent"} <= set(keywords["SGA"])
    assert "graffiti" in keywords["GRAF"]
    misspelled = {"ratss", "graffitti", "grafitti", "potwhole", "pothol"}
    assert not misspelled & {w for words in keywords.values() for w in words}
    raw = json.loads(KEYWORDS_JSON.read_text(encoding="utf-8"))
    assert all(isinstance(w, str) for words in raw.values() for w in words)


def test_decode_checklist_takes_text_or_lists():
    step = ChecklistStep(id="address", text="Confirm the address.")
    assert (
        decode_checklist(None) == () and decode_checklist("") == () and decode_checklist("[]") == ()
    )
    assert decode_checklist('[{"id": "address", "text": "Confirm the address."}]') == (step,)
    assert decode_checklist([{"id": "address", "text": "Confirm the address."}]) == (step,)


# --- the loaded catalog (SQLite and PostgreSQL) ----------------------------------------------


async def test_loaded_catalog_carries_checklists_and_keywords(services):
    catalog = services.catalog
    checklists = read_checklists()
    keywords = read_keywords()

    def shipped(code: str) -> tuple[ChecklistStep, ...]:
        return tuple(ChecklistStep(id=s.id, text=s.text) for s in checklists.get(code, ()))

    for t in most_requested_active():
        info = catalog.by_code(t["code"])
        assert info is not None and info.active
        assert len(info.checklist) >= 3 and info.checklist == shipped(t["code"])
        assert info.keywords and info.keywords == keywords[t["code"]]
    for info in catalog.types:
        assert info.checklist == shipped(info.code)
        assert isinstance(info.keywords, tuple)
    rats = catalog.by_code("SGA")
    assert rats is not None and "where-seen" in {s.id for s in rats.checklist}
    assert ", ".join(rats.keywords).startswith("rodent, baiting, rat")

    # the column itself: JSON text on both engines, [] for the types without a checklist
    stored = await ServiceType.select(ServiceType.code, ServiceType.checklist)
    rows = {r["code"]: r["checklist"] for r in stored}
    assert decode_checklist(rows["311IOC"]) == ()
    assert [s.id for s in decode_checklist(rows["PHF"])] == [s.id for s in checklists["PHF"]]


async def table_dump() -> tuple[list, list, list]:
    return (
        await Department.select().order_by(Department._meta.primary_key),
        await ServiceType.select().order_by(ServiceType._meta.primary_key),
        await ServiceQuestion.select().order_by(ServiceQuestion._meta.primary_key),
    )


async def test_loading_twice_changes_nothing(db):
    counts = await load_catalog()
    assert counts["checklists"] == len(read_checklists()) >= TOP
    before = await table_dump()
    assert await load_catalog() == counts
    assert await table_dump() == before
    assert (await load_catalog_snapshot()) == (await load_catalog_snapshot())


async def test_reload_updates_and_clears_checklists(db, tmp_path):
    await load_catalog()
    raw = json.loads(CHECKLISTS_JSON.read_text(encoding="utf-8"))
    raw["PHF"] = raw["PHF"][:3] + [{"id": "thank", "text": "Thank the caller."}]
    del raw["GRAF"]
    raw["PHB"] = [{"id": "address", "text": "Confirm the alley behind which address."}]
    edited = tmp_path / "checklists.json"
    edited.write_text(json.dumps(raw), encoding="utf-8")
    try:
        before = {r["code"]: r for r in await ServiceType.select()}
        await load_catalog(checklists_json=edited)
        after = {r["code"]: r for r in await ServiceType.select()}
        changed = {code for code in after if after[code] != before[code]}
        assert changed == {"PHF", "GRAF", "PHB"}
        catalog = await load_catalog_snapshot()
        phf, graf, phb = (catalog.by_code(c) for c in ("PHF", "GRAF", "PHB"))
        assert phf and graf is not None and phb is not None
        assert [s.id for s in phf.checklist][-1] == "thank" and len(phf.checklist) == 4
        assert graf.checklist == () and graf.keywords  # keywords do not come from the table
        assert phb.checklist == (
            ChecklistStep("address", "Confirm the alley behind which address."),
        )

        dump = await table_dump()
        await load_catalog(checklists_json=edited)
        assert await table_dump() == dump
    finally:
        await load_catalog()  # back to the shipped file: other tests use the loaded catalog
    restored = (await load_catalog_snapshot()).by_code("GRAF")
    assert restored is not None and len(restored.checklist) >= 3


async def test_unknown_type_in_checklists_is_refused(db, tmp_path):
    path = tmp_path / "checklists.json"
    path.write_text(json.dumps({"NOPE": [{"id": "a", "text": "A."}]}), encoding="utf-8")
    with pytest.raises(ValueError, match="NOPE"):
        await load_catalog(checklists_json=path)
