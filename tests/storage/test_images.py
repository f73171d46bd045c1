"""Tests for photo validation and re-encoding; every test image is generated here with Pillow."""

from __future__ import annotations

import io
import random
import zlib

import pytest
from PIL import Image, ImageFile, ImageFilter, TiffImagePlugin

from backend.storage.images import (
    MAX_JPEG_SCANS,
    ImageRejected,
    ProcessedImage,
    process_image,
)
from backend.storage.photo_limits import MAX_PHOTO_BYTES, MAX_SIDE
from backend.storage.pixels import MAX_DECODED_PIXELS

LAT, LON = 41.9097, -87.6776


def _dms(value: float) -> tuple[TiffImagePlugin.IFDRational, ...]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 10000)
    return (
        TiffImagePlugin.IFDRational(degrees, 1),
        TiffImagePlugin.IFDRational(minutes, 1),
        TiffImagePlugin.IFDRational(seconds, 10000),
    )


def _exif(lat: float = LAT, lon: float = LON, orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0110] = "Model 3000"  # Model
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00secret comment"  # UserComment
    gps = exif.get_ifd(0x8825)
    gps[1] = "N" if lat >= 0 else "S"
    gps[2] = _dms(lat)
    gps[3] = "E" if lon >= 0 else "W"
    gps[4] = _dms(lon)
    return exif


def _gradient(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    img = Image.linear_gradient("L").resize(size)
    if mode == "L":
        return img
    return Image.merge("RGB", (img, img.transpose(Image.Transpose.FLIP_LEFT_RIGHT), img.rotate(90)))


def _save(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **params)
    return buf.getvalue()


def _assert_clean_jpeg(data: bytes, max_side: int) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG"
    assert img.mode == "RGB"
    assert max(img.size) <= max_side
    assert len(img.getexif()) == 0
    for key in ("exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp"):
        assert key not in img.info
    for marker in (b"Exif", b"ICC_PROFILE", b"http://ns.adobe.com/xap"):
        assert marker not in data
    img.load()
    return img


def _rejected(data: bytes) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        process_image(data)
    return caught.value


def test_jpeg_with_exif_is_stripped_rotated_and_gps_read() -> None:
    data = _save(_gradient((640, 480)), "JPEG", exif=_exif(), icc_profile=b"", comment=b"hello")
    source = Image.open(io.BytesIO(data))
    assert source.getexif()[0x0112] == 6
    gps = source.getexif().get_ifd(0x8825)
    # Pillow round-trips the GPS IFD
    assert gps[1] == "N" and gps[3] == "W" and float(gps[2][0]) == 41
    assert b"secret comment" in data

    result = process_image(data)

    assert isinstance(result, ProcessedImage)
    out = _assert_clean_jpeg(result.jpeg, MAX_SIDE)
    assert out.size == (480, 640) == (result.width, result.height)  # Orientation=6 applied
    assert b"secret comment" not in result.jpeg and b"TestCam" not in result.jpeg
    assert b"hello" not in result.jpeg
    thumb = _assert_clean_jpeg(result.thumbnail, 320)
    assert thumb.size == (240, 320)
    assert result.gps is not None
    assert result.gps[0] == pytest.approx(LAT, abs=1e-4)
    assert result.gps[1] == pytest.approx(LON, abs=1e-4)


def test_southern_and_eastern_coordinates_are_signed() -> None:
    data = _save(_gradient((64, 48)), "JPEG", exif=_exif(-33.8688, 151.2093, orientation=1))
    result = process_image(data)
    assert result.gps == pytest.approx((-33.8688, 151.2093), abs=1e-4)
    assert (result.width, result.height) == (64, 48)


@pytest.mark.parametrize("lat, lon", [(0.0, 0.0), (95.0, 10.0), (10.0, 190.0)])
def test_implausible_gps_is_ignored(lat: float, lon: float) -> None:
    data = _save(_gradient((64, 48)), "JPEG", exif=_exif(lat, lon, orientation=1))
    assert process_image(data).gps is None


def test_gps_with_zero_denominator_is_ignored() -> None:
    exif = _exif(orientation=1)
    exif.get_ifd(0x8825)[2] = (
        TiffImagePlugin.IFDRational(41, 0),
        TiffImagePlugin.IFDRational(0, 1),
        TiffImagePlugin.IFDRational(0, 1),
    )
    data = _save(_gradient((64, 48)), "JPEG", exif=exif)
    assert process_image(data).gps is None


def test_jpeg_without_exif_has_no_gps() -> None:
    result = process_image(_save(_gradient((64, 48)), "JPEG"))
    assert result.gps is None
    assert (result.width, result.height) == (64, 48)


def test_png_alpha_is_flattened_on_white() -> None:
    img = Image.new("RGBA", (100, 50), (255, 0, 0, 255))
    img.paste((0, 0, 255, 0), (50, 0, 100, 50))  # right half fully transparent
    result = process_image(_save(img, "PNG"))
    out = _assert_clean_jpeg(result.jpeg, MAX_SIDE)
    assert (result.width, result.height) == (100, 50)
    red, white = out.getpixel((10, 25)), out.getpixel((90, 25))
    assert isinstance(red, tuple) and isinstance(white, tuple)
    assert red[0] > 240 and red[1] < 20 and red[2] < 20
    assert min(white) > 240


@pytest.mark.parametrize("mode", ["P", "LA", "L", "I;16", "CMYK", "1"])
def test_other_modes_become_rgb(mode: str) -> None:
    img = _gradient((120, 80)).convert("RGBA")
    if mode == "I;16":
        src = Image.new("I;16", (120, 80), 40000)
        fmt = "PNG"
    elif mode == "CMYK":
        src, fmt = img.convert("RGB").convert("CMYK"), "JPEG"
    else:
        src, fmt = img.convert(mode), "PNG"
    result = process_image(_save(src, fmt))
    out = _assert_clean_jpeg(result.jpeg, MAX_SIDE)
    assert out.size == (120, 80)
    if mode == "I;16":
        # 40000/65535 of full scale, not clipped to white
        assert 145 < out.getpixel((60, 40))[0] < 165


def test_webp_with_exif_gps() -> None:
    result = process_image(_save(_gradient((300, 200)), "WEBP", exif=_exif(orientation=1)))
    _assert_clean_jpeg(result.jpeg, MAX_SIDE)
    assert (result.width, result.height) == (300, 200)
    assert result.gps == pytest.approx((LAT, LON), abs=1e-4)


def test_png_with_exif_gps_and_orientation() -> None:
    result = process_image(_save(_gradient((300, 200)), "PNG", exif=_exif(orientation=6)))
    _assert_clean_jpeg(result.jpeg, MAX_SIDE)
    assert (result.width, result.height) == (200, 300)
    assert result.gps == pytest.approx((LAT, LON), abs=1e-4)


def test_heic_is_accepted_with_gps() -> None:
    try:
        data = _save(_gradient((320, 240)), "HEIF", exif=_exif(orientation=1), quality=80)
    except Exception as exc:  # pillow_heif built without an HEVC encoder
        pytest.skip(f"this pillow_heif build cannot encode HEIF: {exc}")
    assert data[4:8] == b"ftyp"
    result = process_image(data)
    _assert_clean_jpeg(result.jpeg, MAX_SIDE)
    assert (result.width, result.height) == (320, 240)
    assert result.gps == pytest.approx((LAT, LON), abs=1e-4)


def test_mpo_from_phone_cameras_counts_as_jpeg() -> None:
    frames = [_gradient((200, 100)), _gradient((200, 100))]
    data = _save(
        frames[0], "MPO", save_all=True, append_images=frames[1:], exif=_exif(orientation=1)
    )
    assert Image.open(io.BytesIO(data)).format == "MPO"
    result = process_image(data)
    _assert_clean_jpeg(result.jpeg, MAX_SIDE)
    assert result.gps == pytest.approx((LAT, LON), abs=1e-4)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "PDF"])
def test_other_image_formats_are_unsupported(fmt: str) -> None:
    error = _rejected(_save(_gradient((64, 48)), fmt))
    assert error.reason == "unsupported"
    assert "JPEG" in error.message and "HEIC" in error.message


@pytest.mark.parametrize(
    "data", [b"hello, this is not a photo\n" * 10, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]
)
def test_text_and_documents_are_unsupported(data: bytes) -> None:
    assert _rejected(data).reason == "unsupported"


def test_random_bytes_are_corrupt() -> None:
    data = random.Random(311).randbytes(50_000)
    assert _rejected(data).reason == "corrupt"
    assert _rejected(b"").reason == "corrupt"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_files_are_corrupt(fmt: str) -> None:
    data = _save(_noisy((400, 300)), fmt)
    for cut in (len(data) // 2, 40, 12):
        assert _rejected(data[:cut]).reason == "corrupt", (fmt, cut)


def test_truncated_heic_is_corrupt() -> None:
    try:
        data = _save(_gradient((320, 240)), "HEIF")
    except Exception as exc:
        pytest.skip(f"this pillow_heif build cannot encode HEIF: {exc}")
    for cut in (len(data) // 2, 40):
        assert _rejected(data[:cut]).reason == "corrupt", cut


def test_over_size_limit_is_rejected_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("decoded an over-limit upload")

    monkeypatch.setattr(Image, "open", no_decoding)
    error = _rejected(b"\xff\xd8\xff" + b"\x00" * (MAX_PHOTO_BYTES + 1 - 3))
    assert error.reason == "too_large"
    assert "10 MB" in error.message


def test_decompression_bomb_is_rejected() -> None:
    # 64 megapixels of black compress to a few hundred KB of PNG.
    data = _save(Image.new("L", (8_000, 8_000)), "PNG")
    assert len(data) < MAX_PHOTO_BYTES
    error = _rejected(data)
    assert error.reason == "too_large"
    assert "megapixels" in error.message


def test_header_claiming_enormous_dimensions_is_rejected() -> None:
    data = bytearray(_save(Image.new("RGB", (16, 16)), "PNG"))
    data[16:24] = (60_000).to_bytes(4, "big") * 2  # IHDR width and height
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    assert _rejected(bytes(data)).reason == "too_large"  # Pillow's own DecompressionBombError
    data[29:33] = b"\0\0\0\0"
    assert _rejected(bytes(data)).reason == "corrupt"


def _noisy(size: tuple[int, int]) -> Image.Image:
    noise = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(1))
    base = _gradient(size)
    return Image.merge("RGB", [Image.blend(band, noise, 0.5) for band in base.split()])


def test_large_realistic_photo_is_downscaled() -> None:
    data = _save(_noisy((3000, 4000)), "JPEG", quality=88, exif=_exif(orientation=1))
    assert 1_500_000 < len(data) < MAX_PHOTO_BYTES
    result = process_image(data)
    out = _assert_clean_jpeg(result.jpeg, MAX_SIDE)
    assert out.size == (1500, 2000) == (result.width, result.height)
    thumb = _assert_clean_jpeg(result.thumbnail, 320)
    assert thumb.size == (240, 320)
    assert result.gps == pytest.approx((LAT, LON), abs=1e-4)


def _no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any decoding fail the test: Pillow's load, not ours (process_image would call a
    failure there "corrupt", not "too_large")."""

    def decoded(*args: object, **kwargs: object) -> None:
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(Image.Image, "load", decoded)
    monkeypatch.setattr(ImageFile.ImageFile, "load", decoded)


def test_a_49_megapixel_png_is_refused_without_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _save(Image.new("L", (7000, 7000)), "PNG")  # 49 MP of black in ~50-150 KB
    _no_decoding(monkeypatch)
    error = _rejected(data)
    assert error.reason == "too_large"
    assert "PNG" in error.message and f"limit is {MAX_DECODED_PIXELS // 10**6}" in error.message


def _progressive(scans: int, size: tuple[int, int] = (1600, 1200), mode: str = "RGB") -> bytes:
    """A progressive JPEG of `scans` scans: Pillow writes 10 (6 in grey); more repeat its last
    scan, which libjpeg decodes again (with a warning) at the cost of a pass over every block."""
    data = _save(Image.new(mode, size, 128), "JPEG", progressive=True, quality=90)
    written = data.count(b"\xff\xda")
    last = data.rfind(b"\xff\xda")
    assert data.endswith(b"\xff\xd9") and scans >= written
    return data[:-2] + data[last:-2] * (scans - written) + b"\xff\xd9"


def test_a_jpeg_of_too_many_scans_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _progressive(1000)  # ~50 KB; decoding it took 4 s of CPU at 12 MP, 17 s at 48 MP
    assert len(data) < 100_000
    _no_decoding(monkeypatch)
    error = _rejected(data)
    assert error.reason == "too_large"
    assert f"limit {MAX_JPEG_SCANS} progressive scans" in error.message


def test_progressive_jpegs_as_encoders_write_them_pass() -> None:
    for data in (
        _save(_noisy((640, 480)), "JPEG", progressive=True),  # 10 scans
        _save(_gradient((640, 480), "L"), "JPEG", progressive=True),  # 6 scans
        _progressive(MAX_JPEG_SCANS),
    ):
        assert process_image(data).width in (640, 1600)
    assert _rejected(_progressive(MAX_JPEG_SCANS + 1)).reason == "too_large"


def test_sos_bytes_outside_the_first_picture_are_not_counted_as_scans() -> None:
    """An SOS byte pair in APP data (an EXIF thumbnail, a maker note) or after the picture's EOI
    (a phone's trailer: depth map, motion photo, MPO picture) is never decoded by libjpeg."""
    base = _save(_noisy((640, 480)), "JPEG", progressive=True)
    body = b"\xff\xda" * (2 * MAX_JPEG_SCANS)
    app9 = b"\xff\xe9" + (len(body) + 2).to_bytes(2, "big") + body
    for data in (base[:2] + app9 + base[2:], base + body):
        assert data.count(b"\xff\xda") > MAX_JPEG_SCANS
        assert process_image(data).width == 640


def test_a_jpeg_of_endless_segments_is_refused() -> None:
    """Scans hidden behind more segments than any camera writes are not walked to."""
    filler = b"\xff\xfe\x00\x04\xff\xda" * 2000  # comments, each holding an SOS byte pair
    base = _save(_gradient((64, 48)), "JPEG")
    assert _rejected(base[:2] + filler + base[2:]).reason == "too_large"
