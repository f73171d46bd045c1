"""App API v1: anonymous devices: register (a bearer token, no account), refresh, revoke."""

from __future__ import annotations

from litestar import delete, post

from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import DEVICE
from backend.channels.openapi_problems import problem_responses
from backend.channels.rate_limits import RATE_LIMITED
from backend.identity.devices import DeviceService

from .auth import required_device
from .openapi_docs import DeviceRegistrationOperation
from .schemas import DeviceIn, DeviceOut, RevokedOut
from .submit_body import decode_json, require_json


@post(
    "/devices",
    status_code=201,
    operation_class=DeviceRegistrationOperation,
    summary="Register an app install; returns its bearer token (the body is optional)",
    opt={"rate_limit": "devices"},
    middleware=[RATE_LIMITED],
    responses=problem_responses(400, 413, 415, 422, 429),
)
async def create_device(request: AnyRequest, devices: Injected[DeviceService]) -> DeviceOut:
    raw = await request.body()
    data = DeviceIn()
    if raw:  # no body at all is a default registration; anything else (" " too) is JSON
        require_json(request)
        data = decode_json(raw, DeviceIn)
    device_id, uid = await devices.register(data.platform)
    return DeviceOut(token=devices.issue(device_id, uid))


@delete(
    "/devices/me",
    status_code=200,
    summary="Revoke this device's token (it stops working)",
    security=DEVICE,
    responses=problem_responses(401),
)
async def revoke_device(request: AnyRequest, devices: Injected[DeviceService]) -> RevokedOut:
    await devices.revoke(await required_device(devices, request))
    return RevokedOut(revoked=True)


@post(
    "/devices/me/token",
    status_code=200,
    summary="A fresh token for this device (tokens expire; refresh before then)",
    security=DEVICE,
    responses=problem_responses(401),
)
async def refresh_token(request: AnyRequest, devices: Injected[DeviceService]) -> DeviceOut:
    return DeviceOut(token=await devices.refresh(await required_device(devices, request)))


ROUTES = [create_device, revoke_device, refresh_token]
