"""Turns domain views into app API payloads: local time, links, no reporter details."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import overload

from backend.catalog.snapshot import Catalog, ServiceTypeInfo
from backend.catalog.translate import service_name
from backend.city import TIME_ZONE
from backend.geo.city import city_map
from backend.identity.devices import DeviceService
from backend.service_requests.models import EventView, RequestView
from backend.service_requests.service import RequestService
from backend.service_requests.workflow import is_open

from .schemas import (
    ChoiceOut,
    EventOut,
    LinksOut,
    PhotoOut,
    QuestionOut,
    RequestOut,
    ServiceOut,
)

API = "/api/v1"


@overload
def local(value: datetime) -> datetime: ...
@overload
def local(value: None) -> None: ...
@overload
def local(value: datetime | None) -> datetime | None: ...
def local(value: datetime | None) -> datetime | None:
    return value.astimezone(TIME_ZONE) if value is not None else None


def service_out(t: ServiceTypeInfo) -> ServiceOut:
    return ServiceOut(
        code=t.code,
        name=t.name,
        description=t.description,
        group=t.group,
        department=t.department,
        sla_days=t.sla_days,
        questions=[
            QuestionOut(
                code=q.code,
                label=q.label,
                description=q.description,
                datatype=q.datatype,
                required=q.required,
                choices=[ChoiceOut(key=c.key, name=c.name) for c in q.choices],
            )
            for q in t.questions
        ],
    )


class RequestRenderer:
    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/") + API
        self._areas: dict[int | None, str] = {a.number: a.name for a in city_map().areas}

    def request(
        self,
        view: RequestView,
        near: tuple[float, float] | None = None,
        language: str | None = None,
    ) -> RequestOut:
        """`language`: the service's name in it (the catalog's translation; English otherwise)."""
        url = f"{self.base}/requests/{view.tracking_number}"
        return RequestOut(
            tracking_number=view.tracking_number,
            service_code=view.service_code,
            service_name=service_name(language, view.service_code, view.service_name)
            if language
            else view.service_name,
            status=view.status,
            status_group="open" if is_open(view.status) else "closed",
            description=view.description,
            address=view.address,
            lat=view.lat,
            long=view.long,
            community_area=self._areas.get(view.community_area),
            ward=view.ward,
            police_district=view.police_district,
            police_beat=view.police_beat,
            latest_public_note=view.latest_public_note,
            created_at=local(view.created_at),
            updated_at=local(view.updated_at),
            closed_at=local(view.closed_at),
            duplicate_of=view.duplicate_of,
            photos=[
                PhotoOut(
                    url=f"{self.base}/photos/{uid}",
                    thumbnail_url=f"{self.base}/photos/{uid}/thumbnail",
                )
                for uid in view.photo_uids
            ],
            links=LinksOut(self_=url, history=f"{url}/history", follow=f"{url}/follow"),
            distance_m=round(haversine_m(near, (view.lat, view.long)), 1) if near else None,
        )

    def url(self, path: str) -> str:
        return self.base + path


def event_out(e: EventView) -> EventOut:
    return EventOut(
        id=e.id,
        kind=e.kind,
        from_status=e.from_status,
        to_status=e.to_status,
        note=e.note,
        channel=e.channel,
        created_at=local(e.created_at),
    )


@dataclass(frozen=True, slots=True)
class RequestEndpoints:
    """What the app API's request endpoints (submit, status, nearby list, my requests, follow)
    use, injected as one dependency (`request_endpoints`, backend/channels/deps.py): Litestar
    resolves two or more dependencies of one handler concurrently, in an anyio task group per
    request, which costs more than the status lookup itself."""

    requests: RequestService
    devices: DeviceService
    catalog: Catalog
    renderer: RequestRenderer


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
