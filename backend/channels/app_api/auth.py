"""App API v1: the device a request's bearer token proves (or none, where a token is optional)."""

from __future__ import annotations

from backend.channels.handler_types import AnyRequest
from backend.errors import Unauthorized
from backend.identity.devices import DeviceService


async def current_device(devices: DeviceService, request: AnyRequest, required: bool) -> int | None:
    device_id = await devices.authenticate(request.headers.get("authorization"))
    if device_id is None and required:
        raise Unauthorized.for_field(
            "Authorization", "send 'Authorization: Bearer <token>' from POST /api/v1/devices"
        )
    return device_id


async def required_device(devices: DeviceService, request: AnyRequest) -> int:
    """The device the token proves; a 401 without one."""
    device_id = await current_device(devices, request, required=True)
    assert device_id is not None  # current_device refused the request
    return device_id
