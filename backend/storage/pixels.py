"""Pixel budgets: what decoding a photo will cost, judged from its header before any decoding.

A 143 KB PNG can declare 49 megapixels: decoding it took ~0.5 s of CPU and ~150 MB, five per
request. The byte limit (10 MB) says nothing about that, so each photo is also judged by the pixels
it will decode to:

- A JPEG is decoded by libjpeg at 1/2, 1/4 or 1/8 scale (draft mode) down to about the 2000 px we
  keep: a 48 MP phone photo (8064x6048) decodes as 2016x1512, 3 MP (0.15 s, 37 MB). Other formats
  (PNG, WebP, HEIC) decode at full size. The budget is on *decoded* pixels: 25 MP a photo, so the
  24 MP HEIC recent iPhones save by default (5712x4284, 24.5 MP) fits. At that size decoding and
  re-encoding took 0.66 s and 140 MB as PNG, 0.77 s and 185 MB as HEIC, 0.67 s and 400 MB as WebP
  (Pillow decodes WebP through RGBA canvases, ~16 bytes a pixel).
- 125 MP a request: five such photos (MAX_PHOTOS), ~4 s of CPU one after another; less would
  refuse an iPhone user's third photo.
- Whatever the format, a header over 50 MP is refused (a 48 MP phone photo fits).
- "Huge but small", for lossless encodings (PNG, lossless WebP): above 4 MP, more than 250 pixels
  per byte is no photograph. Losslessly, a camera's noise does not compress: photo-like images
  took 1.3-3.3 pixels a byte, flat ones 280-2,700 (the 49 MP PNG: 343-1,029). Lossy codecs are
  left to the decoded budget: a smooth sky or wall took 244-531 pixels a byte as WebP (quality
  50-80) and up to 1,600 as HEIC, and a real photo must never be refused.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image

from backend.errors import Named, Wording, worded
from backend.storage.photo_limits import MAX_SIDE

MAX_DECLARED_PIXELS = 50_000_000
MAX_DECODED_PIXELS = 25_000_000
MAX_REQUEST_DECODED_PIXELS = 125_000_000
FLAT_MIN_PIXELS = 4_000_000
MAX_PIXELS_PER_BYTE = 250
KEPT_SIDE = MAX_SIDE  # the size JPEG draft decoding aims at

# Pillow's own guard: refuse above this (instead of its 89 MP default). Pillow only warns between
# once and twice the limit; that warning is an error here, which the checks below catch.
Image.MAX_IMAGE_PIXELS = MAX_DECLARED_PIXELS
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


class TooManyPixels(Exception):
    def __init__(self, message: str | Wording, index: int | None = None) -> None:
        """`message`: text, or parts that name the photos field (errors.Named)."""
        self.parts: Wording = (message,) if isinstance(message, str) else message
        self.message = worded(self.parts)
        super().__init__(self.message)
        self.index = index


@dataclass(frozen=True)
class PixelCost:
    width: int
    height: int
    decoded: int  # pixels the decoder will produce


_FORMAT_NAMES = {"HEIF": "HEIC", "WEBP": "WebP"}  # as residents know them


def draft_scale(size: tuple[int, int], side: int = KEPT_SIDE) -> int:
    """The scale (1, 2, 4 or 8) Pillow's JPEG draft picks for images.py's request to fit `size`
    in `side` (JpegImageFile.draft, Pillow 13): 4000x2667 decodes whole, not at half."""
    fit = min(1.0, side / max(size))
    target = max(1, round(size[0] * fit)), max(1, round(size[1] * fit))
    wanted = min(size[0] // target[0], size[1] // target[1])
    return next(s for s in (8, 4, 2, 1) if wanted >= s)


def cost_of(img: Image.Image, data: bytes) -> PixelCost:
    """The decoding cost of an opened (not yet loaded) image; raises TooManyPixels."""
    width, height = img.size
    declared = width * height
    if declared > MAX_DECLARED_PIXELS:
        raise TooManyPixels(
            f"Photo has too many pixels ({declared / 1e6:.1f} megapixels; the limit is "
            f"{MAX_DECLARED_PIXELS // 1_000_000} megapixels)."
        )
    scale = draft_scale(img.size) if img.format in ("JPEG", "MPO") else 1
    decoded = -(-width // scale) * -(-height // scale)
    if decoded > MAX_DECODED_PIXELS:
        name = _FORMAT_NAMES.get(img.format or "", img.format)
        raise TooManyPixels(
            f"Photo has too many pixels for a {name} ({declared / 1e6:.1f} megapixels; the limit "
            f"is {MAX_DECODED_PIXELS // 1_000_000} megapixels); send it as a JPEG or smaller."
        )
    if (
        declared > FLAT_MIN_PIXELS
        and declared > MAX_PIXELS_PER_BYTE * max(len(data), 1)
        and _lossless(img.format, data)
    ):
        raise TooManyPixels(
            f"Photo declares {declared / 1e6:.1f} megapixels in {len(data):,} bytes, which no "
            "camera photo does; send the photo as the camera saved it."
        )
    return PixelCost(width, height, decoded)


def _lossless(fmt: str | None, data: bytes) -> bool:
    """PNG, or a WebP whose image chunk is VP8L (lossless) rather than VP8 (lossy)."""
    if fmt != "WEBP":
        return fmt == "PNG"
    pos = 12  # RIFF, size, WEBP; then chunks: fourcc, little-endian size, body padded to even
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        if kind in (b"VP8 ", b"VP8L", b"ANMF"):
            return kind == b"VP8L"
        pos += (8 + int.from_bytes(data[pos + 4 : pos + 8], "little") + 1) & ~1
    return False


def check_pixel_budget(photos: list[bytes]) -> None:
    """Refuse, from the headers alone, a photo over its budget or a request over its own.

    Unreadable bytes are left to the full check (process_image), which refuses them properly.
    """
    total = 0
    for index, data in enumerate(photos):
        try:
            with Image.open(io.BytesIO(data)) as img:
                cost = cost_of(img, data)
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
                (
                    "These ",
                    Named("photos"),
                    " have too many pixels together (the limit is "
                    f"{MAX_REQUEST_DECODED_PIXELS // 1_000_000} megapixels a request); send fewer "
                    "or smaller ",
                    Named("photos"),
                    ".",
                ),
                index,
            )
