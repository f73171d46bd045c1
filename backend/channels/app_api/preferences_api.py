"""App API v1: what this device chose for its updates — push on or off, its own quiet hours (or
the city's, or none), and each update as it happens or a daily digest."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import get, put

from backend.channels.allow import options_for
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import DEVICE, json_body
from backend.channels.openapi_problems import problem_responses
from backend.identity.devices import DeviceService
from backend.notify.preferences import Preference, Preferences
from backend.settings import Settings

from .auth import required_device
from .submit_body import decode_json, require_json


class PreferencesOut(msgspec.Struct, rename="camel", kw_only=True):
    channels: list[str]  # "push": this device's browser subscriptions are pushed to
    quiet_hours: str | None  # "22:00-07:00"; "" none; null the city's (CITY311_QUIET_HOURS)
    city_quiet_hours: str
    digest: Literal["instant", "daily"]


class PreferencesIn(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Only what is sent changes. `quietHours`: "22:00-07:00", "" for none, null for the city's."""

    channels: Annotated[list[Literal["push"]], msgspec.Meta(max_length=1)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    quiet_hours: (
        Annotated[str, msgspec.Meta(max_length=11, pattern=r"^[0-9:\- ]*$")]
        | None
        | msgspec.UnsetType
    ) = msgspec.UNSET
    digest: Literal["instant", "daily"] | msgspec.UnsetType = msgspec.UNSET


def _out(settings: Settings, pref: Preference) -> PreferencesOut:
    return PreferencesOut(
        channels=list(pref.channels),
        quiet_hours=pref.quiet_hours,
        city_quiet_hours=settings.quiet_hours,
        digest="daily" if pref.digest else "instant",
    )


@get(
    "/me/preferences",
    summary="How this device hears of the requests it follows",
    security=DEVICE,
    responses=problem_responses(401),
)
async def get_preferences(
    request: AnyRequest,
    devices: Injected[DeviceService],
    preferences: Injected[Preferences],
    settings: Injected[Settings],
) -> PreferencesOut:
    device = await required_device(devices, request)
    return _out(settings, await preferences.of("device", str(device)))


@put(
    "/me/preferences",
    operation_class=json_body(PreferencesIn),
    summary="Change how this device hears of the requests it follows (only the fields sent)",
    security=DEVICE,
    responses=problem_responses(400, 401, 415, 422),
)
async def put_preferences(
    request: AnyRequest,
    devices: Injected[DeviceService],
    preferences: Injected[Preferences],
    settings: Injected[Settings],
) -> PreferencesOut:
    device = await required_device(devices, request)
    require_json(request)
    body = decode_json(await request.body(), PreferencesIn)
    changes: dict[str, Any] = {}
    if body.channels is not msgspec.UNSET:
        changes["channels"] = list(body.channels)
    if body.quiet_hours is not msgspec.UNSET:
        changes["quiet_hours"] = body.quiet_hours
    if body.digest is not msgspec.UNSET:
        changes["digest"] = body.digest == "daily"
    pref = await preferences.set("device", str(device), **changes)
    return _out(settings, pref)


# OPTIONS first: registered before the other handlers of its path, it is the one Litestar keeps
# (backend/channels/allow.py).
ROUTES = [options_for("/me/preferences", "GET", "PUT"), get_preferences, put_preferences]
