"""The bot's replies: they live in the message catalogs now (backend/i18n/messages.py and its .po
files); this module only keeps the old import path working. New code imports from backend.i18n
and backend.notify.segments."""

from __future__ import annotations

from backend.i18n.catalogs import LANGUAGES
from backend.i18n.messages import say, status_name
from backend.notify.segments import segments

__all__ = ["LANGUAGES", "say", "segments", "status_name"]
