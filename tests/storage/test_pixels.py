"""Pixel budgets: decompression bombs and huge-but-small images are refused from their headers,
before any decoding; real phone photos pass."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image, ImageFile

from backend.storage.images import ImageRejected, process_image
from backend.storage.pixels import (
    MAX_REQUEST_DECODED_PIXELS,
    TooManyPixels,
    check_pixel_budget,
    draft_scale,
)


def _encode(image: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **kw)
    return out.getvalue()


def _photo_like(size: tuple[int, int]) -> Image.Image:
    """Noise over a gradient: compresses like a camera photo, not like a flat colour."""
    small = Image.effect_noise((size[0] // 8, size[1] // 8), 64).convert("RGB")
    return small.resize(size, Image.Resampling.BILINEAR)


@pytest.fixture(scope="module")
def flat_png_49mp() -> bytes:
    data = _encode(Image.new("L", (7000, 7000)), "PNG")
    assert len(data) < 200_000  # tens of megapixels in a few hundred KB
    return data


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its (empty) data never delivers."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_the_49_megapixel_png_is_refused_before_decoding(flat_png_49mp, monkeypatch):
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)  # Pillow's, not ours
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    started = time.perf_counter()
    with pytest.raises(TooManyPixels) as refused:
        check_pixel_budget([flat_png_49mp])
    assert refused.value.index == 0
    assert time.perf_counter() - started < 0.05
    monkeypatch.undo()
    rejected = pytest.raises(ImageRejected, process_image, flat_png_49mp)
    assert rejected.value.reason == "too_large"


@pytest.mark.parametrize("size", [(100_000, 100_000), (20_000, 20_000), (9000, 6000)])
def test_declared_sizes_over_the_limit_are_refused(size):
    data = _png_header_only(*size)
    with pytest.raises(TooManyPixels):
        check_pixel_budget([data])
    assert pytest.raises(ImageRejected, process_image, data).value.reason == "too_large"


@pytest.mark.parametrize("fmt,kw", [("JPEG", {"quality": 90}), ("PNG", {}), ("WEBP", {})])
def test_a_12_megapixel_photo_passes_in_every_format(fmt, kw):
    data = _encode(_photo_like((4000, 3000)), fmt, **kw)
    if len(data) > 10 * 1024 * 1024:
        pytest.skip(f"a 12 MP {fmt} of this noise is over the 10 MB byte limit anyway")
    check_pixel_budget([data])
    assert process_image(data).width == 2000


def test_a_48_megapixel_phone_jpeg_passes_and_decodes_at_a_quarter():
    assert draft_scale((8064, 6048)) == 4 and draft_scale((4000, 3000)) == 2
    data = _encode(_photo_like((8064, 6048)), "JPEG", quality=80)
    check_pixel_budget([data])
    started = time.perf_counter()
    assert process_image(data).width == 2000
    assert time.perf_counter() - started < 2


def test_a_48_megapixel_png_is_too_many_pixels_to_decode():
    data = _png_header_only(8064, 6048)
    with pytest.raises(TooManyPixels, match="PNG"):
        check_pixel_budget([data])


def test_a_request_over_its_pixel_budget_names_the_photo_that_crossed_it():
    # 20 MP each, decoded at full size (WebP), under the per-photo budget
    photo = _encode(_photo_like((5000, 4000)), "WEBP", quality=40)
    per_photo = 20_000_000
    fits = MAX_REQUEST_DECODED_PIXELS // per_photo
    check_pixel_budget([photo] * fits)
    with pytest.raises(TooManyPixels) as refused:
        check_pixel_budget([photo] * (fits + 1))
    assert refused.value.index == fits


def test_unreadable_bytes_are_left_to_the_full_check():
    check_pixel_budget([b"not an image", b"\x89PNG\r\n\x1a\nbroken"])
