"""The notes the request service writes itself (a duplicate marked or unmarked, work done) reach
each follower in their language; in English they read as they always have. Pure: no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.notify.templates import status_changed
from backend.service_requests.models import RequestView
from backend.service_requests.notes import NoteKind, SystemNote, note_text

AT = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)  # any date
DUPLICATE = SystemNote(NoteKind.DUPLICATE_OF, {"original": "SR26-00000007"})


def view(status: str) -> RequestView:
    return RequestView(
        id=1,
        tracking_number="SR26-00000009",
        service_code="4fd3b656e05bcf7c3c000009",
        service_name="Pothole in Street",
        status=status,
        description="",
        address=None,
        lat=41.9,
        long=-87.7,
        community_area=None,
        latest_public_note=None,
        created_at=AT,
        updated_at=AT,
        closed_at=None,
        photo_uids=[],
    )


def test_history_keeps_the_english_wording() -> None:
    assert note_text(DUPLICATE) == (
        "This is a duplicate of SR26-00000007, which you now follow instead."
    )
    assert note_text(SystemNote(NoteKind.NOT_DUPLICATE)) == (
        "This is not a duplicate after all: it is open again."
    )
    assert note_text(SystemNote(NoteKind.WORK_DONE)) == "The work is done."
    assert note_text("as staff wrote it") == "as staff wrote it"
    assert note_text(None) is None


def test_english_followers_read_what_they_always_did() -> None:
    duplicate = view("duplicate")
    assert status_changed("en", duplicate, DUPLICATE) == status_changed(
        "en", duplicate, note_text(DUPLICATE)
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", "Es un duplicado de SR26-00000007"), ("pl", "To duplikat"), ("zh", "SR26-00000007")],
)
def test_followers_read_the_services_notes_in_their_language(language: str, words: str) -> None:
    told = status_changed(language, view("duplicate"), DUPLICATE)
    assert words in told
    assert "which you now follow instead" not in told
    done = status_changed(language, view("completed"), SystemNote(NoteKind.WORK_DONE))
    assert "The work is done." not in done
