"""App API v1: the device a request's bearer token proves (or none, where a token is optional)."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State

from backend.errors import Unauthorized


async def current_device(state: State, request: Request, required: bool) -> int | None:
    device_id = await state.services.devices.authenticate(request.headers.get("authorization"))
    if device_id is None and required:
        raise Unauthorized.for_field(
            "Authorization", "send 'Authorization: Bearer <token>' from POST /api/v1/devices"
        )
    return device_id
