"""The starting articles: at least 80 program articles in four languages with their sources, one
article for each active service type, every SMS answer within two segments with its link; and
the labelled questions find their article (looser floors than docs/benchmarks.md records)."""

from __future__ import annotations

from datetime import date

import pytest

from backend.info.models import sms_text
from backend.info.seed import load_info, program_articles, service_type_articles
from backend.notify.segments import segments
from tests.info.labelled import labelled_questions, rank_of_right

DAY = date(2026, 12, 7)  # any date; the day the articles were checked; seasonal ones are in force


def test_the_program_articles_are_many_sourced_and_translated():
    articles = program_articles()
    slugs = {a.slug for a in articles}
    assert len(slugs) >= 80
    for slug in slugs:
        assert {a.language for a in articles if a.slug == slug} == {"en", "es", "pl", "zh"}, slug
    hosts = (
        "https://www.chicago.gov/",
        "https://www.chipublib.org/",
        "https://www.chicagoparkdistrict.com/",
    )
    assert all(a.source_url.startswith(hosts) for a in articles)
    assert all(a.checked_on == DAY for a in articles)
    assert all(segments(sms_text(a.sms_answer, a.source_url)) <= 2 for a in articles)


async def test_the_seed_loads_once_and_covers_every_active_type(services):
    counts = await load_info(services.info, services.catalog)
    generated = service_type_articles(services.catalog)
    assert counts["created"] == len(program_articles()) + len(generated)
    active = {t.code for t in services.catalog.types if t.active}
    assert {a.service_codes[0] for a in generated} == active
    again = await load_info(services.info, services.catalog)
    assert again == {"created": 0, "updated": 0, "same": counts["created"]}
    article = await services.info.get("bulk-item-pickup", "zh")
    assert article.language == "zh" and article.source_url.startswith("https://www.chicago.gov/")


@pytest.mark.parametrize("language", ["en", "es", "pl", "zh"])
async def test_labelled_questions_find_their_article(services, language):
    await load_info(services.info, services.catalog)
    rows = [r for r in labelled_questions() if r[0] == language]
    assert len(rows) >= 40
    ranks = [rank for _, rank in await rank_of_right(services.info, rows, day=DAY)]
    top1 = sum(r == 1 for r in ranks) / len(ranks)
    top3 = sum(r is not None for r in ranks) / len(ranks)
    assert top1 >= 0.8 and top3 >= 0.9, (language, top1, top3)
