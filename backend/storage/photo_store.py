"""Photo files on disk: media_dir/photos/<uid[:2]>/<uid>.jpg and <uid>_thumb.jpg, atomically."""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from backend.storage.images import ProcessedImage

_UID = re.compile(r"[0-9a-f]{32}")
_MAIN_FILE = re.compile(r"([0-9a-f]{32})\.jpg")


class PhotoStore:
    """Blocking file I/O; call it from a worker thread in async code."""

    def __init__(self, media_dir: Path) -> None:
        self.root = Path(media_dir) / "photos"

    @staticmethod
    def new_uid() -> str:
        return uuid.uuid4().hex

    def path(self, uid: str, thumbnail: bool = False) -> Path:
        if not isinstance(uid, str) or not _UID.fullmatch(uid):
            raise ValueError(f"not a photo uid: {uid!r}")
        return self.root / uid[:2] / (f"{uid}_thumb.jpg" if thumbnail else f"{uid}.jpg")

    def write(self, uid: str, image: ProcessedImage) -> None:
        main, thumb = self.path(uid), self.path(uid, thumbnail=True)
        main.parent.mkdir(parents=True, exist_ok=True)
        # Thumbnail first: once the main file exists, the photo counts as stored.
        _write_atomic(thumb, image.thumbnail)
        _write_atomic(main, image.jpeg)

    def delete(self, uid: str) -> None:
        self.path(uid).unlink(missing_ok=True)
        self.path(uid, thumbnail=True).unlink(missing_ok=True)

    def exists(self, uid: str) -> bool:
        return self.path(uid).is_file()

    def stored_uids(self) -> Iterator[tuple[str, float]]:
        """(uid, mtime of the main file) for every stored photo, in no particular order."""
        try:
            shards = [entry for entry in os.scandir(self.root) if entry.is_dir()]
        except FileNotFoundError:
            return
        for shard in shards:
            try:
                entries = list(os.scandir(shard.path))
            except FileNotFoundError:
                continue
            for entry in entries:
                match = _MAIN_FILE.fullmatch(entry.name)
                if not match or match.group(1)[:2] != shard.name:
                    continue
                try:
                    if entry.is_file():
                        yield match.group(1), entry.stat().st_mtime
                except FileNotFoundError:  # deleted while we were listing
                    continue


def _write_atomic(target: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
