"""The back office's guard rails on input: each value an admin writes stays within what its column,
the next start, a submit and an Open311 page can take, and the table API's query (a row id, pages,
ordering, filters) is checked before piccolo_api turns it into SQL. Out of bounds is a 4xx, never
a database error's 500.

- Every column, whatever the table: integers (and foreign keys) within PostgreSQL's `integer`,
  texts within their `Varchar` length (a `Text` within 4,000 characters) and free of control
  characters and U+FFFE/U+FFFF (one line for a `Varchar`: names reach the Open311 XML and the SMS
  menus), times between 1970 and 9999, and no NULL where the column has none.
- Per table, the catalog loader's rules (codes, slugs, datatypes, choices, checklist steps) and
  sane ranges: SLA days 0 to 3,650 (ten years: a due date is the request's time plus them),
  question positions 0 to 10,000, at most 100 choices and 50 checklist steps.
- The table API (`TableApiGuard`, in front of PiccoloCRUD): a row id is 1 to 2**31-1 (else 404);
  `__page` 1 to 100,000, `__page_size` and `limit`/`offset` within their range, `__order` only this
  table's own columns, an integer column's filter an integer in range, and no parameter with a
  control character (400).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from types import GenericAlias
from typing import Any, TypeGuard

import msgspec
from piccolo.columns import (
    JSON,
    BigInt,
    ForeignKey,
    Integer,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table
from piccolo_api.crud.hooks import Hook, HookType
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.catalog.loader import (
    CHOICE_KEY,
    DATATYPES,
    LIST_DATATYPES,
    QUESTION_CODE,
    STEP_ID,
    STEP_ID_MAX,
    STEP_TEXT_MAX,
    TYPE_CODE,
    ChoiceSpec,
    StepSpec,
)
from backend.identity.staff import ROLES, StaffRole
from backend.identity.tables import StaffDepartment, StaffUser
from backend.limits import LINE, MOMENTS, TEXT, in_range
from backend.service_requests.repo import MAX_ID

MAX_TEXT = 4000
MAX_SLA_DAYS = 3650
MAX_POSITION = 10_000
MAX_CHOICES = 100
MAX_CHOICE_NAME = 120
MAX_STEPS = 50
MAX_LABEL = 500
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 1000  # piccolo_api's own ceiling (PiccoloCRUD.max_page_size)
MAX_PARAM = 1000
MAX_BODY = 1024 * 1024  # as the API's JSON bodies (backend/app.py)
INTEGERS = (Integer, SmallInt, BigInt, Serial, ForeignKey)
# PiccoloCRUD's own routes under /tables/<name>/: anything else there is a row id
TABLE_ROUTES = frozenset({"", "schema", "ids", "count", "references", "new"})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _invalid(message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=message)


# -- every column ------------------------------------------------------------------------------


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def check_columns(table: type[Table], row: dict[str, Any]) -> None:
    """What any column of `table` can hold, for the values of `row` (the primary key aside)."""
    for column in table._meta.columns:
        name = column._meta.name
        if name not in row or column is table._meta.primary_key:
            continue
        value = row[name]
        if value is None:
            if not column._meta.null:
                raise _invalid(f"{name}: required")
            continue
        if isinstance(column, INTEGERS):
            if not _is_int(value) or not -MAX_ID - 1 <= value <= MAX_ID:
                raise _invalid(f"{name}: a whole number from {-MAX_ID - 1} to {MAX_ID}")
        elif isinstance(column, Varchar):
            longest = column.length
            too_long = longest is not None and isinstance(value, str) and len(value) > longest
            if not isinstance(value, str) or too_long or not LINE.search(value):
                raise _invalid(
                    f"{name}: one line of at most {column.length} characters, without control "
                    "characters or U+FFFE/U+FFFF"
                )
        elif isinstance(column, Text):
            if not isinstance(value, str) or len(value) > MAX_TEXT or not TEXT.search(value):
                raise _invalid(
                    f"{name}: at most {MAX_TEXT} characters, without control characters (but "
                    "tab and line breaks) or U+FFFE/U+FFFF"
                )
        elif isinstance(column, Timestamptz):
            _moment(name, value)
        elif isinstance(column, JSON) and not isinstance(value, str | bytes | list | dict):
            raise _invalid(f"{name}: a JSON document")


def _moment(name: str, value: Any) -> None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise _invalid(f"{name}: a date and time, e.g. 2026-06-01T14:30:00-05:00") from None
    if not isinstance(value, datetime) or not in_range(value):
        raise _invalid(f"{name}: {MOMENTS}")


# -- per table ---------------------------------------------------------------------------------


def _text(row: dict[str, Any], column: str, limit: int) -> None:
    value = row.get(column)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _invalid(f"{column}: 1 to {limit} characters")


def _whole(row: dict[str, Any], column: str, high: int, *, nullable: bool = False) -> None:
    value = row.get(column)
    if value is None and nullable:
        return
    if not _is_int(value) or not 0 <= value <= high:
        empty = ", or empty" if nullable else ""
        raise _invalid(f"{column}: a whole number from 0 to {high}{empty}")


def _json_list(row: dict[str, Any], column: str, item: type, limit: int) -> tuple[Any, ...]:
    value = row.get(column)
    try:
        raw = msgspec.json.decode(value) if isinstance(value, str | bytes) else value
        items: tuple[Any, ...] = msgspec.convert(
            raw if raw is not None else [], GenericAlias(tuple, (item, ...))
        )
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise _invalid(f"{column}: {exc}") from None
    except RecursionError:
        raise _invalid(f"{column}: nested too deeply") from None
    if len(items) > limit:
        raise _invalid(f"{column}: at most {limit}")
    return items


def check_department(row: dict[str, Any]) -> None:
    _text(row, "name", 120)
    slug = row.get("slug")
    if not isinstance(slug, str) or len(slug) > 60 or not _SLUG.fullmatch(slug):
        raise _invalid("slug: lowercase letters and digits joined by '-', at most 60 characters")


def check_service_type(row: dict[str, Any]) -> None:
    if not isinstance(row.get("code"), str) or not TYPE_CODE.fullmatch(row["code"]):
        raise _invalid("code: 1 to 16 capital letters or digits (Chicago's SR short code)")
    _text(row, "name", 160)
    _text(row, "group_name", 80)
    open311_code = row.get("open311_code")
    if open311_code is not None and (not isinstance(open311_code, str) or len(open311_code) > 40):
        raise _invalid("open311_code: at most 40 characters, or empty")
    _whole(row, "sla_days", MAX_SLA_DAYS, nullable=True)
    _whole(row, "popularity", MAX_ID)
    steps = _json_list(row, "checklist", StepSpec, MAX_STEPS)
    ids = [s.id for s in steps]
    if len(set(ids)) != len(ids):
        raise _invalid("checklist: duplicate step id")
    for s in steps:
        if len(s.id) > STEP_ID_MAX or not STEP_ID.fullmatch(s.id):
            raise _invalid(
                f"checklist.{s.id}: ids are lowercase slugs of 1-{STEP_ID_MAX} characters"
            )
        text = s.text
        if text != text.strip() or not LINE.search(text) or not 0 < len(text) <= STEP_TEXT_MAX:
            raise _invalid(
                f"checklist.{s.id}: texts are one trimmed line, 1-{STEP_TEXT_MAX} characters"
            )


def check_service_question(row: dict[str, Any]) -> None:
    if not isinstance(row.get("code"), str) or not QUESTION_CODE.fullmatch(row["code"]):
        raise _invalid("code: UPPER_SNAKE, at most 40 characters")
    _text(row, "label", MAX_LABEL)
    if not LINE.search(row["label"]):
        raise _invalid("label: one line, without control characters or U+FFFE/U+FFFF")
    if row.get("datatype") not in DATATYPES:
        raise _invalid(f"datatype: one of {', '.join(DATATYPES)}")
    _whole(row, "position", MAX_POSITION)
    choices = _json_list(row, "choices", ChoiceSpec, MAX_CHOICES)
    if (row["datatype"] in LIST_DATATYPES) != bool(choices):
        raise _invalid("choices: list datatypes need choices, other datatypes have none")
    keys = [c.key for c in choices]
    if len(set(keys)) != len(keys) or not all(CHOICE_KEY.fullmatch(k) for k in keys):
        raise _invalid("choices: keys must be unique lowercase snake_case")
    for c in choices:
        if not c.name.strip() or len(c.name) > MAX_CHOICE_NAME or not LINE.search(c.name):
            raise _invalid(
                f"choices.{c.key}: a name is one line of 1-{MAX_CHOICE_NAME} characters, "
                "without control characters or U+FFFE/U+FFFF"
            )


async def check_staff_account(row: dict[str, Any], changes: dict[str, Any]) -> None:
    if row.get("role") not in ROLES:
        raise _invalid(f"role: one of {', '.join(ROLES)}")
    _whole(row, "failed_logins", MAX_ID)
    if row["role"] != StaffRole.DEPARTMENT and "role" in changes:
        if await StaffDepartment.exists().where(StaffDepartment.user == row["id"]):
            raise _invalid(
                f"role: only department users have departments; remove this account's "
                f"staff_department rows before making it {row['role']}"
            )


async def check_staff_department(row: dict[str, Any]) -> None:
    role = (
        await StaffUser.select(StaffUser.role)
        .where(StaffUser._meta.primary_key == row.get("user"))
        .first()
    )
    if role is None or role["role"] != StaffRole.DEPARTMENT:
        raise _invalid("user: only department users have departments")


# -- the hooks ---------------------------------------------------------------------------------

Check = Callable[[dict[str, Any]], Awaitable[None] | None]


async def _run(table: type[Table], check: Check, row: dict[str, Any]) -> None:
    check_columns(table, row)
    result = check(row)
    if asyncio.iscoroutine(result):
        await result


def checked(table: type[Table], check: Check) -> list[Hook]:
    """PiccoloCRUD hooks running `check` on the row a POST makes and on a PATCHed row as it will be."""

    async def pre_save(row: Table) -> Table:
        values = {c._meta.name: getattr(row, c._meta.name) for c in table._meta.columns}
        await _run(table, check, values)
        return row

    async def pre_patch(row_id: Any, values: dict[Any, Any]) -> dict[Any, Any]:
        current = await table.select().where(table._meta.primary_key == row_id).first()
        if current is None:
            raise HTTPException(status_code=404, detail="no such row")
        changes = {column._meta.name: value for column, value in values.items()}
        await _run(table, check, {**current, **changes})
        return values

    return [Hook(HookType.pre_save, pre_save), Hook(HookType.pre_patch, pre_patch)]


def staff_account_hooks(account: type[Table]) -> list[Hook]:
    """`account` is the admin's narrower view of staff_user (no password hash)."""
    read_only = {"created_at", "last_login_at"}

    async def pre_patch(row_id: Any, values: dict[Any, Any]) -> dict[Any, Any]:
        current = await account.select().where(account._meta.primary_key == row_id).first()
        if current is None:
            raise HTTPException(status_code=404, detail="no such row")
        changes = {c._meta.name: v for c, v in values.items() if c._meta.name not in read_only}
        if changes.get("username", current["username"]) != current["username"]:
            raise _invalid("username: accounts are not renamed (make a new one, disable this one)")
        check_columns(account, changes)
        await check_staff_account({**current, **changes}, changes)
        return {c: v for c, v in values.items() if c._meta.name not in read_only}

    return [Hook(HookType.pre_patch, pre_patch)]


# -- the table API's query ---------------------------------------------------------------------


def _whole_param(value: str, low: int, high: int) -> bool:
    return value.isascii() and value.lstrip("-").isdigit() and low <= int(value) <= high


def query_problem(table: type[Table], params: QueryParams) -> str | None:
    """Why the table API cannot take this query string (None when it can)."""
    columns = {c._meta.name: c for c in table._meta.columns}
    for key, value in params.multi_items():
        if value == "":  # an empty filter: no filter
            continue
        if len(key) > MAX_PARAM or len(value) > MAX_PARAM or not LINE.search(key + value):
            return f"{key[:40]}: at most {MAX_PARAM} characters, without control characters"
        if key == "__page" and not _whole_param(value, 1, MAX_PAGE):
            return f"__page: a whole number from 1 to {MAX_PAGE}"
        if key == "__page_size" and not _whole_param(value, 1, MAX_PAGE_SIZE):
            return f"__page_size: a whole number from 1 to {MAX_PAGE_SIZE}"
        if key in ("limit", "offset") and not _whole_param(value, 0, MAX_ID):
            return f"{key}: a whole number from 0 to {MAX_ID}"
        if key == "__order":
            for name in value.split(","):
                if name.removeprefix("-") not in columns:
                    return f"__order: one of this table's columns ({', '.join(columns)})"
        column = columns.get(key)
        if isinstance(column, INTEGERS) and not _whole_param(value, -MAX_ID - 1, MAX_ID):
            return f"{key}: a whole number from {-MAX_ID - 1} to {MAX_ID}"
        if isinstance(column, Timestamptz):
            try:
                _moment(key, value)
            except HTTPException as exc:
                return exc.detail
    return None


class TableApiGuard:
    """In front of the admin's table API: a row id out of the columns' range is a 404, a query
    string PiccoloCRUD cannot take safely a 400 (see `query_problem`)."""

    def __init__(self, app: ASGIApp, tables: list[type[Table]]) -> None:
        self.app = app
        self.tables = {t._meta.tablename: t for t in tables}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        parts = _parts(scope) if scope["type"] == "http" else []
        table = self.tables.get(parts[1]) if len(parts) > 1 and parts[0] == "tables" else None
        if table is None:
            await self.app(scope, receive, send)
            return
        refused = _refused(parts, table, scope)
        if refused is None and scope["method"] in ("POST", "PATCH", "PUT"):
            body, receive = await _buffered(receive)
            too_large = (413, f"at most {MAX_BODY} bytes")
            refused = too_large if body is None else _body_problem(table, body)
        if refused is not None:
            status, detail = refused
            await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _parts(scope: Scope) -> list[str]:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return path.strip("/").split("/")


def _refused(parts: list[str], table: type[Table], scope: Scope) -> tuple[int, str] | None:
    row_id = parts[2] if len(parts) > 2 else ""
    if row_id not in TABLE_ROUTES and not (row_id.isdigit() and _whole_param(row_id, 1, MAX_ID)):
        return 404, "no such row"
    problem = query_problem(table, QueryParams(scope.get("query_string", b"")))
    return (400, problem) if problem else None


async def _buffered(receive: Receive) -> tuple[bytes | None, Receive]:
    """The whole body (None past MAX_BODY), and a `receive` that gives it again."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None, receive
        chunks.append(chunk)
        more = message.get("more_body", False)
    body, sent = b"".join(chunks), False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


def _body_problem(table: type[Table], body: bytes) -> tuple[int, str] | None:
    """A JSON body (or a JSON column's text in it) nested past the decoders' depth: piccolo's
    validators would meet a RecursionError. Anything else is left to them."""
    try:
        data = msgspec.json.decode(body)
    except RecursionError:
        return 400, "the JSON is nested too deeply"
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    for column in table._meta.columns:
        value = data.get(column._meta.name)
        if isinstance(column, JSON) and isinstance(value, str):
            try:
                msgspec.json.decode(value)
            except RecursionError:
                return 422, f"{column._meta.name}: nested too deeply"
            except msgspec.DecodeError:
                pass
    return None
