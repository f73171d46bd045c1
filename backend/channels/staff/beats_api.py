"""Staff console: beat meetings staff confirm (a CAPS office's announcement, a changed date or
place) — they win over the projected schedule residents are otherwise given — and take back."""

from __future__ import annotations

from typing import Annotated

from litestar import delete, post
from litestar.params import Parameter

from backend.channels.app_api.beats_api import Beat, meeting_out
from backend.channels.app_api.schemas import BeatMeetingOut
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import json_body, struct_schema
from backend.channels.openapi_problems import problem_responses
from backend.identity.staff import StaffRole
from backend.police.meetings import BeatMeetings, beat_number
from backend.service_requests.repo import MAX_ID

from .guards import staff_route
from .requests_api import body
from .schemas import BeatMeetingIn

ENTERING = (StaffRole.OPERATOR, StaffRole.SUPERVISOR)


@post(
    "/beats/{beat:str}/meetings",
    status_code=201,
    operation_class=json_body(struct_schema(BeatMeetingIn), at="BeatMeetingIn"),
    summary="Confirm a beat meeting (it replaces the projected date of its month)",
    opt=staff_route(*ENTERING),
    responses=problem_responses(400, 401, 403, 404, 415, 422),
)
async def confirm_meeting(
    request: AnyRequest, meetings: Injected[BeatMeetings], beat: Beat
) -> BeatMeetingOut:
    number = beat_number(beat)
    data: BeatMeetingIn = await body(request, BeatMeetingIn)
    meeting = await meetings.confirm(
        number, data.starts_at, data.location, data.ends_at, data.contact
    )
    return meeting_out(meeting)


@delete(
    "/beats/{beat:str}/meetings/{meeting_id:int}",
    status_code=204,
    summary="Take back a confirmed beat meeting (the projection shows again)",
    opt=staff_route(*ENTERING),
    responses=problem_responses(401, 403, 404, 422),
)
async def cancel_meeting(
    meetings: Injected[BeatMeetings],
    beat: Beat,
    meeting_id: Annotated[int, Parameter(ge=1, le=MAX_ID, description="the meeting's id")],
) -> None:
    await meetings.cancel(beat_number(beat), meeting_id)


ROUTES = [confirm_meeting, cancel_meeting]
