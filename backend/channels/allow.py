"""OPTIONS answers that list every method of a path.

Litestar 2.25 answers OPTIONS from the route built when the first handler of a path was registered,
so a path whose methods come from several handlers (GET and POST /requests; POST and DELETE
…/follow) answered `Allow: OPTIONS, POST`. Such paths declare their OPTIONS themselves.
"""

from __future__ import annotations

from litestar import Response, route
from litestar.handlers import HTTPRouteHandler


def options_for(path: str, *methods: str) -> HTTPRouteHandler:
    allow = ", ".join(sorted({*methods, "OPTIONS"}))

    async def options() -> Response[None]:
        return Response(None, status_code=204, headers={"Allow": allow})

    return route(path, http_method=["OPTIONS"], include_in_schema=False, name=f"options:{path}")(
        options
    )
