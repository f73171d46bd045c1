"""Loads the catalog files (data/service_types.csv, data/questions.json, data/checklists.json) into
the database; reads data/keywords.json for the in-memory snapshot (it has no table)."""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path
from typing import Any

import msgspec

from backend.catalog import repo
from backend.city import CITY

log = logging.getLogger(__name__)

# the city's catalog files (backend/cities.py)
SERVICE_TYPES_CSV = CITY.files.service_types
QUESTIONS_JSON = CITY.files.questions
CHECKLISTS_JSON = CITY.files.checklists
KEYWORDS_JSON = CITY.files.keywords

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_DATATYPES = ("singlevaluelist", "multivaluelist")
TYPE_CODE = re.compile(r"[A-Z0-9]{1,16}")
QUESTION_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,39}")
CHOICE_KEY = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
STEP_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STEP_ID_MAX, STEP_TEXT_MAX = 40, 300
KEYWORD_MAX = 40


class ChoiceSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    key: str
    name: str


class QuestionSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: str
    label: str
    datatype: str
    required: bool = False
    description: str = ""
    choices: tuple[ChoiceSpec, ...] = ()


class TypeSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    sla_days: int | None = None
    # its requests are never shown publicly and are filed only through their own channel
    private: bool = False
    questions: tuple[QuestionSpec, ...] = ()


class StepSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One step of a type's intake checklist. A step that asks one of the type's questions has that
    question's code as its id, in slug form (WHERE_SEEN → "where-seen"; see `step_id`)."""

    id: str
    text: str


def step_id(question_code: str) -> str:
    """The checklist step id that asks this question: "WHERE_SEEN" → "where-seen"."""
    return question_code.lower().replace("_", "-")


def slugify(name: str) -> str:
    """Department slug: "City Clerk's Office" → "city-clerks-office"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", ""))[:60].strip("-")


def read_service_types(path: Path = SERVICE_TYPES_CSV) -> list[dict[str, Any]]:
    """The service-type rows, typed and checked (unique codes, column lengths of the tables)."""
    with path.open(newline="", encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    rows, seen = [], set()
    for r in raw:
        code = r["code"]
        if not TYPE_CODE.fullmatch(code) or code in seen:
            raise ValueError(f"{path.name}: bad or duplicate code {code!r}")
        seen.add(code)
        if r["active"] not in ("true", "false"):
            raise ValueError(f"{path.name}: {code}: active must be true or false")
        row: dict[str, Any] = {
            "code": code,
            "name": r["name"].strip(),
            "department": r["department"].strip(),
            "group_name": r["group"].strip() or "Other",
            "open311_code": r["open311_code"].strip() or None,
            "popularity": int(r["popularity"] or 0),
            "description": r["description"].strip(),
            "active": r["active"] == "true",
        }
        for column, limit in (("name", 160), ("department", 120), ("group_name", 80)):
            if not row[column] or len(row[column]) > limit:
                raise ValueError(f"{path.name}: {code}: {column} empty or longer than {limit}")
        if row["open311_code"] and len(row["open311_code"]) > 40:
            raise ValueError(f"{path.name}: {code}: open311_code longer than 40")
        rows.append(row)
    return rows


def read_questions(path: Path = QUESTIONS_JSON) -> dict[str, TypeSpec]:
    """questions.json by service-type code, checked: legal datatypes, choices exactly for lists."""
    specs = msgspec.json.decode(path.read_bytes(), type=dict[str, TypeSpec])
    for type_code, spec in specs.items():
        if spec.sla_days is not None and spec.sla_days < 0:
            raise ValueError(f"{path.name}: {type_code}: sla_days must be >= 0")
        codes = [q.code for q in spec.questions]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{path.name}: {type_code}: duplicate question code")
        for q in spec.questions:
            where = f"{path.name}: {type_code}.{q.code}"
            if not QUESTION_CODE.fullmatch(q.code):
                raise ValueError(f"{where}: codes are UPPER_SNAKE, at most 40 characters")
            if q.datatype not in DATATYPES:
                raise ValueError(f"{where}: unknown datatype {q.datatype!r}")
            if not q.label.strip():
                raise ValueError(f"{where}: empty label")
            if (q.datatype in LIST_DATATYPES) != bool(q.choices):
                raise ValueError(f"{where}: list datatypes need choices, other datatypes have none")
            keys = [c.key for c in q.choices]
            if len(set(keys)) != len(keys) or not all(CHOICE_KEY.fullmatch(k) for k in keys):
                raise ValueError(f"{where}: choice keys must be unique lowercase snake_case")
    return specs


def read_checklists(path: Path = CHECKLISTS_JSON) -> dict[str, tuple[StepSpec, ...]]:
    """checklists.json by service-type code, checked: at least one step, slug ids unique within the
    type, plain one-line texts of at most 300 characters."""
    checklists = msgspec.json.decode(path.read_bytes(), type=dict[str, tuple[StepSpec, ...]])
    for type_code, steps in checklists.items():
        where = f"{path.name}: {type_code}"
        if not steps:
            raise ValueError(f"{where}: an empty checklist (leave the type out instead)")
        ids = [s.id for s in steps]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{where}: duplicate step id")
        for s in steps:
            if len(s.id) > STEP_ID_MAX or not STEP_ID.fullmatch(s.id):
                raise ValueError(f"{where}.{s.id}: ids are lowercase slugs of 1-40 characters")
            one_line = s.text == s.text.strip() and "\n" not in s.text
            if not (one_line and 0 < len(s.text) <= STEP_TEXT_MAX):
                raise ValueError(f"{where}.{s.id}: texts are one trimmed line, 1-300 characters")
    return checklists


def read_keywords(path: Path = KEYWORDS_JSON) -> dict[str, tuple[str, ...]]:
    """keywords.json by service-type code, checked: unique lowercase keywords without commas (Open311
    joins them with ", ")."""
    keywords = msgspec.json.decode(path.read_bytes(), type=dict[str, tuple[str, ...]])
    for type_code, words in keywords.items():
        if len(set(words)) != len(words):
            raise ValueError(f"{path.name}: {type_code}: duplicate keyword")
        for w in words:
            if not w or w != w.strip().lower() or "," in w or len(w) > KEYWORD_MAX:
                raise ValueError(f"{path.name}: {type_code}: bad keyword {w!r}")
    return keywords


def _question_row(type_id: int, position: int, q: QuestionSpec) -> dict[str, Any]:
    return {
        "service_type": type_id,
        "code": q.code,
        "label": q.label,
        "description": q.description,
        "datatype": q.datatype,
        "required": q.required,
        "position": position,
        "choices": [{"key": c.key, "name": c.name} for c in q.choices],
    }


async def load_catalog(
    service_types_csv: Path = SERVICE_TYPES_CSV,
    questions_json: Path = QUESTIONS_JSON,
    checklists_json: Path = CHECKLISTS_JSON,
) -> dict[str, int]:
    """Upserts departments (by name), service types (by code, with their checklists) and questions
    (by type and code) from the data files in one transaction; questions no longer in the file are
    deleted, and a type the checklist file leaves out gets an empty checklist. Types missing from
    the CSV are left as they are (requests may point at them). A second run writes nothing."""
    types = read_service_types(service_types_csv)
    specs = read_questions(questions_json)
    checklists = read_checklists(checklists_json)
    codes = {t["code"] for t in types}
    for name, named in (("questions.json", specs), ("checklists.json", checklists)):
        unknown = sorted(set(named) - codes)
        if unknown:
            raise ValueError(f"{name} names service types not in the CSV: {unknown}")
    departments = sorted({t["department"] for t in types})

    async with repo.catalog_transaction():
        department_ids, writes = await repo.upsert_departments(
            {name: slugify(name) for name in departments}
        )
        wanted_types = [
            {
                **t,
                "department": department_ids[t["department"]],
                "sla_days": specs[t["code"]].sla_days if t["code"] in specs else None,
                "private": specs[t["code"]].private if t["code"] in specs else False,
                "checklist": [{"id": s.id, "text": s.text} for s in checklists.get(t["code"], ())],
            }
            for t in types
        ]
        type_ids, n = await repo.upsert_service_types(wanted_types)
        writes += n
        wanted_questions = [
            _question_row(type_ids[code], position, q)
            for code, spec in specs.items()
            for position, q in enumerate(spec.questions)
        ]
        writes += await repo.upsert_questions(wanted_questions, list(type_ids.values()))
    log.info("catalog loaded: %d rows written", writes)
    return {
        "departments": len(departments),
        "service_types": len(types),
        "questions": len(wanted_questions),
        "checklists": len(checklists),
    }
