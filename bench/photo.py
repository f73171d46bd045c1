"""A realistic ~2 MB phone photo: 4000x3000 JPEG of a street scene with sensor noise and EXIF GPS.

Flat synthetic images compress to almost nothing, and pure noise to 10+ MB; a phone photo is in
between. The scene (sky, buildings, asphalt, a pothole) plus Gaussian noise is encoded at the
quality that lands closest to the target size, with an iPhone-like EXIF block (make, model, time,
GPS), so the server's EXIF and GPS reading runs as it would on a real upload.
"""

from __future__ import annotations

import io
from datetime import datetime

import numpy as np
from PIL import Image

WIDTH, HEIGHT = 4000, 3000


def _scene(rng: np.random.Generator, noise_sigma: float) -> Image.Image:
    y = np.linspace(0.0, 1.0, HEIGHT, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, WIDTH, dtype=np.float32)[None, :]
    img = np.empty((HEIGHT, WIDTH, 3), dtype=np.float32)
    horizon = 0.45
    sky = y < horizon
    # Sky: blue to pale towards the horizon.
    img[..., 0] = np.where(sky, 120 + 90 * y / horizon, 0)
    img[..., 1] = np.where(sky, 160 + 60 * y / horizon, 0)
    img[..., 2] = np.where(sky, 230 - 10 * y / horizon, 0)
    # Asphalt: grey, darker near the camera, with coarse texture.
    road = ~sky
    texture = rng.normal(0, 1, (HEIGHT // 8 + 1, WIDTH // 8 + 1)).astype(np.float32)
    texture = np.kron(texture, np.ones((8, 8), dtype=np.float32))[:HEIGHT, :WIDTH] * 9
    base = 120 - 40 * (y - horizon) / (1 - horizon) + 0 * x
    for c, tint in enumerate((1.0, 1.0, 1.05)):
        img[..., c] = np.where(road, base * tint + texture, img[..., c])
    # Buildings along the horizon: blocks of brick and stone colours with windows.
    left = 0
    while left < WIDTH:
        width = int(rng.integers(250, 700))
        top = int(HEIGHT * (horizon - rng.uniform(0.12, 0.35)))
        colour = rng.choice([(150, 80, 60), (190, 170, 140), (110, 100, 95), (170, 120, 90)])
        bottom = int(HEIGHT * horizon)
        img[top:bottom, left : left + width] = colour
        for wy in range(top + 40, bottom - 60, 110):
            for wx in range(left + 30, left + width - 60, 90):
                img[wy : wy + 60, wx : wx + 45] = (40, 50, 60)
        left += width
    # Lane marking and a pothole.
    img[int(HEIGHT * 0.72) : int(HEIGHT * 0.74), :, :] = (215, 200, 90)
    yy, xx = np.ogrid[:HEIGHT, :WIDTH]
    hole = ((xx - WIDTH * 0.55) / 520.0) ** 2 + ((yy - HEIGHT * 0.85) / 230.0) ** 2 <= 1
    img[hole] = img[hole] * 0.35
    img += rng.normal(0, noise_sigma, img.shape).astype(np.float32)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def _exif(lat: float, long: float, when: datetime) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 13"  # Model
    exif[0x0132] = when.strftime("%Y:%m:%d %H:%M:%S")  # DateTime
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(0x8825)

    def dms(value: float) -> tuple[float, float, float]:
        value = abs(value)
        d = int(value)
        m = int((value - d) * 60)
        return float(d), float(m), round((value - d - m / 60) * 3600, 4)

    gps[1], gps[2] = ("N" if lat >= 0 else "S"), dms(lat)
    gps[3], gps[4] = ("E" if long >= 0 else "W"), dms(long)
    return exif


def make_photo(
    lat: float = 41.8827, long: float = -87.6233, target_bytes: int = 2_000_000, seed: int = 7
) -> bytes:
    """JPEG bytes of about `target_bytes` (within ~10%)."""
    rng = np.random.default_rng(seed)
    image = _scene(rng, noise_sigma=6.0)
    exif = _exif(lat, long, datetime(2026, 5, 14, 8, 31, 7)).tobytes()
    best: bytes | None = None
    low, high = 50, 95
    while low <= high:
        quality = (low + high) // 2
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=quality, exif=exif, subsampling="4:2:0")
        data = out.getvalue()
        if best is None or abs(len(data) - target_bytes) < abs(len(best) - target_bytes):
            best = data
        if len(data) < target_bytes:
            low = quality + 1
        else:
            high = quality - 1
    assert best is not None
    return best


if __name__ == "__main__":
    import sys
    from pathlib import Path

    data = make_photo()
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "photo.jpg")
    path.write_bytes(data)
    print(f"wrote {path}: {len(data)} bytes")
