"""The README and docs/ speak of the project: dated records of what was measured and why, never an
account of who worked when ("the third session", "yesterday", "we tried")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

NARRATIVE = re.compile(
    r"\b(?:(?:first|second|third|fourth|fifth|sixth|this|that|previous|earlier|later|next|last)"
    r"\s+session(?:'s)?|yesterday|we\s+(?:tried|found|measured|changed|fixed|saw))\b",
    re.IGNORECASE,
)


def test_no_document_tells_who_worked_when():
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in NARRATIVE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)!r}")
    assert not found, "date the record (2026-11-29 10:00) instead:\n" + "\n".join(found)
