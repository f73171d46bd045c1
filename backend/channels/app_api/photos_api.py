"""App API v1: stored photos and thumbnails at stable URLs (EXIF-free JPEG)."""

from __future__ import annotations

import re

from litestar import get
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import File

from backend.channels.openapi_problems import problem_responses
from backend.errors import NotFound

_UID = re.compile(r"[0-9a-f]{32}")
CACHE = {"Cache-Control": "public, max-age=31536000, immutable"}


def _photo(state: State, uid: str, thumbnail: bool) -> File:
    store = state.services.photos
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
async def get_photo(uid: FromPath[str], state: State) -> File:
    return _photo(state, uid, thumbnail=False)


@get(
    "/photos/{uid:str}/thumbnail",
    summary="A photo's thumbnail (JPEG)",
    media_type="image/jpeg",
    responses=problem_responses(404),
)
async def get_thumbnail(uid: FromPath[str], state: State) -> File:
    return _photo(state, uid, thumbnail=True)


ROUTES = [get_photo, get_thumbnail]
