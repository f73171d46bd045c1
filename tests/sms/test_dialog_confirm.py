"""Show, confirm and correct, on both engines: before filing, the resident sees the type and the
place together; a correction in words at any step re-classifies the report, keeps its place and
the answers that still apply, and becomes its description."""

from __future__ import annotations

import pytest

from tests.sms import test_dialog
from tests.sms.test_dialog import PHONE, SR, _filed, converse

clock, bot = test_dialog.clock, test_dialog.bot  # the same fixtures: a clock, the bot on it


async def _row(services, request):
    return await services.reader.fetchrow(
        "SELECT answers, description FROM service_request WHERE id = $1", request.id
    )


async def test_the_type_is_shown_with_the_place_and_corrected_in_words(services, bot, clock):
    await converse(
        bot,
        [
            ("street light out at Ashland and 47th", "Street Light Out"),
            ("it's a traffic signal, not a street light",
             "Traffic Signal Out Complaint at S Ashland Ave & W 47th St - right?"),
            ("yes", "What is wrong with the traffic signal?"),
            ("1", SR),
        ],
        clock=clock,
    )  # fmt: skip
    (request,) = await _filed(services)
    assert request.service_code == "SFB" and request.address == "S Ashland Ave & W 47th St"
    row = await _row(services, request)
    # the correction rewrites the description (the first text kept after it)
    assert row["description"].startswith("it's a traffic signal, not a street light")


async def test_no_its_rats_keeps_the_place_and_takes_what_the_text_said(services, bot, clock):
    await converse(
        bot,
        [
            ("garbage in the yard at 1845 w cortland", "at 1845 W Cortland St - right?"),
            ("no, it's rats", "Rodent Baiting/Rat Complaint at 1845 W Cortland St - right?"),
            ("yes", SR),  # where seen: the yard, from the first text
        ],
        clock=clock,
    )
    (request,) = await _filed(services)
    assert request.service_code == "SGA"
    assert "yard" in (await _row(services, request))["answers"]


async def test_a_bare_no_asks_what_is_wrong_and_a_place_corrects_the_place(services, bot, clock):
    await converse(
        bot,
        [
            ("pothole at 1845 w cortland", "Pothole in Street Complaint at 1845 W Cortland St"),
            ("no", "what the problem is"),
            ("no, it's at Damen and Division",
             "Pothole in Street Complaint at N Damen Ave & W Division St - right?"),
            ("yes", "Where in the street"),
        ],
        clock=clock,
    )  # fmt: skip


async def test_a_correction_at_a_question_re_classifies(services, bot, clock):
    await converse(
        bot,
        [
            ("pothole at 1845 w cortland", "- right?"),
            ("yes", "Where in the street"),
            ("no, it's rats", "Rodent Baiting/Rat Complaint at 1845 W Cortland St - right?"),
            ("yes", "Where have you seen rats?"),
        ],
        clock=clock,
    )


async def test_a_correction_keeps_the_answers_that_still_apply(services, bot, clock):
    await converse(
        bot,
        [
            ("garbage not picked up at 1845 w cortland, the whole alley", "Garbage"),
            ("no, it is the recycling that was missed", "Recycling"),
            ("yes", SR),  # "the whole alley" answers the recycling's question too
        ],
        clock=clock,
    )
    (request,) = await _filed(services)
    assert request.service_code == "SRRP"
    assert "whole_alley" in (await _row(services, request))["answers"]


@pytest.mark.parametrize(
    "first,shown,correction,corrected",
    [
        ("la luz de la calle no sirve en 3300 W Fullerton", "¿correcto?",
         "no es un poste de luz, es un semáforo", "Semáforo apagado en 3300 W"),
        ("latarnia nie świeci na rogu Milwaukee i Belmont", "zgadza się?",
         "nie, to szczury", "Szczury / wyłożenie trutki, N Milwaukee Ave & W Belmont"),
        ("路灯不亮 1500 W Chicago Ave", "对吗", "不是路灯，是红绿灯",
         "交通信号灯不亮，在 1500 W Chicago Ave"),
    ],
)  # fmt: skip
async def test_corrections_in_each_language(services, bot, clock, first, shown, correction,
                                            corrected):  # fmt: skip
    await converse(bot, [(first, shown), (correction, corrected)], clock=clock)
    conv = await bot.store.conversation(PHONE)
    assert conv.state == "confirm_location"
