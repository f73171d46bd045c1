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
            (answer, SR),  # the photo was offered with the confirmation
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
            (answer, SR),
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
            ("alley", SR),
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
            ("nope", SR),  # "no" to a Yes/No question
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
    await converse(bot, [(first, ""), (yes, SR)], clock=clock)
    request, answers = await _answers(services)
    assert request.service_code == "SGA" and "alley" in answers


@pytest.mark.parametrize(
    "first,no_photo,then",
    [("pothole in the curb lane at 1845 w cortland", "no photo sorry", SR),
     ("pothole in the curb lane at 1845 w cortland", "skip", SR),
     ("hay ratas en el callejón de 3300 W Fullerton", "sin foto", SR),
     ("老鼠在后巷 1500 W Chicago Ave", "没有照片", SR),
     ("szczury przy 2400 S Kedzie", "nie mam zdjęcia", "Gdzie widziano szczury?")],
)  # fmt: skip
async def test_no_photo_in_any_phrasing_at_the_confirmation_goes_on(services, bot, clock, first,
                                                                    no_photo, then):  # fmt: skip
    """The confirmation offers the photo: "no photo" there says the rest is right; what is
    still missing is asked, and the photo never again."""
    await converse(bot, [(first, "")], clock=clock)
    assert (await bot.store.conversation(test_dialog.PHONE)).state == "confirm_location"
    await converse(bot, [(no_photo, then)], clock=clock)
    if then != SR:
        await converse(bot, [("1", SR)], clock=clock)
    request, answers = await _answers(services)
    assert request.photo_uids == []
