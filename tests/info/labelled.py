"""The labelled questions of tests/info/data/questions.tsv: (language, right article, question)."""

from __future__ import annotations

from pathlib import Path

from backend.info.service import InfoService

DATA = Path(__file__).parent / "data" / "questions.tsv"


def labelled_questions() -> list[tuple[str, str, str]]:
    rows = []
    for line in DATA.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            language, slug, question = line.split("\t")
            rows.append((language, slug, question))
    return rows


async def rank_of_right(info: InfoService, rows, day=None) -> list[tuple[tuple, int | None]]:
    """Each question with the rank (1-based) of its right article in the top 3, or None."""
    out = []
    for row in rows:
        language, slug, question = row
        hits = await info.search(question, language, limit=3, day=day)
        slugs = [h.slug for h in hits]
        out.append((row, slugs.index(slug) + 1 if slug in slugs else None))
    return out
