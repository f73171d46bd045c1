"""Payloads of the resident app API v1 (msgspec Structs, camelCase on the wire)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from backend.limits import (
    MAX_ANSWER_KEY,
    Address,
    Description,
    Email,
    Name,
    Phone,
    ServiceCode,
    line,
)


class Api(msgspec.Struct, rename="camel", kw_only=True):
    pass


class ChoiceOut(Api):
    key: str
    name: str


class QuestionOut(Api):
    code: str
    label: str
    description: str
    datatype: str
    required: bool
    choices: list[ChoiceOut]


class ServiceOut(Api):
    code: str
    name: str
    description: str
    group: str
    department: str
    sla_days: int | None
    questions: list[QuestionOut]


class ServiceGroupOut(Api):
    name: str
    services: list[ServiceOut]


class CatalogOut(Api):
    groups: list[ServiceGroupOut]


class DeviceIn(Api):
    platform: Literal["ios", "android", "web", "unknown"] = "unknown"


Base64Url = Annotated[
    str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]+=*$", min_length=16, max_length=128)
]


class PushKeysIn(Api):
    p256dh: Base64Url
    auth: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]+=*$", min_length=16, max_length=64)]


class PushSubscriptionIn(Api):
    """A browser's PushSubscription (`subscription.toJSON()`), and the language of its updates."""

    endpoint: Annotated[str, line(1024, "The push service's URL for this browser", min_length=8)]
    keys: PushKeysIn
    language: Literal["en", "es", "pl", "zh"] = "en"


class PushSubscriptionOut(Api):
    id: int
    language: str
    created_at: datetime


class PushKeyOut(Api):
    public_key: str  # the applicationServerKey for pushManager.subscribe


class DeviceOut(Api):
    token: str
    token_type: str = "bearer"


class RevokedOut(Api):
    revoked: bool


class SubmitIn(Api, forbid_unknown_fields=True):
    """A new service request. Location: lat/long, or a photo with GPS in its EXIF."""

    service_code: ServiceCode
    lat: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    long: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    description: Description = ""
    address: Address | None = None
    answers: dict[Annotated[str, line(MAX_ANSWER_KEY)], Any] = msgspec.field(default_factory=dict)
    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None


class PhotoOut(Api):
    url: str
    thumbnail_url: str


class LinksOut(Api):
    self_: str = msgspec.field(name="self")
    history: str
    follow: str


class RequestOut(Api):
    tracking_number: str
    service_code: str
    service_name: str
    status: str
    status_group: Literal["open", "closed"]
    description: str
    address: str | None
    lat: float
    long: float
    community_area: str | None
    ward: int | None
    police_district: int | None
    police_beat: str | None
    latest_public_note: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    photos: list[PhotoOut]
    links: LinksOut
    distance_m: float | None = None
    # when staff marked it a duplicate: the tracking number of the request it duplicates
    duplicate_of: str | None = None


class EventOut(Api):
    id: int  # its place in the history: the event stream's `id` (Last-Event-ID)
    kind: str
    from_status: str | None
    to_status: str | None
    note: str | None
    channel: str
    created_at: datetime


class HistoryOut(Api):
    tracking_number: str
    events: list[EventOut]


class RequestPageOut(Api):
    items: list[RequestOut]
    next: str | None


class FollowOut(Api):
    tracking_number: str
    following: bool


class WardOut(Api):
    number: int
    alderman: str
    office_address: str
    office_phone: str
    email: str


class PoliceDistrictOut(Api):
    number: int
    name: str
    station_address: str
    station_phone: str


class BeatMeetingOut(Api):
    """A beat meeting: `projected` when it is a date the beat's past pattern gives (not announced);
    `confirmed` when staff entered it."""

    starts_at: datetime
    ends_at: datetime | None
    location: str
    projected: bool
    confirmed: bool
    id: int | None = None  # a confirmed meeting's id (staff may take it back)


class BeatPatternOut(Api):
    """How a beat met in its latest year of published meetings."""

    description: str  # "fourth Wednesday of odd months, 6:30 pm, at Bucktown Library…"
    weekday: str  # Monday … Sunday
    week: int  # 1..4, or -1 for the last of the month
    months: Literal["odd", "even", "every"]
    time: str  # local, "18:30"
    location: str
    based_on: int
    first_meeting: date
    last_meeting: date


class BeatMeetingsOut(Api):
    beat: str
    district: int
    pattern: BeatPatternOut | None
    note: str  # says which dates are projected, and from what
    meetings: list[BeatMeetingOut]


class CityOut(Api):
    """Whom residents call: 311 in the city, `outsideCityPhone` from outside it."""

    name: str
    phone: str
    outside_city_phone: str
    website: str
    time_zone: str


class PlaceOut(Api):
    """A place a typed location may be: send its lat/long (and label as the address) to submit."""

    label: str
    lat: float
    long: float
    kind: Literal["address", "intersection", "landmark"]
    confidence: float
    address: str | None = None


class PlaceSearchOut(Api):
    query: str
    places: list[PlaceOut]
    reason: str = ""


class PlacesOut(Api):
    address: str | None
    lat: float
    long: float
    ward: WardOut | None
    community_area: str | None
    community_area_number: int | None
    neighborhood: str | None
    police_district: PoliceDistrictOut | None
    police_beat: str | None
    next_beat_meeting: BeatMeetingOut | None = None
