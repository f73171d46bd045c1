"""Operator console: the language bank's queue — texts in a language City311 does not write,
waiting for an operator to call back with an interpreter — oldest first, and the form that marks
one called back (the interpreter's language, the request filed on the call, a note). The same
InterpreterCallbacks service and roles as the staff API's /interpreter-callbacks."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template

from backend.channels.console.intake_form import OFFERED
from backend.channels.console.request_page import as_api, may, said, same_roles, when
from backend.channels.console.session import form_of, page
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.staff import interpreters_api, requests_api
from backend.errors import DomainError
from backend.identity.staff import StaffPrincipal
from backend.interpreters.callbacks import CallbackView, InterpreterCallbacks
from backend.limits import MAX_NOTE
from backend.service_requests.repo import MAX_ID

PAGE = interpreters_api.PAGE


def intake_link(view: CallbackView) -> str:
    """The intake screen set for the call back: the resident's language, with an interpreter."""
    query: dict[str, str] = {"interpreter": "on"}
    if view.language:
        offered = view.language in OFFERED
        query["language"] = view.language if offered else "other"
        if not offered:
            query["other_language"] = view.language
        query["interpreter_language"] = view.language
    return "/staff/intake?" + urlencode(query)


async def render_list(
    interpreters: InterpreterCallbacks,
    staff: StaffPrincipal,
    status: str = "open",
    after: int | None = None,
    *,
    done: int | None = None,
    error: DomainError | None = None,
    failed: int | None = None,
    typed: dict[str, str] | None = None,
) -> Template:
    items = await interpreters.page(status, PAGE + 1, after)
    more = len(items) > PAGE
    items = items[:PAGE]
    next_page = f"/staff/callbacks?status={status}&after={items[-1].id}" if more else None
    return page(
        "callbacks.html",
        staff,
        error.status if error else 200,
        items=items,
        showing=status,
        after=after,
        next_page=next_page,
        done=done,
        error=error,
        # the callback whose form the refusal is shown by (at the top when it is not listed)
        failed=failed if any(c.id == failed and c.status == "open" for c in items) else None,
        typed=typed or {},
        when=when,
        intake_link=intake_link,
        may_file=may(staff, requests_api.intake),
        said=said,
        max_note=MAX_NOTE,
    )


@get(
    "/callbacks",
    include_in_schema=False,
    opt=same_roles(interpreters_api.callbacks, nav="Callbacks"),
)
async def callbacks_page(
    interpreters: Injected[InterpreterCallbacks],
    staff: Injected[StaffPrincipal],
    status: Literal["open", "done"] = "open",
    after: Annotated[int | None, Parameter(ge=0, le=MAX_ID)] = None,
    done: Annotated[int | None, Parameter(ge=1, le=MAX_ID)] = None,
) -> Template:
    return await render_list(interpreters, staff, status, after, done=done)


@post(
    "/callbacks/{callback_id:int}/done",
    include_in_schema=False,
    opt=same_roles(interpreters_api.callback_done),
)
async def callback_done(
    request: AnyRequest,
    interpreters: Injected[InterpreterCallbacks],
    staff: Injected[StaffPrincipal],
    callback_id: Annotated[int, Parameter(ge=1, le=MAX_ID)],
) -> Response[Any]:
    form = await form_of(request)

    try:
        data = as_api(
            interpreters_api.CallbackDoneIn,
            {
                "interpreterLanguage": form.get("interpreter_language", "").strip(),
                "trackingNumber": form.get("tracking_number", "").strip(),
                "note": form.get("note", "").strip(),
            },
        )
        await interpreters.done(
            callback_id,
            staff_id=staff.id,
            interpreter_language=data.interpreter_language,
            tracking_number=data.tracking_number,
            note=data.note,
        )
    except DomainError as exc:
        if exc.status not in (409, 422):
            raise
        typed = {k: v for k, v in form.items() if not k.startswith("_")}
        return await render_list(interpreters, staff, error=exc, failed=callback_id, typed=typed)
    return Redirect(f"/staff/callbacks?done={callback_id}", status_code=303)


ROUTES = [callbacks_page, callback_done]
