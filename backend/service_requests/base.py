"""RequestCore: what every part of RequestService shares — its typed collaborators, finding a
request by tracking number, and the status change itself (row, work orders, history event,
notifications) that the resident, staff and system paths all run inside their transactions."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Protocol

from backend.catalog.snapshot import Catalog
from backend.city import TIME_ZONE
from backend.db import Writer
from backend.errors import DomainError, InvalidInput, NotFound
from backend.geo.city import CityMap
from backend.geo.geocoder import Geocoder
from backend.geo.geocoder import geocoder as load_geocoder
from backend.limits import MAX_NOTE, check_text, shown
from backend.service_requests import workflow
from backend.service_requests.location import Locator
from backend.service_requests.models import RequestView, Subscriber
from backend.service_requests.notes import SystemNote, note_text
from backend.service_requests.repo import RequestRepo
from backend.service_requests.tracking import parse_tracking_number
from backend.storage.photo_store import PhotoStore


class ChangeListener(Protocol):
    async def status_changed(
        self,
        view: RequestView,
        event_id: int,
        subscribers: list[Subscriber],
        public_note: str | SystemNote | None,
        at: datetime,
        message: Callable[[str], str] | None = None,
    ) -> None: ...

    async def note_added(
        self,
        view: RequestView,
        event_id: int,
        subscribers: list[Subscriber],
        note: str,
        at: datetime,
    ) -> None: ...

    async def running_late(
        self, view: RequestView, event_id: int, subscribers: list[Subscriber], at: datetime
    ) -> None: ...

    async def ask_if_fixed(
        self, view: RequestView, event_id: int, reporters: list[Subscriber], at: datetime
    ) -> None: ...


def utcnow() -> datetime:
    return datetime.now(UTC)


def chicago_year(moment: datetime) -> int:
    """A tracking number's year is Chicago's: 23:30 on 31 December there is still that year."""
    return moment.astimezone(TIME_ZONE).year


class RequestCore:
    def __init__(
        self,
        *,
        writer: Writer,
        repo: RequestRepo,
        catalog: Catalog,
        photos: PhotoStore,
        city: CityMap,
        clock: Callable[[], datetime] = utcnow,
        photo_threads: int = 1,
        geocoder: Geocoder | None = None,
        listener: ChangeListener | None = None,
    ) -> None:
        self.writer = writer
        self.repo = repo
        self.catalog = catalog
        self.photos = photos
        self.city = city
        self.geocoder = geocoder or load_geocoder()
        self.locator = Locator(city, self.geocoder)
        self.clock = clock
        # Told of each status change inside its transaction (the notification outbox).
        self.listener = listener
        # Photo decoding gets threads of its own (Settings.photo_threads: one fewer than the
        # cores), so a burst of uploads never takes the core the event loop needs for lookups.
        self._photo_executor = ThreadPoolExecutor(
            max_workers=photo_threads, thread_name_prefix="photos"
        )

    def close(self) -> None:
        """Ends the photo threads once they finish what they hold (Services.close)."""
        self._photo_executor.shutdown(wait=True)

    async def get(self, tracking_number: str) -> RequestView:
        canonical = parse_tracking_number(tracking_number)
        view = await self.repo.by_tracking_number(canonical) if canonical else None
        if view is None:
            raise unknown(tracking_number)
        return view

    async def get_public(self, tracking_number: str) -> RequestView:
        """A request as any public view may show it: one of a private type (a police report) is
        not found, exactly as a number nobody has."""
        view = await self.get(tracking_number)
        if self._is_private(view.service_code):
            raise unknown(tracking_number, exists=True)
        return view

    def _is_private(self, service_code: str) -> bool:
        found = self.catalog.by_code(service_code)
        return found is not None and found.private

    async def _locate(self, tracking_number: str) -> tuple[int, str]:
        canonical = parse_tracking_number(tracking_number)
        found = await self.repo.id_and_status(canonical) if canonical else None
        if found is None:
            raise unknown(tracking_number)
        return found

    async def _view(self, request_id: int) -> RequestView:
        """A request known to exist (its id came from this transaction)."""
        view = await self.repo.by_id(request_id)
        assert view is not None
        return view

    async def owe_work(self, view: RequestView, now: datetime) -> int:
        """A new work order for the request's type's department (inside the caller's
        transaction)."""
        service_type = self.catalog.by_code(view.service_code)
        assert service_type is not None
        return await self.repo.insert_work_order(
            view.id,
            service_type.department_id,
            now,
            service_type=service_type.id,
            ward=view.ward,
            community_area=view.community_area,
        )

    async def _change_status(
        self,
        request_id: int,
        current: str,
        target: workflow.Status,
        *,
        actor: str,
        channel: str,
        at: datetime,
        note: str | SystemNote | None = None,
        public: bool = True,
        message: Callable[[str], str] | None = None,
    ) -> RequestView:
        """The change itself, inside the caller's transaction (the row locked): the row, the
        work orders it starts, closes or opens, its history event and its notifications. A
        SystemNote is stored worded in English and told to each follower in their language."""
        text = note_text(note)
        values: dict[str, object] = {"status": target.value, "updated_at": at}
        if workflow.is_open(target):
            values["closed_at"] = None
        elif workflow.is_open(current):
            values["closed_at"] = at
        if text and public:
            values["latest_public_note"] = text
        if target != workflow.Status.DUPLICATE:
            values["duplicate_of"] = None
        await self.repo.update_request(request_id, **values)
        if not workflow.is_open(target):
            await self.repo.close_work_orders(request_id, at)
        elif target == workflow.Status.IN_PROGRESS:
            await self.repo.start_work_orders(request_id, at)
        elif not workflow.is_open(current):  # reopened: the department owes new work
            await self.owe_work(await self._view(request_id), at)
        event_id = await self.repo.insert_event(
            request_id,
            "status_changed",
            from_status=current,
            to_status=target.value,
            note=text,
            public=public,
            actor=actor,
            channel=channel,
            at=at,
        )
        view = await self._view(request_id)
        if self.listener is not None:
            # In the same transaction: a change that rolls back leaves no notification, and no
            # notification exists without its change.
            subscribers = await self.repo.subscribers(request_id)
            await self.listener.status_changed(
                view, event_id, subscribers, note if public else None, at, message=message
            )
        return view


def unknown(tracking_number: str, exists: bool = False) -> DomainError:
    """The same answer for a number nobody has and one that is not public (`exists`)."""
    if parse_tracking_number(tracking_number) is None and not exists:
        return NotFound.for_field(
            "tracking_number",
            f"'{shown(tracking_number)}' is not a tracking number; they look like SR26-00012345",
        )
    return NotFound.for_field(
        "tracking_number", f"no service request has tracking number '{shown(tracking_number)}'"
    )


def check_note(note: str | None, field: str = "note", required: bool = False) -> str:
    """A note as stored: stripped, within MAX_NOTE; InvalidInput on `field` otherwise."""
    text = (note or "").strip()
    if required and not text:
        raise InvalidInput.for_field(field, "a note cannot be empty")
    if problem := check_text(text, field, MAX_NOTE):
        raise InvalidInput(problem.message, [problem])
    return text
