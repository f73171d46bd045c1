"""Identity tables: the anonymous devices that residents' apps register."""

from __future__ import annotations

from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.table import Table


class Device(Table):
    uid = UUID(unique=True)
    platform = Varchar(length=20, default="unknown")
    created_at = Timestamptz()
    # Set by DELETE /api/v1/devices/me: the token stops working; the device's requests stay.
    revoked_at = Timestamptz(null=True, default=None)
