"""Answers for callers: information articles in the caller's language, and "where I live" (ward
and alderman, district, beat, next beat meeting) with the sentences to read out."""

from __future__ import annotations

from datetime import datetime

import pytest

from backend.police.beat_pattern import LOCAL

NOW = datetime(2027, 2, 10, 12, 0, tzinfo=LOCAL)  # the meetings' clock: any date, never today


@pytest.fixture
def clock(services, beat_history, monkeypatch):
    monkeypatch.setattr(services.meetings, "clock", lambda: NOW)
    return NOW


async def test_information_is_found_in_the_callers_language(sign_in, services):
    from backend.info.seed import load_info

    await load_info(services.info, services.catalog)
    browser = await sign_in("operator")
    page = await browser.get("/staff/lookup", params={"q": "bulk pickup", "lang": "en"})
    assert page.status_code == 200
    assert "couches, mattresses" in page.text.lower()
    spanish = await browser.get("/staff/lookup", params={"q": "calcomanía", "lang": "es"})
    assert 'lang="es"' in spanish.text and "calcoman" in spanish.text.lower()


async def test_where_i_live_answers_ward_district_beat_and_meeting(sign_in, clock):
    browser = await sign_in("operator")
    page = await browser.get("/staff/where", params={"address": "1845 W Cortland St", "lang": "es"})
    assert page.status_code == 200, page.text
    assert 'id="where-readout"' in page.text and "Alderman" in page.text
    assert "Distrito" in page.text or "distrito" in page.text  # read out in Spanish
    assert 'id="meeting-readout"' in page.text


async def test_an_ambiguous_place_offers_its_candidates(sign_in):
    browser = await sign_in("operator")
    page = await browser.get("/staff/where", params={"address": "Damen"})
    assert page.status_code == 200
    assert "Not found" in page.text or "Which place?" in page.text


async def test_every_staff_role_may_answer_callers(sign_in):
    browser = await sign_in("department")
    home = await browser.get("/staff/")
    assert 'href="/staff/where"' in home.text and 'href="/staff/lookup"' in home.text
    assert (await browser.get("/staff/where")).status_code == 200
