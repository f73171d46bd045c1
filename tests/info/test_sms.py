"""Questions by text are answered from the information database, in the resident's language, and
never filed; an article about something requestable offers to file it, and YES starts that report."""

from __future__ import annotations

from datetime import date

import pytest

from backend.info.models import ArticleData
from sms.channel import sms_bot
from tests.sms.test_dialog import Clock, _filed, converse

YARD = "https://www.chicago.gov/city/en/depts/streets/provdrs/streets_san/svcs/yard_waste.html"
STICKER = "https://www.chicago.gov/city/en/depts/clerk/provdrs/city_stickers.html"


def article(slug, language, title, answer, url, keywords=(), codes=()):
    return ArticleData(
        slug=slug,
        language=language,
        title=title,
        sms_answer=answer,
        category="test",
        source_url=url,
        checked_on=date(2026, 12, 7),  # any date
        keywords=list(keywords),
        service_codes=list(codes),
    )


@pytest.fixture
def clock(services, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(services.requests, "clock", clock)
    return clock


@pytest.fixture
def bot(services, clock):
    bot = sms_bot(services)
    bot.clock = clock
    return bot


@pytest.fixture
async def articles(services):
    for a in (
        article(
            "yard-waste",
            "en",
            "Yard waste pick-up",
            "Bag leaves and grass in paper yard waste bags; for a pick-up, request it by 311.",
            YARD,
            ["leaves", "grass clippings", "branches", "yard waste"],
            ["SCQ"],
        ),
        article(
            "city-vehicle-sticker",
            "en",
            "City vehicle sticker",
            "Every vehicle registered at a Chicago address needs a city sticker from the City "
            "Clerk, online or at a Clerk's office.",
            STICKER,
            ["city sticker", "wheel tax"],
        ),
        article(
            "city-vehicle-sticker",
            "es",
            "Calcomanía de vehículo de la ciudad",
            "Todo vehículo registrado en Chicago necesita la calcomanía de la ciudad: cómprela "
            "en línea o en una oficina del City Clerk.",
            STICKER,
            ["calcomanía", "sticker de la ciudad"],
        ),
        article(
            "city-vehicle-sticker",
            "zh",
            "芝加哥城市车辆贴纸",
            "在芝加哥登记的车辆都需要城市贴纸，可网上购买。",
            STICKER,
            ["城市贴纸", "车贴"],
        ),
    ):
        await services.info.create(a, "test")


async def test_a_question_gets_the_article_and_its_link(bot, clock, services, articles):
    replies = await converse(
        bot, [("how do I get a city sticker?", "city sticker from the City Clerk")], clock=clock
    )
    assert STICKER in replies[0]
    assert await _filed(services) == []


async def test_info_words_and_other_languages(bot, clock, services, articles):
    replies = await converse(bot, [("INFO city stiker", "City Clerk")], clock=clock)
    assert STICKER in replies[0]
    replies = await converse(
        bot,
        [("cómo saco la calcomanía de la ciudad", "calcoman")],
        phone="+13125550111",
        clock=clock,
    )
    assert STICKER in replies[0]
    replies = await converse(
        bot, [("请问城市贴纸怎么买", "贴纸")], phone="+13125550112", clock=clock
    )
    assert STICKER in replies[0]
    assert await _filed(services) == []


async def test_a_requestable_article_offers_its_type_and_yes_starts_it(
    bot, clock, services, articles
):
    replies = await converse(
        bot,
        [
            ("when do you pick up yard waste?", "paper yard waste bags"),
            ("yes", "where"),
        ],
        clock=clock,
    )
    assert "YES" in replies[0] and YARD in replies[0]
    assert await _filed(services) == []
    # no: nothing is started, and the offer is gone
    replies = await converse(
        bot,
        [("when do you pick up yard waste?", "YES"), ("no", "question"), ("yes", "")],
        phone="+13125550199",
        clock=clock,
    )
    assert "send an address" not in replies[2].lower()


async def test_no_article_keeps_the_old_answers(bot, clock, services, articles):
    await converse(bot, [("when is the polling place open", "call 311")], clock=clock)
    await converse(bot, [("pothole at 1600 N Milwaukee", "")], phone="+13125550123", clock=clock)


async def test_the_issues_questions_with_the_starting_articles(bot, clock, services):
    from backend.info.seed import load_info

    await load_info(services.info, services.catalog)
    for phone, text, expected in (
        ("+13125550131", "when is bulk pickup", "couches, mattresses"),
        ("+13125550132", "i have an old couch, can they pick it up", "couches, mattresses"),
        ("+13125550133", "cómo saco la calcomanía de la ciudad", "calcoman"),
        ("+13125550134", "INFO recycling", "recycl"),
        ("+13125550135", "怎么办借书证", "借书证"),
    ):
        replies = await converse(bot, [(text, expected)], phone=phone, clock=clock)
        assert "https://" in replies[0]
    assert await _filed(services) == []
