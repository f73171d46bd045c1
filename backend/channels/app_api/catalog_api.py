"""App API v1 catalog endpoints: the service types a resident can request, with their questions,
in the resident's language (Accept-Language: en, es, pl or zh; English otherwise)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Response, get
from litestar.params import FromPath, HeaderParameter

from backend.catalog.snapshot import Catalog, ServiceTypeInfo
from backend.catalog.translate import group_name, localized
from backend.channels.deps import Injected
from backend.channels.openapi_problems import problem_responses
from backend.errors import NotFound
from backend.i18n.accept import accepted_language
from backend.i18n.catalogs import LANGUAGES, SOURCE_LANGUAGE
from backend.limits import shown

from .render import service_out
from .schemas import CatalogOut, ServiceGroupOut, ServiceOut

AcceptLanguage = Annotated[
    str | None,
    HeaderParameter(
        name="Accept-Language",
        description="The resident's language: names, descriptions, questions and options in "
        "en, es, pl or zh (the first it prefers; English otherwise)",
    ),
]


def _headers(language: str) -> dict[str, str]:
    return {"Content-Language": language, "Vary": "Accept-Language"}


@get("/services", summary="Service catalog, grouped, with each type's questions")
async def list_services(
    catalog_out: Injected[dict[str, CatalogOut]], accept_language: AcceptLanguage = None
) -> Response[CatalogOut]:
    language = accepted_language(accept_language) or SOURCE_LANGUAGE
    return Response(catalog_out[language], headers=_headers(language))


def render_catalog(catalog: Catalog) -> dict[str, CatalogOut]:
    """The catalog as the app shows it, in each language."""
    return {
        language: CatalogOut(
            groups=[
                ServiceGroupOut(
                    name=group_name(language, name),
                    services=[_service(t, language) for t in types],
                )
                for name, types in catalog.groups()
            ]
        )
        for language in LANGUAGES
    }


@get(
    "/services/{code:str}",
    summary="One service type with its questions",
    responses=problem_responses(404),
)
async def get_service(
    code: FromPath[str], catalog: Injected[Catalog], accept_language: AcceptLanguage = None
) -> Response[ServiceOut]:
    service_type = catalog.by_code(code)
    if service_type is None or not service_type.active or service_type.private:
        raise NotFound.for_field("code", f"no service type has code '{shown(code)}'")
    language = accepted_language(accept_language) or SOURCE_LANGUAGE
    return Response(_service(service_type, language), headers=_headers(language))


def _service(service_type: ServiceTypeInfo, language: str) -> ServiceOut:
    """A type in `language`: its names, questions and options, and its group's name."""
    out = service_out(localized(service_type, language))
    return msgspec.structs.replace(out, group=group_name(language, out.group))


ROUTES = [list_services, get_service]
