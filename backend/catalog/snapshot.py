"""The in-memory read model of the catalog: service types with their questions and intake
checklists (two queries), and their keywords (data/keywords.json, which has no table)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import msgspec

from backend.catalog import repo
from backend.catalog.loader import KEYWORDS_JSON, read_keywords


class Choice(msgspec.Struct, frozen=True):
    key: str
    name: str


class Question(msgspec.Struct, frozen=True):
    code: str
    label: str
    description: str
    datatype: str  # string number datetime text singlevaluelist multivaluelist
    required: bool
    position: int
    choices: tuple[Choice, ...] = ()


class ChecklistStep(msgspec.Struct, frozen=True):
    """A step an operator follows taking this type by phone; `id` is a question's code in slug form
    when the step asks that question (WHERE_SEEN → "where-seen")."""

    id: str
    text: str


class ServiceTypeInfo(msgspec.Struct, frozen=True):
    id: int
    code: str
    name: str
    description: str
    group: str
    department: str
    open311_code: str | None
    popularity: int
    sla_days: int | None
    active: bool
    department_id: int = 0
    questions: tuple[Question, ...] = ()
    checklist: tuple[ChecklistStep, ...] = ()
    keywords: tuple[str, ...] = ()  # English words for the type; Open311 joins them with ", "
    # never shown publicly, filed only through its own channel (police reports: backend/police)
    private: bool = False


class Catalog(msgspec.Struct, frozen=True, dict=True):
    """`types` are the public ones (listed, matched, filed by any channel); `private` types
    (police reports) are found by code and id only, by the services that file and review them."""

    types: tuple[ServiceTypeInfo, ...]
    private: tuple[ServiceTypeInfo, ...] = ()

    @cached_property
    def _by_code(self) -> dict[str, ServiceTypeInfo]:
        return {t.code.upper(): t for t in (*self.types, *self.private)}

    @cached_property
    def _by_id(self) -> dict[int, ServiceTypeInfo]:
        return {t.id: t for t in (*self.types, *self.private)}

    @cached_property
    def private_ids(self) -> tuple[int, ...]:
        """The ids of the types whose requests no public view shows."""
        return tuple(sorted(t.id for t in self.private))

    def by_code(self, code: str) -> ServiceTypeInfo | None:
        """The type with this short code, ignoring case."""
        return self._by_code.get(code.strip().upper())

    def by_id(self, id: int) -> ServiceTypeInfo | None:
        return self._by_id.get(id)

    def groups(self) -> list[tuple[str, list[ServiceTypeInfo]]]:
        """Active types by portal group: groups sorted by name, types most requested first."""
        grouped: dict[str, list[ServiceTypeInfo]] = {}
        for t in self.types:
            if t.active:
                grouped.setdefault(t.group, []).append(t)
        return [
            (group, sorted(types, key=lambda t: (-t.popularity, t.name)))
            for group, types in sorted(grouped.items())
        ]


def decode_choices(value: object) -> tuple[Choice, ...]:
    """The `choices` column: a JSON string on both engines (decoded lists are accepted too)."""
    if value is None or value == "":
        return ()
    if isinstance(value, (str, bytes)):
        return msgspec.json.decode(value, type=tuple[Choice, ...])
    return msgspec.convert(value, type=tuple[Choice, ...])


def decode_checklist(value: object) -> tuple[ChecklistStep, ...]:
    """The `checklist` column: a JSON string on both engines (decoded lists are accepted too)."""
    if value is None or value == "":
        return ()
    if isinstance(value, (str, bytes)):
        return msgspec.json.decode(value, type=tuple[ChecklistStep, ...])
    return msgspec.convert(value, type=tuple[ChecklistStep, ...])


async def load_catalog_snapshot(keywords_json: Path = KEYWORDS_JSON) -> Catalog:
    """Reads every service type (with its department and checklist) and every question: two queries
    in all; the keywords come from the data file."""
    keywords = read_keywords(keywords_json)
    type_rows = await repo.type_rows()
    question_rows = await repo.question_rows()

    questions: dict[int, list[Question]] = {}
    for q in question_rows:
        questions.setdefault(q["service_type"], []).append(
            Question(
                code=q["code"],
                label=q["label"],
                description=q["description"] or "",
                datatype=q["datatype"],
                required=bool(q["required"]),
                position=q["position"],
                choices=decode_choices(q["choices"]),
            )
        )
    types = [
        ServiceTypeInfo(
            id=t["id"],
            code=t["code"],
            name=t["name"],
            description=t["description"] or "",
            group=t["group_name"] or "Other",
            department=t["department_name"] or "",
            department_id=t["department_id"],
            open311_code=t["open311_code"] or None,
            popularity=t["popularity"] or 0,
            sla_days=t["sla_days"],
            active=bool(t["active"]),
            questions=tuple(questions.get(t["id"], ())),
            checklist=decode_checklist(t["checklist"]),
            keywords=keywords.get(t["code"], ()),
            private=bool(t["private"]),
        )
        for t in type_rows
    ]
    types.sort(key=lambda t: (-t.popularity, t.name))
    return Catalog(
        types=tuple(t for t in types if not t.private),
        private=tuple(t for t in types if t.private),
    )
