"""App API v1: stored photos and thumbnails at stable URLs (EXIF-free JPEG)."""

from __future__ import annotations

import re

from litestar import get
from litestar.params import FromPath
from litestar.response import File

from backend.channels.deps import Injected
from backend.channels.openapi_problems import problem_responses
from backend.errors import NotFound
from backend.storage.photo_store import PhotoStore

_UID = re.compile(r"[0-9a-f]{32}")
CACHE = {"Cache-Control": "public, max-age=31536000, immutable"}


def _photo(store: PhotoStore, uid: str, thumbnail: bool) -> File:
    if not _UID.fullmatch(uid) or not store.path(uid, thumbnail).exists():
        raise NotFound.for_field("photoId", f"no photo '{uid}'")
    return File(
        store.path(uid, thumbnail),
        media_type="image/jpeg",
        headers=CACHE,
        content_disposition_type="inline",
    )


@get(
    "/photos/{uid:str}",
    summary="A request's photo (JPEG, metadata stripped)",
    media_type="image/jpeg",
    responses=problem_responses(404),
)
async def get_photo(uid: FromPath[str], photos: Injected[PhotoStore]) -> File:
    return _photo(photos, uid, thumbnail=False)


@get(
    "/photos/{uid:str}/thumbnail",
    summary="A photo's thumbnail (JPEG)",
    media_type="image/jpeg",
    responses=problem_responses(404),
)
async def get_thumbnail(uid: FromPath[str], photos: Injected[PhotoStore]) -> File:
    return _photo(photos, uid, thumbnail=True)


ROUTES = [get_photo, get_thumbnail]
