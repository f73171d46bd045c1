"""RequestService: the one write path. Every change is one transaction that also appends history.

Called inside another service's transaction, an operation joins it (Writer.transaction() nests as
a savepoint), so a change, its history event and what else the caller writes commit or roll back
together. Errors name fields by the domain's ids (`service_code`, `tracking_number`,
`answers.LOCATION`); channels rename them. No SQL and no engine differences here: see repo.py.
The parts: base.py (collaborators, the status change), submit.py, changes.py, staff_ops.py,
staff_edits.py; this module adds the public reads and housekeeping.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from backend.service_requests.base import ChangeListener, chicago_year, utcnow
from backend.service_requests.models import (
    EventView,
    FeedFilters,
    ListFilters,
    Page,
    RequestView,
    Subscriber,
)
from backend.service_requests.staff_edits import StaffEdits
from backend.service_requests.submit import SubmitOperations

__all__ = ["ChangeListener", "RequestService", "chicago_year", "utcnow"]


class RequestService(SubmitOperations, StaffEdits):
    async def history(self, tracking_number: str, public_only: bool = True) -> list[EventView]:
        if public_only:
            await self.get_public(tracking_number)
        request_id, _ = await self._locate(tracking_number)
        return await self.repo.events(request_id, public_only)

    async def search(self, filters: ListFilters) -> Page:
        """A public list: never a request of a private type."""
        hidden = self.catalog.private_ids
        return await self.repo.search(msgspec.structs.replace(filters, hidden_type_ids=hidden))

    async def feed(self, filters: FeedFilters) -> list[RequestView]:
        """Requests in date order, oldest first (Open311's GET requests); never a private one."""
        hidden = self.catalog.private_ids
        return await self.repo.feed(msgspec.structs.replace(filters, hidden_type_ids=hidden))

    async def public_notes(self, request_ids: list[int]) -> dict[int, list[EventView]]:
        """The public history of each of a page of requests."""
        return await self.repo.public_events(request_ids)

    async def subscribers(self, tracking_number: str) -> list[Subscriber]:
        request_id, _ = await self._locate(tracking_number)
        return await self.repo.subscribers(request_id)

    async def expire_idempotency_keys(self, older_than: datetime) -> int:
        """Forget Idempotency-Keys stored before `older_than`; returns how many."""
        async with self.writer.transaction():
            return await self.repo.delete_idempotency_keys_before(older_than)

    async def unreferenced_photos(self, uids: list[str]) -> list[str]:
        """The photo ids among `uids` that no request refers to."""
        referenced = await self.repo.referenced_photo_uids(uids)
        return [uid for uid in uids if uid not in referenced]
