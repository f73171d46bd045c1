"""GET /api/v1/police/questions asks the screening as a form does (answered by a choice, not by
texting YES or NO), in each of the four languages."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang", ["en", "es", "pl", "zh"])
async def test_the_screening_questions_are_form_questions(client, lang):
    body = (await client.get("/api/v1/police/questions", params={"lang": lang})).json()
    texts = [q["text"] for q in body["screening"]]
    assert len(texts) == 3 and len(set(texts)) == 3
    for text in texts:
        assert text.rstrip().endswith(("?", "？")), text
        for sms_words in ("Reply", "Responda", "Odpisz", "回复"):
            assert sms_words not in text
    assert all(k["name"] for k in body["kinds"])
