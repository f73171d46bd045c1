"""Tracking numbers in Chicago's format `SR26-00012345`: formatting and lenient parsing."""

from __future__ import annotations

import re

# "SR" + two-digit year + sequence; without a dash or space between year and sequence the
# sequence must be all eight digits, so "SR-12345" is not misread as year 12.
_LENIENT = re.compile(
    r"^\s*sr\s*[-#]?\s*(\d{2})(?:\s*[-\s]\s*(\d{1,8})|(\d{8}))\s*$", re.IGNORECASE
)


def format_tracking_number(year: int, sequence: int) -> str:
    if not 0 < sequence <= 99_999_999:
        raise ValueError(f"sequence {sequence} out of range")
    return f"SR{year % 100:02d}-{sequence:08d}"


def parse_tracking_number(text: str) -> str | None:
    """Canonical form of a tracking number typed loosely (`sr 26 12345`, `SR26-00012345`), else None."""
    match = _LENIENT.match(text)
    if not match:
        return None
    year, sequence = match.group(1), match.group(2) or match.group(3)
    if int(sequence) == 0:
        return None
    return f"SR{year}-{int(sequence):08d}"
