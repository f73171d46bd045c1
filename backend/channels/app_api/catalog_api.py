"""App API v1 catalog endpoints: the service types a resident can request, with their questions."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import State
from litestar.params import FromPath

from backend.channels.openapi_problems import problem_responses
from backend.errors import NotFound
from backend.limits import shown

from .render import service_out
from .schemas import CatalogOut, ServiceGroupOut, ServiceOut


@get("/services", summary="Service catalog, grouped, with each type's questions")
async def list_services(state: State) -> CatalogOut:
    return state.catalog_out


def render_catalog(catalog) -> CatalogOut:
    return CatalogOut(
        groups=[
            ServiceGroupOut(name=name, services=[service_out(t) for t in types])
            for name, types in catalog.groups()
        ]
    )


@get(
    "/services/{code:str}",
    summary="One service type with its questions",
    responses=problem_responses(404),
)
async def get_service(code: FromPath[str], state: State) -> ServiceOut:
    service_type = state.services.catalog.by_code(code)
    if service_type is None or not service_type.active or service_type.private:
        raise NotFound.for_field("code", f"no service type has code '{shown(code)}'")
    return service_out(service_type)


ROUTES = [list_services, get_service]
