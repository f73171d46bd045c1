"""App API v1: Web Push: the server's public key, and a device's browser subscriptions (the requests
the device follows are pushed to them when they change)."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import delete, get, post
from litestar.params import FromPath

from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import DEVICE, json_body
from backend.channels.openapi_problems import problem_responses
from backend.identity.devices import DeviceService
from backend.notify.push import PushStore
from backend.notify.webpush import VapidKeys

from .auth import required_device
from .schemas import PushKeyOut, PushSubscriptionIn, PushSubscriptionOut
from .submit_body import decode_json, require_json


@get("/push/public-key", summary="The VAPID public key a browser subscribes with")
async def push_public_key(vapid: Injected[VapidKeys]) -> PushKeyOut:
    return PushKeyOut(public_key=vapid.public_key)


@post(
    "/push-subscriptions",
    status_code=201,
    operation_class=json_body(PushSubscriptionIn),
    summary="Register this device's browser push subscription (updates of what it follows); "
    "at most 10 a device",
    security=DEVICE,
    responses=problem_responses(400, 401, 409, 413, 415, 422),
)
async def register_push(
    request: AnyRequest, devices: Injected[DeviceService], push_store: Injected[PushStore]
) -> PushSubscriptionOut:
    device = await required_device(devices, request)
    require_json(request)
    body = decode_json(await request.body(), PushSubscriptionIn)
    now = datetime.now(UTC)
    subscription_id = await push_store.register(
        device, body.endpoint, body.keys.p256dh, body.keys.auth, body.language, now
    )
    return PushSubscriptionOut(id=subscription_id, language=body.language, created_at=now)


@delete(
    "/push-subscriptions/{subscription_id:int}",
    status_code=204,
    summary="Remove one of this device's push subscriptions",
    security=DEVICE,
    responses=problem_responses(401, 404),
)
async def remove_push(
    subscription_id: FromPath[int],
    request: AnyRequest,
    devices: Injected[DeviceService],
    push_store: Injected[PushStore],
) -> None:
    await push_store.delete(subscription_id, await required_device(devices, request))


ROUTES = [push_public_key, register_push, remove_push]
