"""schemathesis hooks for `make fuzz` (loaded through SCHEMATHESIS_HOOKS by fuzz/run.py).

The app API's device token is not an OpenAPI security scheme that schemathesis could fill in: a
token is had from POST /api/v1/devices. So, when fuzz/run.py names that operation's URL in
FUZZ_DEVICE_REGISTRATION (it does for a document that has it), every generated request carries
`Authorization: Bearer <a fresh device's token>`, and the routes that need one are fuzzed past
their 401. The token is cached; a 401 (after DELETE /api/v1/devices/me revoked it) makes
schemathesis register a new device and send the request again (`retry_on`).
"""

from __future__ import annotations

import json
import os
import urllib.request

import schemathesis

REGISTRATION = os.environ.get("FUZZ_DEVICE_REGISTRATION")
# The staff document: an admin's access token from fuzz/run.py (admins reach every staff route).
STAFF_TOKEN = os.environ.get("FUZZ_STAFF_TOKEN")
_LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy

if REGISTRATION:

    @schemathesis.auth(refresh_interval=600, retry_on=[401])
    class DeviceToken:
        def get(self, case, context):
            request = urllib.request.Request(
                REGISTRATION,
                data=b'{"platform": "unknown"}',
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with _LOOPBACK.open(request, timeout=20) as response:
                return json.load(response)["token"]

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


if STAFF_TOKEN:

    @schemathesis.auth()
    class StaffToken:
        def get(self, case, context):
            return STAFF_TOKEN

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
