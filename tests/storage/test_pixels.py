"""Pixel budgets: decompression bombs and huge-but-small images are refused from their headers,
before any decoding; real phone photos pass."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageChops, ImageFile

from backend.storage.images import ImageRejected, _fit, process_image
from backend.storage.pixels import (
    MAX_PIXELS_PER_BYTE,
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
    with pytest.raises(TooManyPixels) as refused:  # how fast: bench/pixels.py
        check_pixel_budget([flat_png_49mp])
    assert refused.value.index == 0
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
    assert process_image(data).width == 2000  # how fast: bench/pixels.py


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


def test_the_24_megapixel_heic_of_recent_iphones_passes_five_to_a_request():
    try:
        data = _encode(Image.new("RGB", (5712, 4284), (90, 120, 200)), "HEIF", quality=80)
    except Exception as exc:
        pytest.skip(f"this pillow_heif build cannot encode HEIF: {exc}")
    check_pixel_budget([data] * 5)  # 24.5 MP each: a user's five photos, as the phone saved them
    with pytest.raises(TooManyPixels) as refused:
        check_pixel_budget([data] * 6)
    assert refused.value.index == 5


def _smooth(size: tuple[int, int]) -> Image.Image:
    """A clear sky: a gradient with a little sensor noise, which lossy codecs smooth away."""
    sky = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    noise = Image.effect_noise(size, 1)
    return Image.merge("RGB", [ImageChops.add(sky.point(f), noise, 1, -128) for f in _SKY])


_SKY = (lambda v: 90 + v // 4, lambda v: 140 + v // 5, lambda v: 200 + v // 6)


def test_huge_but_small_is_judged_on_lossless_encodings_only():
    sky = _smooth((2400, 1800))  # 4.3 MP, over FLAT_MIN_PIXELS
    lossy = _encode(sky, "WEBP", quality=50)
    assert sky.width * sky.height > MAX_PIXELS_PER_BYTE * len(lossy)  # a real photo, this small
    check_pixel_budget([lossy])
    assert process_image(lossy).width == 2000
    flat = Image.new("RGB", sky.size, (90, 140, 200))
    for data in (_encode(flat, "PNG"), _encode(flat, "WEBP", lossless=True)):
        with pytest.raises(TooManyPixels, match="no camera photo"):
            check_pixel_budget([data])
        assert pytest.raises(ImageRejected, process_image, data).value.reason == "too_large"
    noisy = _encode(_photo_like((2400, 1800)), "WEBP", lossless=True)
    check_pixel_budget([noisy])


@pytest.mark.parametrize("size", [(4000, 3000), (4000, 2667), (8064, 6048), (6000, 1000)])
def test_draft_scale_is_the_scale_pillow_decodes_a_jpeg_at(size):
    data = _encode(Image.new("L", size), "JPEG")
    with Image.open(io.BytesIO(data)) as img:
        img.draft(None, _fit(size, 2000))
        scale = draft_scale(size)
        assert img.size == (-(-size[0] // scale), -(-size[1] // scale))
