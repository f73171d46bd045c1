"""Plain-word answers, on both engines: an option's label or a paraphrase in any of the four
languages, yes/no words, several picks, numbers in words and with units, "no photo" in any
phrasing, answers the first text already gave; never a field id or a validator's message."""

from __future__ import annotations

import pytest

from tests.sms import test_dialog
from tests.sms.test_dialog import SR, _filed, converse

clock, bot = test_dialog.clock, test_dialog.bot  # the same fixtures: a clock, the bot on it


async def _answers(services):
    (request,) = await _filed(services)
    row = await services.reader.fetchrow(
        "SELECT answers FROM service_request WHERE id = $1", request.id
    )
    return request, row["answers"]


@pytest.mark.parametrize("answer", ["curb lane", "in the curb lane", "by the curb", "Curb Lane."])
async def test_an_options_label_or_a_paraphrase_is_an_answer(services, bot, clock, answer):
    await converse(
        bot,
        [
            ("pothole at 1845 w cortland", "- right?"),
            ("yes", "Where in the street"),
            (answer, "Add a photo?"),
            ("no photo sorry", SR),
        ],
        clock=clock,
    )
    assert "curb_lane" in (await _answers(services))[1]


@pytest.mark.parametrize(
    "answer,days", [("about 3 weeks", 21), ("un mes", 30), ("two days", 2), ("10", 10)]
)
async def test_numbers_in_words_and_units(services, bot, clock, answer, days):
    await converse(
        bot,
        [
            ("abandoned car at 1845 w cortland", "- right?"),
            ("yes", "How many days"),  # the only required question
            (answer, ""),  # the photo (in Spanish after "un mes": the resident's words)
            ("I don't have one", SR),
        ],
        clock=clock,
    )
    request, answers = await _answers(services)
    assert answers.replace(" ", "") == f'{{"DAYS_PARKED":{days}}}'


async def test_a_number_that_is_none_is_asked_again_in_plain_words(services, bot, clock):
    replies = await converse(
        bot,
        [
            ("abandoned car at 1845 w cortland", "- right?"),
            ("yes", "How many days"),
            ("a long time", "Please reply with a number"),
            ("99999999999999999999999999999999999", "Please reply with a number"),
        ],
        clock=clock,
    )
    assert not any("DAYS_PARKED" in r or "not a number" in r for r in replies)


@pytest.mark.parametrize(
    "picks,keys",
    [("tires and a fridge", ["tires", "appliances"]), ("2 and 3", ["furniture", "tires"]),
     ("2 y 3", ["furniture", "tires"]), ("Tires", ["tires"])],
)  # fmt: skip
async def test_several_picks_in_numbers_or_words(services, bot, clock, picks, keys):
    await converse(
        bot,
        [
            ("fly dumping at 1845 w cortland", "- right?"),
            ("yes", "What was dumped?"),
            (picks, "Where"),
            ("alley", "Add a photo?"),
            ("skip", SR),
        ],
        clock=clock,
    )
    request, answers = await _answers(services)
    assert request.service_code == "SDR"
    assert all(f'"{key}"' in answers for key in keys) and '"alley"' in answers


async def test_yes_and_no_words_answer_a_yes_no_question(services, bot, clock):
    await converse(
        bot,
        [
            ("plant a tree at 1845 w cortland", "- right?"),
            ("yes", "How many trees"),
            ("two", "planted at this address recently?"),
            ("nope", "Add a photo?"),  # "no" to a Yes/No question
            ("skip", SR),
        ],
        clock=clock,
    )
    request, answers = await _answers(services)
    assert '"RECENTLY_PLANTED": "no"' in answers.replace('":"', '": "')
    assert '"NUMBER_OF_TREES": 2' in answers.replace('":', '": ').replace(":  ", ": ")


@pytest.mark.parametrize(
    "first,language",
    [("hay ratas en el callejón de 3300 W Fullerton", "es"),
     ("老鼠在后巷 1500 W Chicago Ave", "zh"),
     ("rats in the alley behind 1845 W Cortland", "en")],
)  # fmt: skip
async def test_answers_in_the_first_text_are_taken_in_every_language(
    services, bot, clock, first, language
):
    yes = {"es": "si", "zh": "是", "en": "yes"}[language]
    skip = {"es": "sin foto", "zh": "没有照片", "en": "no photo"}[language]
    await converse(bot, [(first, ""), (yes, ""), (skip, SR)], clock=clock)
    request, answers = await _answers(services)
    assert request.service_code == "SGA" and "alley" in answers
