"""The catalog tables' statements: the loader's upserts (departments, service types, questions,
in one Piccolo transaction at seed time) and the snapshot's two reads at start-up. Run through
Piccolo's public query API and transactions, as the back office edits the same tables."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import msgspec
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import TransactionType

from backend.catalog.tables import Department, ServiceQuestion, ServiceType

JSON_COLUMNS = ("choices", "checklist")
INSERT_BATCH = 200


@asynccontextmanager
async def catalog_transaction() -> AsyncIterator[None]:
    """Piccolo's transaction on the configured engine (piccolo_conf.DB); on SQLite an IMMEDIATE
    one, since the loader reads then writes: the write lock is taken up front."""
    engine = engine_finder()
    if engine is None:
        raise RuntimeError("no database engine is configured (piccolo_conf.DB)")
    if engine.engine_type == "sqlite":
        transaction = engine.transaction(transaction_type=TransactionType.immediate)
    else:
        transaction = engine.transaction()
    async with transaction:
        yield


def _decode(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) else value


def _changes(existing: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """The wanted values that differ from the stored row (JSON columns compared decoded)."""
    changed = {}
    for column, value in wanted.items():
        current = existing.get(column)
        if column in JSON_COLUMNS:
            current = _decode(current) if current not in (None, "") else []
        elif isinstance(value, bool):
            current = bool(current)
        if current != value:
            changed[column] = value
    return changed


def _dump_json(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its JSON columns as JSON text (what both engines are given)."""
    dumped = {c: msgspec.json.encode(row[c]).decode() for c in JSON_COLUMNS if c in row}
    return {**row, **dumped} if dumped else row


async def _insert(table: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        await table.insert(*(table(**_dump_json(r)) for r in batch))


async def upsert_departments(slugs: dict[str, str]) -> tuple[dict[str, int], int]:
    """Departments by name (`slugs`: each name's slug); their ids and how many rows were written."""
    names = list(slugs)
    rows = await Department.select(Department.id, Department.name, Department.slug)
    existing = {r["name"]: r for r in rows}
    writes = 0
    missing = [{"name": n, "slug": slugs[n]} for n in names if n not in existing]
    if missing:
        await _insert(Department, missing)
        writes += len(missing)
    for name in names:
        row = existing.get(name)
        if row and row["slug"] != slugs[name]:
            query = Department.update({Department.slug: slugs[name]})
            await query.where(Department.id == row["id"])
            writes += 1
    if missing:
        existing = {r["name"]: r for r in await Department.select(Department.id, Department.name)}
    return {n: existing[n]["id"] for n in names}, writes


async def upsert_service_types(wanted: list[dict[str, Any]]) -> tuple[dict[str, int], int]:
    existing = {r["code"]: r for r in await ServiceType.select()}
    writes = 0
    missing = [w for w in wanted if w["code"] not in existing]
    if missing:
        await _insert(ServiceType, missing)
        writes += len(missing)
    for w in wanted:
        row = existing.get(w["code"])
        if row and (changed := _changes(row, w)):
            changed = _dump_json(changed)
            values = {getattr(ServiceType, column): value for column, value in changed.items()}
            await ServiceType.update(values).where(ServiceType.id == row["id"])
            writes += 1
    if missing:
        rows = await ServiceType.select(ServiceType.id, ServiceType.code)
        existing = {r["code"]: r for r in rows}
    return {w["code"]: existing[w["code"]]["id"] for w in wanted}, writes


async def upsert_questions(wanted: list[dict[str, Any]], type_ids: list[int]) -> int:
    """Upserts by (service type, code); deletes the stored questions of these types not wanted."""
    rows = await ServiceQuestion.select().where(ServiceQuestion.service_type.is_in(type_ids))
    existing = {(r["service_type"], r["code"]): r for r in rows}
    wanted_keys = {(w["service_type"], w["code"]) for w in wanted}
    stale = [r["id"] for key, r in existing.items() if key not in wanted_keys]
    if stale:
        await ServiceQuestion.delete().where(ServiceQuestion.id.is_in(stale))
    writes = len(stale)
    for w in wanted:
        row = existing.get((w["service_type"], w["code"]))
        if row and (changed := _changes(row, w)):
            changed = _dump_json(changed)
            values = {getattr(ServiceQuestion, column): value for column, value in changed.items()}
            await ServiceQuestion.update(values).where(ServiceQuestion.id == row["id"])
            writes += 1
    missing = [w for w in wanted if (w["service_type"], w["code"]) not in existing]
    if missing:
        await _insert(ServiceQuestion, missing)
        writes += len(missing)
    return writes


async def type_rows() -> list[dict[str, Any]]:
    """Every service type with its department's name and id (the snapshot's first read)."""
    rows: list[dict[str, Any]] = await ServiceType.select(
        ServiceType.id,
        ServiceType.code,
        ServiceType.name,
        ServiceType.description,
        ServiceType.group_name,
        ServiceType.department.name.as_alias("department_name"),
        ServiceType.department.as_alias("department_id"),
        ServiceType.open311_code,
        ServiceType.popularity,
        ServiceType.sla_days,
        ServiceType.active,
        ServiceType.checklist,
        ServiceType.private,
    )
    return rows


async def question_rows() -> list[dict[str, Any]]:
    """Every question, by service type and position (the snapshot's second read)."""
    rows: list[dict[str, Any]] = await ServiceQuestion.select().order_by(
        ServiceQuestion.service_type, ServiceQuestion.position, ServiceQuestion.id
    )
    return rows
