"""App API v1: anonymous device registration (a bearer token, no account)."""

from __future__ import annotations

from litestar import post
from litestar.datastructures import State
from litestar.params import JSONBody

from backend.identity.devices import register_device

from .schemas import DeviceIn, DeviceOut


@post("/devices", status_code=201, summary="Register an app install; returns its bearer token")
async def create_device(data: JSONBody[DeviceIn], state: State) -> DeviceOut:
    device_id, uid = await register_device(data.platform)
    return DeviceOut(token=state.services.devices.issue(device_id, uid))


ROUTES = [create_device]
