"""The catalog and requests in Open311's terms: service list and definitions, a request with its
status collapsed to open/closed (the detail in `extended_attributes`), notes, W3C datetimes.

Everything here is a plain dict in the spec's element order; formats.py writes it as XML or JSON.
Public only: a reporter's name, phone, e-mail and ids are never among these fields.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.catalog.snapshot import Catalog, ServiceTypeInfo
from backend.city import CITY, TIME_ZONE
from backend.service_requests.models import EventView, RequestView
from backend.service_requests.workflow import is_open

JURISDICTION = CITY.open311_jurisdiction
# The one jurisdiction_id accepted (case aside), as a pattern both JSON Schema and Python read alike.
JURISDICTION_PATTERN = (
    "^("
    + "".join(
        f"[{c}{c.upper()}]" if c.isalpha() else "\\" + c if c == "." else c for c in JURISDICTION
    )
    + ")?$"
)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# What each history event is called in `notes` (Chicago's note types: opened, closed, activity…).
NOTE_TYPES = {"submitted": "opened", "note": "activity", "merged": "activity"}


def w3c(moment: datetime | None) -> str | None:
    """2026-11-29T06:00:00-06:00: Chicago's offset, whole seconds (the spec's W3C subset)."""
    if moment is None:
        return None
    return moment.astimezone(TIME_ZONE).isoformat(timespec="seconds")


def service_entry(t: ServiceTypeInfo) -> dict:
    return {
        "service_code": t.code,
        "service_name": t.name,
        "description": t.description,
        "metadata": bool(t.questions),
        "type": "realtime",
        "keywords": ", ".join(getattr(t, "keywords", ()) or ()),
        "group": t.group,
    }


def service_list(catalog: Catalog) -> list[dict]:
    """Active types, grouped as the city's portal groups them, most requested first."""
    return [service_entry(t) for _, types in catalog.groups() for t in types]


def service_definition(t: ServiceTypeInfo) -> dict:
    return {
        "service_code": t.code,
        "attributes": [
            {
                "variable": True,
                "code": q.code,
                "datatype": q.datatype,
                "required": q.required,
                "datatype_description": _datatype_help(q.datatype),
                "order": order,
                "description": q.label + (f" ({q.description})" if q.description else ""),
                "values": [{"key": c.key, "name": c.name} for c in q.choices],
            }
            for order, q in enumerate(sorted(t.questions, key=lambda q: q.position), start=1)
        ],
    }


def _datatype_help(datatype: str) -> str | None:
    return {
        "number": "a number, zero or more",
        "datetime": "a date and time with its offset, e.g. 2026-06-01T14:30:00-05:00",
        "multivaluelist": "one or more keys: attribute[CODE][]=key for each",
        "singlevaluelist": "one of the keys",
    }.get(datatype)


class RequestMapper:
    """RequestView -> the spec's request element. `base_url` makes media links absolute."""

    def __init__(self, catalog: Catalog, base_url: str) -> None:
        self.catalog = catalog
        self.photo_base = base_url.rstrip("/") + "/api/v1/photos/"
        # per type: (agency, SLA, service notice), computed once
        self._types = {
            t.code: (
                t.department,
                timedelta(days=t.sla_days) if t.sla_days else None,
                f"Typically handled within {t.sla_days} days." if t.sla_days else None,
            )
            for t in catalog.types
        }

    def notice(self, service_code: str) -> str | None:
        return self._types.get(service_code, (None, None, None))[2]

    def request(self, view: RequestView, notes: list[EventView] | None = None) -> dict:
        agency, sla, notice = self._types.get(view.service_code, (None, None, None))
        open_ = is_open(view.status)
        entry = {
            "service_request_id": view.tracking_number,
            "status": "open" if open_ else "closed",
            "status_notes": view.latest_public_note,
            "service_name": view.service_name,
            "service_code": view.service_code,
            "description": view.description,
            "agency_responsible": agency,
            "service_notice": notice,
            "requested_datetime": w3c(view.created_at),
            # a closed request's update time is when it closed
            "updated_datetime": w3c(
                view.updated_at if open_ else view.closed_at or view.updated_at
            ),
            "expected_datetime": w3c(view.created_at + sla) if sla and open_ else None,
            "address": view.address,
            "address_id": None,
            "zipcode": None,
            "lat": view.lat,
            "long": view.long,
            "media_url": self.photo_base + view.photo_uids[0]
            if view.photo_uids
            else view.media_url,
        }
        if notes is not None:
            entry["extended_attributes"] = {
                "channel": view.channel,
                "detailed_status": view.status,
                "ward": view.ward,
                "community_area": view.community_area,
                "police_district": view.police_district,
                "police_beat": view.police_beat,
                "duplicate": view.duplicate_of is not None,
                "parent_service_request_id": view.duplicate_of,
            }
            entry["notes"] = [note_entry(e) for e in notes]
        return entry


def note_entry(event: EventView) -> dict:
    if event.kind == "status_changed":
        kind = "closed" if event.to_status and not is_open(event.to_status) else "activity"
        summary = f"Status changed to {(event.to_status or '').replace('_', ' ')}"
    else:
        kind = NOTE_TYPES.get(event.kind, "activity")
        summary = "Request opened" if event.kind == "submitted" else "Note"
    return {
        "datetime": w3c(event.created_at),
        "type": kind,
        "summary": summary,
        "description": event.note,
    }
