"""`city311 sms parse`: texts in, one per line; one JSON reading out per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from sms.parse import Parsed, Parser

KEYS = ("intent", "service_code", "service_name", "confidence", "address", "lat", "long",
        "language", "tracking_number")  # fmt: skip


def as_json(r: Parsed) -> dict[str, object]:
    location = r.location if r.location is not None and r.location.found else None
    return {
        "intent": r.intent,
        "service_code": r.service_code,
        "service_name": r.service_name,
        "confidence": r.confidence,
        "address": location.address if location else None,
        "lat": location.lat if location else None,
        "long": location.long if location else None,
        "language": r.language,
        "tracking_number": r.tracking_number,
    }


def run(lines: Iterable[str], out: TextIO, parser: Parser | None = None) -> int:
    """Parses each non-empty line; returns 0 (the exit code)."""
    parser = parser or Parser.load()
    for line in lines:
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        out.write(json.dumps(as_json(parser.parse(text)), ensure_ascii=False) + "\n")
    return 0
