"""Open311's two formats from one tree of values: XML (the spec's default) and JSON.

A document is a root tag, the tag of each item, and the items, each an ordered dict of the spec's
element names. JSON drops the root (a top-level array; the service definition is an object); XML
writes every element, an absent value as an empty element, lists as repeated child elements
(`values` → `value`, `notes` → `note`…). Both are UTF-8; XML starts with its declaration.
"""

from __future__ import annotations

from typing import Any

import msgspec

from backend.errors import DomainError

FORMATS = ("xml", "json")
# Litestar adds "; charset=utf-8" to text types itself; JSON is UTF-8 by definition (RFC 8259).
MEDIA_TYPES = {"xml": "text/xml", "json": "application/json"}
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
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
# Characters XML 1.0 cannot carry at all (C0 controls but tab, LF, CR): dropped from text.
_NOT_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])

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


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value).translate(_NOT_XML).translate(_ESCAPES)


def _element(tag: str, value: Any, out: list[str]) -> None:
    if value is None:
        out.append(f"<{tag}/>")
    elif isinstance(value, dict):
        out.append(f"<{tag}>")
        for key, inner in value.items():
            _element(key, inner, out)
        out.append(f"</{tag}>")
    elif isinstance(value, list):
        child = CHILD_TAG.get(tag, "item")
        out.append(f"<{tag}>")
        for inner in value:
            _element(child, inner, out)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{_text(value)}</{tag}>")


def to_xml(root: str, value: list | dict) -> bytes:
    out = [DECLARATION]
    _element(root, value, out)
    return "".join(out).encode()


def encode(fmt: str, root: str, value: list | dict) -> bytes:
    """The document in `fmt`: `root` names the XML root (the JSON has none)."""
    return _json.encode(value) if fmt == "json" else to_xml(root, value)
