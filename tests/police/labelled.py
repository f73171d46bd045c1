"""The labelled screening texts (tests/police/data/*.tsv): group, expected outcome, kind, language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PARTS = {"tuning": "screening.tsv", "held_out": "screening_held_out.tsv"}


@dataclass(frozen=True)
class Labelled:
    part: str
    group: str  # eligible | 911 | firearm | district
    expected: str  # eligible | call_911 | district
    kind: str  # the incident kind, for eligible texts
    language: str
    text: str


def labelled_texts() -> list[Labelled]:
    rows = []
    for part, name in PARTS.items():
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                group, expected, kind, language, text = line.split("\t")
                rows.append(Labelled(part, group, expected, kind, language, text))
    return rows
