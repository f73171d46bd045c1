"""Litestar's generic connection classes with their parameters filled, for the channels' handlers
to annotate with (the user, auth and state of a request are untyped: the app sets none)."""

from __future__ import annotations

from typing import Any, TypeAlias

from litestar import Request
from litestar.connection import ASGIConnection

AnyRequest: TypeAlias = Request[Any, Any, Any]
AnyConnection: TypeAlias = ASGIConnection[Any, Any, Any, Any]
