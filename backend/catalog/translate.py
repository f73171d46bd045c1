"""The catalog in a resident's (or an operator's) language: service type names and descriptions,
questions, their hints and options, the groups' names and the operators' intake checklists,
translated by the `catalog` message catalog (backend/i18n), the English of the database where one
is missing (a type staff added or reworded since the last `make messages`). Contexts as
backend/i18n/extract.py writes them."""

from __future__ import annotations

import msgspec

from backend.catalog.snapshot import ChecklistStep, Choice, Question, ServiceTypeInfo
from backend.i18n.catalogs import SOURCE_LANGUAGE, translation


def service_name(language: str, code: str, name: str) -> str:
    """A type's name in `language`; `name` (its English) when it has no translation."""
    return translation("catalog", language).pgettext(code, name)


def group_name(language: str, group: str) -> str:
    """The name of a group of types ("Animals") in `language`; `group` when it has none."""
    if language == SOURCE_LANGUAGE or not group.strip():
        return group
    return translation("catalog", language).pgettext("group", group)


def localized(service: ServiceTypeInfo, language: str) -> ServiceTypeInfo:
    """The type with its name, questions and options in `language` (codes and keys unchanged)."""
    if language == SOURCE_LANGUAGE:
        return service
    t = translation("catalog", language)

    def text(context: str, english: str) -> str:
        return t.pgettext(context, english) if english.strip() else english

    def question(q: Question) -> Question:
        context = f"{service.code}.{q.code}"
        choices = tuple(Choice(c.key, t.pgettext(f"{context}.{c.key}", c.name)) for c in q.choices)
        return msgspec.structs.replace(
            q,
            label=t.pgettext(context, q.label),
            description=text(f"{context}/description", q.description),
            choices=choices,
        )

    return msgspec.structs.replace(
        service,
        name=t.pgettext(service.code, service.name),
        description=text(f"{service.code}/description", service.description),
        questions=tuple(question(q) for q in service.questions),
        checklist=tuple(
            ChecklistStep(s.id, text(f"{service.code}/checklist/{s.id}", s.text))
            for s in service.checklist
        ),
    )
