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
_THUMB_FILE = re.compile(r"([0-9a-f]{32})_thumb\.jpg")
# _write_atomic's temporary files: ".<uid>.<random>.tmp" or ".<uid>_thumb.<random>.tmp"
_TEMP_FILE = re.compile(r"\.([0-9a-f]{32})(?:_thumb)?\.[A-Za-z0-9_]+\.tmp")


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
        """(uid, mtime of the main file) for every stored photo, in no particular order. Only
        regular files in shard directories: a symlink is never followed out of the store."""
        for shard, entries in self._shards():
            for entry in entries:
                match = _MAIN_FILE.fullmatch(entry.name)
                if not match or match.group(1)[:2] != shard:
                    continue
                try:
                    if entry.is_file(follow_symlinks=False):
                        yield match.group(1), entry.stat(follow_symlinks=False).st_mtime
                except FileNotFoundError:  # deleted while we were listing
                    continue

    def crash_leftovers(self, older_than: float) -> list[Path]:
        """Files a crash mid-write left behind, last changed before `older_than` (a timestamp):
        thumbnails whose photo is missing (the thumbnail is written first) and temporary files
        of an interrupted atomic write. Only our own names, only inside the store."""
        found: list[Path] = []
        for shard, entries in self._shards():
            names = {entry.name for entry in entries}
            for entry in entries:
                thumb = _THUMB_FILE.fullmatch(entry.name)
                orphan_thumb = thumb and f"{thumb.group(1)}.jpg" not in names
                temp = _TEMP_FILE.fullmatch(entry.name)
                match = thumb if orphan_thumb else temp
                if match is None:
                    continue
                uid = match.group(1)
                try:
                    if (
                        uid[:2] == shard
                        and entry.is_file(follow_symlinks=False)
                        and (entry.stat(follow_symlinks=False).st_mtime < older_than)
                    ):
                        found.append(Path(entry.path))
                except FileNotFoundError:
                    continue
        return found

    def _shards(self) -> Iterator[tuple[str, list[os.DirEntry[str]]]]:
        try:
            shards = [e for e in os.scandir(self.root) if e.is_dir(follow_symlinks=False)]
        except FileNotFoundError:
            return
        for shard in shards:
            try:
                yield shard.name, list(os.scandir(shard.path))
            except FileNotFoundError:
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
