"""Photo intake: check an upload by content, read its GPS, re-encode as clean JPEG + thumbnail."""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from typing import Any

import pillow_heif
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from backend.storage.photo_limits import MAX_PHOTO_BYTES, MAX_PHOTO_MB, MAX_SIDE
from backend.storage.pixels import MAX_DECLARED_PIXELS, TooManyPixels, cost_of

pillow_heif.register_heif_opener()

MAX_PIXELS = MAX_DECLARED_PIXELS  # a 48 MP phone photo (8064x6048) fits; bombs don't (pixels.py)
THUMB_SIDE = 320
JPEG_QUALITY = 85
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}  # judged by content, never by file name
# A progressive JPEG is decoded scan by scan and every scan walks every block, whatever the draft
# scale: repeating a 75-byte scan cost 17 ms each on a 48 MP JPEG (4 ms on 12 MP), so a 504 KB
# file of 1,000 scans took 17 s of CPU (10 MB of them: ~37 min) within every pixel budget.
# Encoders write 10 scans (libjpeg, Pillow, ImageMagick; 6 for grey), Photoshop 3-5, mozjpeg a
# subset of its 64 candidates. 32 scans of a 48 MP JPEG cost 0.6-0.7 s: what a 24 MP WebP costs.
MAX_JPEG_SCANS = 32
_MAX_JPEG_MARKERS = 1000  # a phone JPEG has well under 100 segments (APPn, tables, scans)
# A marker: in entropy-coded data 0xFF is followed by 0x00 (stuffing) or D0-D7 (restarts) only.
_JPEG_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")

# Pillow names a JPEG carrying a multi-picture index (common from phones) "MPO".
_FORMAT_ALIASES = {"MPO": "JPEG"}
_ACCEPTED_TEXT = "JPEG, PNG, WebP or HEIC"
_GPS_IFD = 0x8825
_HEIF_BRANDS = {
    b"heic",
    b"heix",
    b"heim",
    b"heis",
    b"hevc",
    b"hevx",
    b"hevm",
    b"hevs",
    b"mif1",
    b"msf1",
}
_ACCEPTED_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
_OTHER_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"ID3",
    b"OggS",
    b"\x1aE\xdf\xa3",
)
_SRGB = ImageCms.createProfile("sRGB")


class ImageRejected(Exception):
    """An unacceptable upload. `reason` is "too_large", "unsupported" or "corrupt"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class ProcessedImage:
    jpeg: bytes  # no metadata at all, orientation applied, longest side <= MAX_SIDE
    thumbnail: bytes  # JPEG, longest side <= THUMB_SIDE
    width: int  # of `jpeg`
    height: int
    gps: tuple[float, float] | None  # (lat, long) from the original's EXIF


def process_image(data: bytes) -> ProcessedImage:
    """Validate and re-encode an uploaded photo. Raises ImageRejected, never a Pillow error."""
    if len(data) > MAX_PHOTO_BYTES:
        raise ImageRejected("too_large", f"Photo is larger than the {MAX_PHOTO_MB} MB limit.")
    try:
        img = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        raise _unrecognized(data) from None
    except Exception:
        raise _corrupt() from None
    with img:
        fmt = _FORMAT_ALIASES.get(img.format or "", img.format)
        if fmt not in ACCEPTED_FORMATS:
            raise _unsupported(img.format)
        width, height = img.size
        if width <= 0 or height <= 0:
            raise _corrupt()
        try:
            cost_of(img, data)  # the pixel budget, before anything is decoded
        except TooManyPixels as exc:
            raise ImageRejected("too_large", exc.message) from None
        if fmt == "JPEG":
            _check_scans(data)
        try:
            return _reencode(img)
        except Image.DecompressionBombError:
            raise _too_many_pixels() from None
        except Exception:
            raise _corrupt() from None


def _reencode(img: ImageFile.ImageFile) -> ProcessedImage:
    gps = _read_gps(img)
    icc = img.info.get("icc_profile")
    if img.format in ("JPEG", "MPO"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the photo is far bigger than we keep.
        img.draft(None, _fit(img.size, MAX_SIDE))
    # Decode in one call rather than in 64 KB blocks: Pillow releases the GIL for each call, and
    # taking it back after every block starved (and was starved by) the event loop's thread.
    img.decodermaxblock = max(img.decodermaxblock, MAX_PHOTO_BYTES + 1)
    img.load()
    ImageOps.exif_transpose(img, in_place=True)
    photo = _resizable(img)
    photo.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    photo = _to_rgb(photo, icc)
    # A box reduction first (cheap), then the fine filter on a small image.
    factor = max(1, min(photo.size) // (THUMB_SIDE * 2))
    thumb = photo.reduce(factor) if factor > 1 else photo.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        jpeg=_encode(photo),
        thumbnail=_encode(thumb),
        width=photo.width,
        height=photo.height,
        gps=gps,
    )


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    scale = min(1.0, side / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _resizable(img: Image.Image) -> Image.Image:
    """Bring palette, bilevel, 16-bit etc. to L/LA/RGB/RGBA/CMYK so resampling is smooth."""
    if img.mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return img
    if img.mode in ("I", "I;16", "I;16L", "I;16B", "I;16N"):
        return img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if img.mode in ("P", "PA"):
        return img.convert("RGBA" if img.mode == "PA" or "transparency" in img.info else "RGB")
    if img.mode == "1":
        return img.convert("L")
    if img.mode in ("La", "RGBa"):
        return img.convert(img.mode.upper())
    return img.convert("RGBA" if "A" in img.getbands() else "RGB")


def _to_rgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """Flatten alpha on white and convert to sRGB, honouring an embedded ICC profile when usable."""
    if img.mode in ("LA", "RGBA"):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", img.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        img = flat if img.mode == "RGBA" else flat.convert("L")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(img, source, _SRGB, outputMode="RGB")
            if converted is not None:
                return converted
        except Exception:  # a broken or mismatched profile: fall back to treating pixels as sRGB
            pass
    return img if img.mode == "RGB" else img.convert("RGB")


def _encode(img: Image.Image) -> bytes:
    img.info = {}  # Pillow would otherwise carry e.g. a JPEG comment over from the source
    out = io.BytesIO()
    # No `optimize`: its extra Huffman pass costs ~40% more encode time for ~5% fewer bytes.
    img.save(out, format="JPEG", quality=JPEG_QUALITY, exif=b"")
    return out.getvalue()


def _read_gps(img: Image.Image) -> tuple[float, float] | None:
    """(lat, long) in signed degrees from the EXIF GPS IFD; None if absent or implausible."""
    try:
        gps = img.getexif().get_ifd(_GPS_IFD)
        lat = _degrees(gps.get(2), gps.get(1), "N", "S")
        lon = _degrees(gps.get(4), gps.get(3), "E", "W")
    except Exception:
        return None
    if lat is None or lon is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon


def _degrees(value: Any, ref: Any, positive: str, negative: str) -> float | None:
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    ref = str(ref or "").strip("\x00 ").upper()
    if ref not in (positive, negative) or value is None:
        return None
    parts = value if isinstance(value, (tuple, list)) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    total: float = sum(float(part) / 60**i for i, part in enumerate(parts))
    if not math.isfinite(total) or any(float(part) < 0 for part in parts):
        return None
    return -total if ref == negative else total


def _check_scans(data: bytes) -> None:
    """Refuse a JPEG whose first picture has more than MAX_JPEG_SCANS scans, without decoding.

    Counting every SOS marker in the file (in C) is an upper bound; only over the limit are the
    segments walked as libjpeg reads them, since an EXIF thumbnail, binary APP data, a second MPO
    picture or a phone's trailer after the picture's EOI can hold more, and libjpeg skips them.
    """
    if data.count(b"\xff\xda") <= MAX_JPEG_SCANS:
        return
    scans, pos = 0, 2  # after SOI
    for _ in range(_MAX_JPEG_MARKERS):
        found = _JPEG_MARKER.search(data, pos)
        if found is None or data[found.start() + 1] == 0xD9:  # EOI ends the first picture
            return
        kind, pos = data[found.start() + 1], found.end()
        if kind in (0x01, 0xD8):  # TEM and SOI have no length
            continue
        scans += kind == 0xDA
        if scans > MAX_JPEG_SCANS:
            break
        pos += int.from_bytes(data[pos : pos + 2], "big")  # skips APP data and scan headers
    message = (
        f"Photo is saved in too many passes to process (limit {MAX_JPEG_SCANS} progressive "
        "scans); send the photo as the camera saved it."
    )
    raise ImageRejected("too_large", message)


def _unrecognized(data: bytes) -> ImageRejected:
    """Pillow found no format: bytes claiming an accepted one are corrupt, text etc. unsupported."""
    head = data[:32]
    if head[4:8] == b"ftyp":
        return _corrupt() if head[8:12] in _HEIF_BRANDS else _unsupported(None)
    if head.startswith(_ACCEPTED_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return _corrupt()
    if head.startswith(_OTHER_MAGIC) or head[:4] == b"RIFF" or _looks_like_text(data[:1024]):
        return _unsupported(None)
    return _corrupt()


def _looks_like_text(sample: bytes) -> bool:
    return bool(sample) and not any(b < 9 or 13 < b < 32 or b == 127 for b in sample)


def _unsupported(fmt: str | None) -> ImageRejected:
    found = f" (got {fmt})" if fmt else ""
    message = f"Unsupported file type{found}; send a {_ACCEPTED_TEXT} photo."
    return ImageRejected("unsupported", message)


def _corrupt() -> ImageRejected:
    message = "The photo could not be read; the file may be damaged or incomplete."
    return ImageRejected("corrupt", message)


def _too_many_pixels() -> ImageRejected:
    message = f"Photo has too many pixels (limit {MAX_PIXELS // 1_000_000} megapixels)."
    return ImageRejected("too_large", message)
