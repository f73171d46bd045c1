"""Identity tables: the anonymous devices that residents' apps register."""

from __future__ import annotations

from piccolo.columns import Timestamptz, UUID, Varchar
from piccolo.table import Table


class Device(Table):
    uid = UUID(unique=True)
    platform = Varchar(length=20, default="unknown")
    created_at = Timestamptz()
