"""Pixel budgets: what decoding a photo will cost, judged from its header before any decoding.

A 143 KB PNG can declare 49 megapixels: decoding it took ~0.5 s of CPU and ~150 MB, five per
request. The byte limit (10 MB) says nothing about that, so each photo is also judged by the pixels
it will decode to:

- A JPEG is decoded by libjpeg at 1/2, 1/4 or 1/8 scale (draft mode) down to about the 2000 px we
  keep: a 48 MP phone photo (8064x6048) decodes as 2016x1512, 3 MP. Other formats (PNG, WebP, HEIC)
  decode at full size. The budget is on *decoded* pixels: 24 MP a photo (a 24 MP HEIC, the default
  of recent iPhones, fits; 72 MB of RGB) and 60 MP a request (five 12 MP photos).
- Whatever the format, a header over 50 MP is refused (a 48 MP phone photo fits).
- "Huge but small": above 4 MP, more than 250 pixels per byte of file is no photograph (a noisy
  12 MP JPEG has ~4 pixels a byte, a dark, flat one ~20-50; a flat-colour PNG of 49 MP in 143 KB
  has 343) and is refused, whatever its format.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

MAX_DECLARED_PIXELS = 50_000_000
MAX_DECODED_PIXELS = 24_000_000
MAX_REQUEST_DECODED_PIXELS = 60_000_000
FLAT_MIN_PIXELS = 4_000_000
MAX_PIXELS_PER_BYTE = 250
KEPT_SIDE = 2000  # = images.MAX_SIDE: the size JPEG draft decoding aims at

# Pillow's own guard: warn above this, refuse above twice it (instead of its 89 MP default).
Image.MAX_IMAGE_PIXELS = MAX_DECLARED_PIXELS


class TooManyPixels(Exception):
    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


@dataclass(frozen=True)
class PixelCost:
    width: int
    height: int
    decoded: int  # pixels the decoder will produce


def draft_scale(size: tuple[int, int], side: int = KEPT_SIDE) -> int:
    """The largest of 1, 2, 4, 8 by which libjpeg can shrink `size` and still cover `side`."""
    scale = 1
    while scale < 8 and max(size) // (scale * 2) >= side:
        scale *= 2
    return scale


def cost_of(img: Image.Image, size_bytes: int) -> PixelCost:
    """The decoding cost of an opened (not yet loaded) image; raises TooManyPixels."""
    width, height = img.size
    declared = width * height
    if declared > MAX_DECLARED_PIXELS:
        raise TooManyPixels(
            f"Photo has too many pixels ({declared / 1e6:.0f} megapixels; the limit is "
            f"{MAX_DECLARED_PIXELS // 1_000_000})."
        )
    scale = draft_scale(img.size) if img.format in ("JPEG", "MPO") else 1
    decoded = -(-width // scale) * -(-height // scale)
    if decoded > MAX_DECODED_PIXELS:
        raise TooManyPixels(
            f"Photo has too many pixels for a {img.format} ({declared / 1e6:.0f} megapixels; the "
            f"limit is {MAX_DECODED_PIXELS // 1_000_000}); send it as a JPEG or smaller."
        )
    if declared > FLAT_MIN_PIXELS and declared > MAX_PIXELS_PER_BYTE * max(size_bytes, 1):
        raise TooManyPixels(
            f"Photo declares {declared / 1e6:.0f} megapixels in {size_bytes:,} bytes, which no "
            "camera photo does; send the photo as the camera saved it."
        )
    return PixelCost(width, height, decoded)


def check_pixel_budget(photos: list[bytes]) -> None:
    """Refuse, from the headers alone, a photo over its budget or a request over its own.

    Unreadable bytes are left to the full check (process_image), which refuses them properly.
    """
    total = 0
    for index, data in enumerate(photos):
        try:
            with Image.open(io.BytesIO(data)) as img:
                cost = cost_of(img, len(data))
        except TooManyPixels as exc:
            exc.index = index
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise TooManyPixels(
                f"Photo has too many pixels (the limit is {MAX_DECLARED_PIXELS // 1_000_000} "
                "megapixels).",
                index,
            ) from None
        except Exception:  # not an image we can read: process_image says why
            continue
        total += cost.decoded
        if total > MAX_REQUEST_DECODED_PIXELS:
            raise TooManyPixels(
                f"These photos have too many pixels together (the limit is "
                f"{MAX_REQUEST_DECODED_PIXELS // 1_000_000} megapixels a request); send fewer "
                "or smaller photos.",
                index,
            )
