"""Information search: the engine's full-text index ranks, per language, forgiving misspellings;
only articles in force come back; edits are audited; bad input is refused whole."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from backend.errors import Conflict, InvalidInput, NotFound
from backend.info.models import ArticleData

DAY = date(2026, 12, 7)  # any date
URL = "https://www.chicago.gov/city/en/depts/streets/provdrs/streets_san/svcs/bulk_item_pickup.html"


def article(slug: str, language: str = "en", **fields) -> ArticleData:
    values: dict[str, Any] = {
        "title": slug.replace("-", " ").title(),
        "sms_answer": f"About {slug}.",
        "category": "test",
        "source_url": URL,
        "checked_on": DAY,
    } | fields
    return ArticleData(slug=slug, language=language, **values)


@pytest.fixture
async def info(services):
    s = services.info
    await s.create(
        article(
            "bulk-item-pickup",
            title="Bulk item pick-up",
            keywords=["couch", "sofa", "mattress", "furniture", "large items"],
            body="Streets and Sanitation picks up large items such as furniture and appliances "
            "from your garbage collection spot. Request it online or by calling 311.",
            sms_answer="Large items (furniture, mattresses) are picked up for free: request a "
            "bulk item pick-up by 311.",
            service_codes=["SCQ"],
        ),
        "test",
    )
    await s.create(
        article(
            "bulk-item-pickup",
            "es",
            title="Recogida de artículos voluminosos",
            keywords=["sofá", "colchón", "muebles"],
            sms_answer="Los muebles y colchones se recogen gratis: pida una recogida por el 311.",
        ),
        "test",
    )
    await s.create(
        article(
            "recycling",
            title="Recycling in Chicago",
            keywords=["blue cart", "recycle"],
            body="Put paper, cardboard, cans and plastic bottles in the blue cart.",
        ),
        "test",
    )
    await s.create(
        article(
            "city-vehicle-sticker",
            title="City vehicle sticker",
            keywords=["city sticker", "wheel tax license"],
            body="Every vehicle registered at a Chicago address needs a city sticker from the "
            "City Clerk.",
        ),
        "test",
    )
    await s.create(
        article(
            "city-vehicle-sticker",
            "es",
            title="Calcomanía de vehículo de la ciudad",
            keywords=["calcomanía", "sticker de la ciudad"],
            sms_answer="Todo vehículo con dirección en Chicago necesita la calcomanía del City "
            "Clerk.",
        ),
        "test",
    )
    await s.create(
        article(
            "christmas-tree-recycling",
            title="Christmas tree recycling",
            keywords=["tree", "recycle", "mulch"],
            valid_from=DAY + timedelta(days=20),
            valid_until=DAY + timedelta(days=50),
        ),
        "test",
    )
    await s.create(
        article(
            "city-sticker-zh",
            "zh",
            title="城市车辆贴纸",
            keywords=["城市贴纸", "车贴"],
            sms_answer="在芝加哥登记的车辆需要城市贴纸。",
        ),
        "test",
    )
    return s


async def test_ranks_the_matching_article_first(info):
    hits = await info.search("when is bulk pickup", "en", day=DAY)
    assert hits[0].slug == "bulk-item-pickup"
    assert hits[0].service_codes == ["SCQ"]
    assert (await info.search("can they take my old couch", "en", day=DAY))[0].slug == (
        "bulk-item-pickup"
    )
    assert (await info.search("how do I recycle cardboard", "en", day=DAY))[0].slug == "recycling"


async def test_misspellings_are_forgiven(info):
    assert (await info.search("recyclng", "en", day=DAY))[0].slug == "recycling"
    assert (await info.search("citty stiker", "en", day=DAY))[0].slug == "city-vehicle-sticker"
    assert (await info.search("matress pikup", "en", day=DAY))[0].slug == "bulk-item-pickup"


async def test_each_language_searches_its_own_articles(info):
    hits = await info.search("cómo saco la calcomanía de la ciudad", "es", day=DAY)
    assert (hits[0].slug, hits[0].language) == ("city-vehicle-sticker", "es")
    assert "calcomanía" in hits[0].sms_answer
    assert (await info.search("calcomania", "es", day=DAY))[0].language == "es"
    hits = await info.search("怎么办城市贴纸", "zh", day=DAY)
    assert hits[0].slug == "city-sticker-zh"
    # nothing in Polish: the English articles answer
    hits = await info.search("recycling", "pl", day=DAY)
    assert (hits[0].slug, hits[0].language) == ("recycling", "en")


async def test_only_articles_in_force_are_found(info):
    found = {h.slug for h in await info.search("tree recycling", "en", day=DAY)}
    assert "christmas-tree-recycling" not in found
    later = DAY + timedelta(days=30)
    found = {h.slug for h in await info.search("tree recycling", "en", day=later)}
    assert "christmas-tree-recycling" in found
    # read by its slug at any time
    assert (await info.get("christmas-tree-recycling")).valid_until == DAY + timedelta(days=50)


async def test_nothing_found_is_an_empty_list(info):
    assert await info.search("zzzz qqqq", "en", day=DAY) == []
    assert await info.search("the and of", "en", day=DAY) == []
    assert await info.search("", "en", day=DAY) == []


async def test_edits_are_audited_and_searchable_at_once(info):
    changed = await info.update(
        "recycling", "en", {"keywords": ["blue cart", "recycle", "glass jars"]}, "staff:7"
    )
    assert "glass jars" in changed.keywords
    assert (await info.search("glass jars", "en", day=DAY))[0].slug == "recycling"
    edits = await info.edits("recycling", "en")
    assert [e.action for e in edits] == ["created", "updated"]
    assert edits[1].actor == "staff:7"
    assert edits[1].changes == {
        "keywords": [["blue cart", "recycle"], ["blue cart", "recycle", "glass jars"]]
    }
    # the same values again: no edit recorded
    await info.update("recycling", "en", {"title": "Recycling in Chicago"}, "staff:7")
    assert len(await info.edits("recycling", "en")) == 2


async def test_bad_articles_are_refused_whole(info):
    with pytest.raises(InvalidInput) as bad:
        await info.create(
            article(
                "Bad Slug",
                "fr",
                sms_answer="x" * 300,
                service_codes=["NOPE"],
                source_url="http://example.com",
            ),
            "test",
        )
    fields = {e.field for e in bad.value.errors}
    assert {"slug", "language", "service_codes[0]", "source_url"} <= fields
    with pytest.raises(InvalidInput) as long:
        await info.create(article("long-answer", sms_answer="word " * 60), "test")
    assert long.value.errors[0].field == "sms_answer"
    with pytest.raises(InvalidInput):
        await info.update("recycling", "en", {"title": "a\x00b"}, "staff:7")
    with pytest.raises(InvalidInput):
        await info.update("recycling", "en", {"slug": "other"}, "staff:7")
    with pytest.raises(Conflict):
        await info.create(article("recycling"), "test")
    with pytest.raises(NotFound):
        await info.get("no-such-article")
    assert len(await info.edits("recycling", "en")) == 1
    assert (await info.get("recycling")).title == "Recycling in Chicago"


@pytest.mark.postgres_only(reason="SQLite's FTS5 index has no pending list")
async def test_postgres_index_has_no_pending_list(info):
    """PostgreSQL's GIN index takes new articles straight in (fastupdate off, migration 0033):
    a pending list would be read through linearly by every search until a vacuum."""
    reader = info.repo.reader
    row = await reader.fetchrow(
        "SELECT reloptions FROM pg_class WHERE relname = 'info_article_search'"
    )
    assert row is not None and "fastupdate=off" in (row["reloptions"] or [])
    hits = await info.search("couch", "en", day=DAY)
    assert hits[0].slug == "bulk-item-pickup"
