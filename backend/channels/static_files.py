"""Static files (Swagger UI's at /schema/assets) where a name no file can have is simply not found:
a NUL, another control character or a name too long for the file system is a 404, not the
ValueError or OSError that Litestar's local file system would let through as a 500."""

from __future__ import annotations

import re
from typing import Any

from litestar.file_system import BaseLocalFileSystem
from litestar.types.file_types import FileInfo

_NO_FILE_HAS = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 255  # bytes in one path component on the usual file systems


class StaticFileSystem(BaseLocalFileSystem):
    async def info(self, path: Any, **kwargs: Any) -> FileInfo:
        name = str(path)
        if _NO_FILE_HAS.search(name) or any(
            len(part.encode()) > MAX_NAME for part in name.split("/")
        ):
            raise FileNotFoundError(name)
        try:
            return await super().info(path, **kwargs)
        except (ValueError, OSError) as exc:  # not a name this file system can look up
            raise FileNotFoundError(name) from exc
