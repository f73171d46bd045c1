"""The catalog in a resident's language: service type names, questions and options translated by
the `catalog` message catalog (backend/i18n), the English of the database where one is missing
(a type staff added or renamed since the last `make messages`)."""

from __future__ import annotations

import msgspec

from backend.catalog.snapshot import Choice, Question, ServiceTypeInfo
from backend.i18n.catalogs import SOURCE_LANGUAGE, translation


def service_name(language: str, code: str, name: str) -> str:
    """A type's name in `language`; `name` (its English) when it has no translation."""
    return translation("catalog", language).pgettext(code, name)


def localized(service: ServiceTypeInfo, language: str) -> ServiceTypeInfo:
    """The type with its name, questions and options in `language` (codes and keys unchanged)."""
    if language == SOURCE_LANGUAGE:
        return service
    t = translation("catalog", language)

    def question(q: Question) -> Question:
        context = f"{service.code}.{q.code}"
        choices = tuple(Choice(c.key, t.pgettext(f"{context}.{c.key}", c.name)) for c in q.choices)
        return msgspec.structs.replace(q, label=t.pgettext(context, q.label), choices=choices)

    return msgspec.structs.replace(
        service,
        name=t.pgettext(service.code, service.name),
        questions=tuple(question(q) for q in service.questions),
    )
