"""Open311's two formats from one tree of values: XML (the spec's default) and JSON.

A document is a root tag, the tag of each item, and the items, each an ordered dict of the spec's
element names. JSON drops the root (a top-level array; the service definition is an object); XML
writes every element, an absent value as an empty element, lists as repeated child elements
(`values` → `value`, `notes` → `note`…). Both are UTF-8; XML starts with its declaration.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from backend.errors import DomainError

FORMATS = ("xml", "json")
# Litestar adds "; charset=utf-8" to text types itself; JSON gets it here, as the spec asks.
MEDIA_TYPES = {"xml": "text/xml", "json": "application/json; charset=utf-8"}
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
# The element each list's entries are written as in XML.
CHILD_TAG = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
    "photos": "photo",
}
# One pass over a text: the XML escapes, and the characters XML 1.0 cannot carry at all (C0
# controls but tab, LF and CR; the surrogates; U+FFFE and U+FFFF) dropped. The inputs refuse them
# (backend/limits.py); this is the second guard, for what got in before or from elsewhere (a
# client's value echoed in an error, the catalog).
_XML_TEXT = str.maketrans(
    {
        **dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), *range(0xD800, 0xE000)]),
        0xFFFE: None,
        0xFFFF: None,
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
    }
)
_NEEDS_ESCAPING = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]").search


def _esc(value: str | None) -> str:
    """A text as element content ('' for None); most need no change, and a search says so."""
    if not value:
        return ""
    return value.translate(_XML_TEXT) if _NEEDS_ESCAPING(value) else value


# An element's keys in order -> "<k1>{}</k1><k2>{}</k2>…", filled by one str.format: a page of
# requests costs a format call and a conversion per value, not a function call per element. An
# absent value is an empty element (`<zipcode></zipcode>`, the same as `<zipcode/>` to XML).
_TEMPLATES: dict[tuple[str, ...], str] = {}

_json = msgspec.json.Encoder()


class BadFormat(DomainError):
    """An unknown suffix: `services.csv`."""

    status = 404
    title = "Not found"
    slug = "not-found"


def split_format(name: str) -> tuple[str, str]:
    """'PHF.json' -> ('PHF', 'json'); an unknown or missing suffix is a 404."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix not in FORMATS:
        raise BadFormat.for_field("format", "Bad extension. We support .xml and .json")
    return stem, suffix


def _content(tag: str, value: Any) -> str:
    """What goes between <tag> and </tag>."""
    kind = type(value)
    if kind is str:
        return _esc(value)
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    if kind is dict:
        return _fill(value)
    if kind is list:
        child = CHILD_TAG.get(tag, "item")
        return "".join(f"<{child}>{_content(child, inner)}</{child}>" for inner in value)
    return str(value).translate(_XML_TEXT)


# A request's own fields, in the spec's order, and how each is written: the texts escaped, the
# values we make ourselves (ids, codes, statuses, datetimes, numbers) as they are. One f-string a
# request: a page of 200 costs about a millisecond.
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)


def _request(e: dict[str, Any]) -> str:
    out = (
        f"<service_request_id>{e['service_request_id']}</service_request_id>"
        f"<status>{e['status']}</status>"
        f"<status_notes>{_esc(e['status_notes'])}</status_notes>"
        f"<service_name>{_esc(e['service_name'])}</service_name>"
        f"<service_code>{_esc(e['service_code'])}</service_code>"
        f"<description>{_esc(e['description'])}</description>"
        f"<agency_responsible>{_esc(e['agency_responsible'])}</agency_responsible>"
        f"<service_notice>{_esc(e['service_notice'])}</service_notice>"
        f"<requested_datetime>{e['requested_datetime'] or ''}</requested_datetime>"
        f"<updated_datetime>{e['updated_datetime'] or ''}</updated_datetime>"
        f"<expected_datetime>{e['expected_datetime'] or ''}</expected_datetime>"
        f"<address>{_esc(e['address'])}</address>"
        f"<address_id>{_esc(e['address_id'])}</address_id>"
        f"<zipcode>{_esc(e['zipcode'])}</zipcode>"
        f"<lat>{e['lat']}</lat><long>{e['long']}</long>"
        f"<media_url>{_esc(e['media_url'])}</media_url>"
    )
    if len(e) > len(REQUEST_FIELDS):  # extensions
        out += "".join(
            f"<{k}>{_content(k, v)}</{k}>" for k, v in e.items() if k not in REQUEST_FIELDS
        )
    return out


def _fill(element: dict[str, Any]) -> str:
    if "service_request_id" in element and "requested_datetime" in element:
        return _request(element)
    keys = tuple(element)
    template = _TEMPLATES.get(keys)
    if template is None:
        template = _TEMPLATES[keys] = "".join(f"<{k}>{{}}</{k}>" for k in keys)
    return template.format(*[_content(k, v) for k, v in element.items()])


def to_xml(root: str, value: list[Any] | dict[str, Any]) -> bytes:
    return f"{DECLARATION}<{root}>{_content(root, value)}</{root}>".encode()


def encode(fmt: str, root: str, value: list[Any] | dict[str, Any]) -> bytes:
    """The document in `fmt`: `root` names the XML root (the JSON has none)."""
    return _json.encode(value) if fmt == "json" else to_xml(root, value)
