"""Notes the domain itself writes (not staff's words): data — a kind and its parameters — that is
worded from the message catalogs in each reader's language. History keeps the English wording,
so every row, old or new, reads the same."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from backend.i18n.catalogs import SOURCE_LANGUAGE
from backend.i18n.messages import say


class NoteKind(StrEnum):
    DUPLICATE_OF = "duplicate_of"  # params: original (its tracking number)
    NOT_DUPLICATE = "not_duplicate"
    WORK_DONE = "work_done"


@dataclass(frozen=True)
class SystemNote:
    kind: NoteKind
    params: Mapping[str, str] = field(default_factory=dict)

    def worded(self, language: str = SOURCE_LANGUAGE) -> str:
        """The note in `language` (the catalog's `note.<kind>`; English where untranslated)."""
        return say(language, f"note.{self.kind.value}", **self.params)


def note_text(note: str | SystemNote | None) -> str | None:
    """A note as history stores it: staff's words as written, the domain's in English."""
    return note.worded() if isinstance(note, SystemNote) else note
