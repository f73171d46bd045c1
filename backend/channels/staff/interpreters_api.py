"""Staff console: the interpreter callback queue (the language bank) — texts in a language City311
does not write, waiting for an operator to call back with an interpreter; oldest first, and
marked done with the interpreter's language and the request filed on the call, if any. The
resident's phone is here because staff call it; it is never shown anywhere public."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import Parameter

from backend.channels.openapi_bodies import json_body
from backend.channels.openapi_problems import problem_responses
from backend.identity.staff import StaffPrincipal, StaffRole
from backend.interpreters.callbacks import CallbackView, LanguageTag
from backend.limits import MAX_NOTE, line, text
from backend.service_requests.repo import MAX_ID

from .guards import staff_route
from .requests_api import body
from .schemas import Api

CALLERS = (StaffRole.OPERATOR, StaffRole.SUPERVISOR)
Id = Annotated[int, Parameter(ge=1, le=MAX_ID)]
PAGE = 50


class InterpreterCallbackOut(Api):
    id: int
    phone: str
    channel: str
    language: str | None  # detected: ISO 639-1 where it has one ("ar", "ht"); None: unnamed
    language_name: str  # "Arabic", "Haitian Creole", "unidentified"
    text: str  # the resident's texts, one a line, oldest first
    texts: int
    status: str  # open, done
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    done_by: int | None
    interpreter_language: str | None
    tracking_number: str | None
    note: str | None


class InterpreterCallbackListOut(Api):
    items: list[InterpreterCallbackOut]
    next_after_id: int | None


class CallbackDoneIn(Api):
    """The call back made: the interpreter's language (the detected one if left out), the
    request filed on the call, a note."""

    interpreter_language: LanguageTag | None = None
    tracking_number: Annotated[str, line(40, min_length=1)] | None = None
    note: Annotated[str, text(MAX_NOTE)] | None = None


def _out(view: CallbackView) -> InterpreterCallbackOut:
    return InterpreterCallbackOut(**{name: getattr(view, name) for name in view.__struct_fields__})


@get(
    "/interpreter-callbacks",
    summary="Texts waiting for a call back with an interpreter, oldest first (keyset pages)",
    opt=staff_route(*CALLERS),
    responses=problem_responses(401, 403, 422),
)
async def callbacks(
    state: State,
    status: Annotated[
        Literal["open", "done"], Parameter(description="open (the default) or done")
    ] = "open",
    after_id: Annotated[int | None, Parameter(query="afterId", ge=0, le=MAX_ID)] = None,
) -> InterpreterCallbackListOut:
    items = await state.services.interpreters.page(status, PAGE + 1, after_id)
    more = len(items) > PAGE
    items = items[:PAGE]
    return InterpreterCallbackListOut(
        items=[_out(v) for v in items], next_after_id=items[-1].id if more else None
    )


@get(
    "/interpreter-callbacks/{callback_id:int}",
    summary="One interpreter callback",
    opt=staff_route(*CALLERS),
    responses=problem_responses(401, 403, 404, 422),
)
async def callback(state: State, callback_id: Id) -> InterpreterCallbackOut:
    return _out(await state.services.interpreters.get(callback_id))


@post(
    "/interpreter-callbacks/{callback_id:int}/done",
    status_code=200,
    operation_class=json_body(CallbackDoneIn),
    summary="Mark a callback done: the interpreter language used, the request filed (409 if "
    "already done)",
    opt=staff_route(*CALLERS),
    responses=problem_responses(400, 401, 403, 404, 409, 415, 422),
)
async def callback_done(
    request: Request, state: State, staff: StaffPrincipal, callback_id: Id
) -> InterpreterCallbackOut:
    data: CallbackDoneIn = await body(request, CallbackDoneIn)
    view = await state.services.interpreters.done(
        callback_id,
        staff_id=staff.id,
        interpreter_language=data.interpreter_language,
        tracking_number=data.tracking_number,
        note=data.note,
    )
    return _out(view)


ROUTES = [callbacks, callback, callback_done]
