"""What a follower is told when a request changes, in their language (en, es, pl, zh), from the
message catalogs: one SMS segment where the service name allows, the same words as a push
notification. The service's name is the catalog's translation too."""

from __future__ import annotations

from backend.catalog.translate import service_name
from backend.i18n.messages import say, status_name
from backend.notify.segments import shortened
from backend.service_requests.models import RequestView
from backend.service_requests.notes import SystemNote


def _about(key: str, language: str, view: RequestView, **values: object) -> str:
    return say(
        language,
        key,
        tracking_number=view.tracking_number,
        service=service_name(language, view.service_code, view.service_name),
        **values,
    )


def status_changed(language: str, view: RequestView, public_note: str | SystemNote | None) -> str:
    """A change (or a public note): staff's note as written, a note of the service's own
    (a SystemNote: "this is a duplicate of …") in the follower's language."""
    status = status_name(language, view.status)
    if isinstance(public_note, SystemNote):
        public_note = public_note.worded(language)

    def text(note: str) -> str:
        note = say(language, "note", note=note) if note else ""
        return _about("notify.status_changed", language, view, status=status, note=note)

    # staff's note, cut so that the text keeps to two segments
    return text(shortened((public_note or "")[:100], text))


def running_late(language: str, view: RequestView) -> str:
    return _about("notify.running_late", language, view)


def fixed_check(language: str, view: RequestView) -> str:
    return _about("notify.fixed_check", language, view)
