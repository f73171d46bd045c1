"""Test data made on the fly: photos (with or without GPS in EXIF) and request payloads."""

from __future__ import annotations

import io
from fractions import Fraction

from PIL import Image

from backend.service_requests.models import SubmitCommand

WICKER_PARK = (41.9097, -87.6776)
EVANSTON = (42.0451, -87.6877)


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction(round(((value - degrees) * 60 - minutes) * 60 * 10000), 10000)
    return Fraction(degrees), Fraction(minutes), seconds


def photo_bytes(
    gps: tuple[float, float] | None = None,
    size=(640, 480),
    fmt="JPEG",
    name: str | None = "Pixel 8",
) -> bytes:
    """A small real image; with `gps`, its EXIF carries the location like a phone camera's."""
    image = Image.new("RGB", size, (120, 90, 60))
    exif = Image.Exif()
    if name:
        exif[0x010F] = "Google"  # Make
        exif[0x0110] = name  # Model
    if gps:
        lat, long = gps
        exif[0x8825] = {
            1: "N" if lat >= 0 else "S",
            2: _dms(lat),
            3: "E" if long >= 0 else "W",
            4: _dms(long),
        }
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes() if len(exif) else b"")
    return buffer.getvalue()


def pothole(**changes) -> SubmitCommand:
    """A valid pothole report at Wicker Park (change any field)."""
    values: dict = dict(
        service_code="PHF",
        channel="app",
        lat=WICKER_PARK[0],
        long=WICKER_PARK[1],
        answers={"LOCATION": "curb_lane"},
    )
    values.update(changes)
    return SubmitCommand(**values)
