"""Speed of the photo pixel checks (backend/storage/pixels.py, images.py): a bomb refused from its
header, and a 48 MP phone JPEG decoded at a quarter. The suite checks what they do
(tests/storage/test_pixels.py); this prints how long they take on this machine.

    .venv/bin/python bench/pixels.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from PIL import Image

from backend.storage.images import ImageRejected, process_image
from backend.storage.pixels import TooManyPixels, check_pixel_budget


def _encode(image: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **kw)
    return out.getvalue()


def _photo_like(size: tuple[int, int]) -> Image.Image:
    small = Image.effect_noise((size[0] // 8, size[1] // 8), 64).convert("RGB")
    return small.resize(size, Image.Resampling.BILINEAR)


def _timed(work, repeat: int) -> tuple[float, float]:
    """Median and worst seconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    bomb = _encode(Image.new("L", (7000, 7000)), "PNG")

    def refuse_bomb() -> None:
        try:
            check_pixel_budget([bomb])
        except TooManyPixels:
            return
        raise AssertionError("the 49 MP PNG passed")

    def refuse_bomb_whole() -> None:
        try:
            process_image(bomb)
        except ImageRejected:
            return
        raise AssertionError("the 49 MP PNG passed")

    phone = _encode(_photo_like((8064, 6048)), "JPEG", quality=80)

    def decode_phone() -> None:
        assert process_image(phone).width == 2000

    for name, work, target in (
        (f"49 MP flat PNG ({len(bomb) // 1024} KB) refused from its header", refuse_bomb, 0.05),
        ("the same through process_image", refuse_bomb_whole, 0.05),
        (f"48 MP phone JPEG ({len(phone) // 1024} KB) decoded at 1/4, resized", decode_phone, 2),
    ):
        median, worst = _timed(work, repeat)
        print(f"{name}: median {median * 1000:.1f} ms, worst {worst * 1000:.1f} ms "
              f"(target < {target * 1000:.0f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
