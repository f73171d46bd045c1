"""Staff console payloads: camelCase msgspec Structs with the same text limits as the domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from backend.channels.app_api.schemas import PlacesOut
from backend.interpreters.callbacks import LanguageTag
from backend.limits import MAX_ADDRESS, MAX_DESCRIPTION, MAX_NOTE, line, text
from backend.service_requests.repo import MAX_ID
from backend.service_requests.workflow import Status, WorkStatus

Note = Annotated[str, text(MAX_NOTE)]
Code = Annotated[str, line(32, min_length=1)]


class Api(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    pass


class CallerIn(Api):
    name: Annotated[str, line(120)] | None = None
    phone: Annotated[str, line(32)] | None = None
    email: Annotated[str, line(254)] | None = None


class IntakeIn(Api):
    """A phone report: the caller's problem, where it is, and how the call was taken."""

    service_code: Code
    address: Annotated[str, line(MAX_ADDRESS)] | None = None
    lat: float | None = None
    long: float | None = None
    description: Annotated[str, text(MAX_DESCRIPTION)] = ""
    answers: dict[str, Any] = msgspec.field(default_factory=dict)
    caller: CallerIn | None = None
    language: Annotated[str, line(8, min_length=2)] = "en"
    interpreter_used: bool = False
    # the language of the interpreter who helped ("ar", "ht"; ISO 639): implies interpreterUsed
    interpreter_language: LanguageTag | None = None
    # the caller wants texts about it (their phone follows the request)
    notify_caller: bool = False


class BeatMeetingIn(Api):
    """A beat meeting staff know of: it wins over the projected date of its month."""

    starts_at: Annotated[datetime, msgspec.Meta(tz=True)]
    location: Annotated[str, line(200, min_length=1)]
    ends_at: Annotated[datetime, msgspec.Meta(tz=True)] | None = None
    contact: Annotated[str, line(200)] = ""


class TransitionIn(Api):
    to: Status
    # the status the staff member saw: a request changed meanwhile is a 409, not overwritten
    from_: Status | None = msgspec.field(default=None, name="from")
    reason_code: Annotated[str, line(40)] | None = None
    public_note: Note | None = None
    internal_note: Note | None = None


class NoteIn(Api):
    note: Note
    public: bool = False


class ReclassifyIn(Api):
    service_code: Code
    note: Note | None = None


class MoveIn(Api):
    address: Annotated[str, line(MAX_ADDRESS)] | None = None
    lat: float | None = None
    long: float | None = None


class DuplicateIn(Api):
    original: Annotated[str, line(40, min_length=1)]
    note: Note | None = None


class WorkOrderIn(Api):
    status: WorkStatus | None = None
    assignee_id: Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)] | None = None
    unassign: bool = False
    note: Note | None = None


class ChecklistStepOut(Api):
    id: str
    text: str


class CallerOut(Api):
    name: str | None
    phone: str | None
    email: str | None


class WorkOrderOut(Api):
    id: int
    status: str
    department_id: int
    department: str
    assignee_id: int | None
    assignee: str | None
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    tracking_number: str
    service_code: str
    service_name: str
    request_status: str
    address: str | None
    ward: int | None
    community_area: int | None
    request_created_at: datetime
    sla_due_at: datetime | None
    # the language the resident used (the request's): en, es, pl, zh, or a phone call's
    language: str | None


class EventOut(Api):
    kind: str
    from_status: str | None
    to_status: str | None
    note: str | None
    public: bool
    actor: str
    channel: str
    created_at: datetime


class RequestSummaryOut(Api):
    tracking_number: str
    service_code: str
    service_name: str
    status: str
    address: str | None
    lat: float
    long: float
    created_at: datetime
    duplicate_of: str | None
    # the language the resident used: the SMS conversation's, the app's, the phone call's;
    # null when unknown (Open311)
    language: str | None


class StaffRequestOut(Api):
    """Everything staff see of a request: the caller's contact, the whole history (internal
    notes too), its work orders and its type's checklist."""

    tracking_number: str
    service_code: str
    service_name: str
    status: str
    description: str
    address: str | None
    lat: float
    long: float
    ward: int | None
    community_area: int | None
    police_district: int | None
    police_beat: str | None
    # who serves the place (ward and alderman's office, district station, beat and its next
    # meeting, shown on the request screen); None outside every area
    places: PlacesOut | None
    channel: str
    duplicate_of: str | None
    latest_public_note: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    caller: CallerOut
    # the language the resident used: the SMS conversation's, the app's, the phone call's;
    # null when unknown (Open311)
    language: str | None
    interpreter_used: bool
    interpreter_language: str | None
    answers: dict[str, Any]
    checklist: list[ChecklistStepOut]
    work_orders: list[WorkOrderOut]
    history: list[EventOut]


class IntakeOut(Api):
    request: StaffRequestOut
    possible_duplicates: list[RequestSummaryOut]


class RequestListOut(Api):
    items: list[RequestSummaryOut]


class QueueOut(Api):
    items: list[WorkOrderOut]
    next_after_id: int | None


class AuditOut(Api):
    id: int
    actor_kind: str
    actor_id: int | None
    kind: str
    tracking_number: str | None
    details: dict[str, Any]
    ip: str | None
    created_at: datetime


class AuditListOut(Api):
    items: list[AuditOut]
    next_before_id: int | None
