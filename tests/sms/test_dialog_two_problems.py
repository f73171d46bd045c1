"""Two problems in one text, on both engines, in four languages: the bot says it will file the
first, then the second; both are filed (two tracking numbers), the second at the first's place
when the text gave one place for both, at its own when it names one."""

from __future__ import annotations

import re

import pytest

from sms.channel import parser
from sms.two_problems import two_problems
from tests.sms import test_dialog
from tests.sms.test_dialog import SR, _filed, converse

clock, bot = test_dialog.clock, test_dialog.bot  # the same fixtures: a clock, the bot on it

# (first text, what the first reply says, YES, the answer to each type's question)
TWO = {
    "en": ("pothole at 1600 n milwaukee and the street light is out too",
           "I'll file Pothole in Street Complaint first, then Street Light Out Complaint.",
           "yes", "1"),
    "es": ("hay un bache en 1600 N Milwaukee y también la luz de la calle no sirve",
           # longer than two segments with the whole notice: the second named after the prompt
           "¿correcto? Responda SI, envíe foto o corrija. Luego: Luz de calle apagada.",
           "si", "1"),
    "pl": ("dziura w jezdni 1600 N Milwaukee i latarnia nie świeci",
           "Potem: Niedziałająca latarnia uliczna.", "tak", "1"),
    "zh": ("1600 N Milwaukee 有坑洞，还有路灯不亮", "两个问题：先提交街道坑洞", "是", "1"),
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(TWO))
async def test_two_problems_in_one_text_are_both_filed(services, bot, clock, language):
    first, said, yes, answer = TWO[language]
    replies = await converse(bot, [(first, said), (yes, ""), (answer, SR)], clock=clock)
    assert "1600 N Milwaukee Ave" in replies[0]
    # the first filed, and the second shown at the same place in the same reply
    assert replies[-1].count("1600 N Milwaukee Ave") == 1
    await converse(bot, [(yes, ""), (answer, SR)], clock=clock)
    filed = await _filed(services)
    assert sorted(r.service_code for r in filed) == ["PHF", "SFD"]
    assert {r.address for r in filed} == {"1600 N Milwaukee Ave"}
    assert len({r.tracking_number for r in filed}) == 2
    street_light = next(r for r in filed if r.service_code == "SFD")
    row = await services.reader.fetchrow(
        "SELECT description FROM service_request WHERE id = $1", street_light.id
    )
    assert "1600" not in row["description"]  # its own words, not the pothole's


async def test_the_second_keeps_its_own_place(services, bot, clock):
    replies = await converse(
        bot,
        [
            ("pothole at 1845 w cortland and also graffiti on the wall at 1600 n milwaukee",
             "then Graffiti Removal Request"),
            ("yes", "Where in the street"),
            ("1", "Graffiti Removal Request at 1600 N Milwaukee Ave - right?"),
        ],
        clock=clock,
    )  # fmt: skip
    assert re.search(r"SR\d\d-\d{8}", replies[-1] or "")
    (request,) = await _filed(services)
    assert request.address == "1845 W Cortland St"


async def test_nevermind_drops_both(services, bot, clock):
    await converse(
        bot,
        [
            ("pothole at 1600 n milwaukee and the street light is out too", "then Street Light"),
            ("NEVERMIND", "report is dropped"),
            ("yes", "Sorry, I didn't get that"),
        ],
        clock=clock,
    )
    assert await _filed(services) == []


@pytest.mark.parametrize(
    "text",
    ["street light out at Damen and Division", "latarnia nie świeci na rogu Milwaukee i Belmont",
     "Damen 和 Division 路灯不亮", "pothole at 1845 w cortland and it's really deep",
     "rats in the alley and in the yard at 1845 w cortland",
     "garbage wasn't picked up, whole alley, 1500 W Chicago Ave"],
)  # fmt: skip
def test_one_problem_is_not_split(text):
    assert two_problems(parser(), text, "en") is None


async def test_a_second_whose_prompt_would_not_fit_waits_for_yes(services, bot, clock):
    """Replies too long for two segments with the notices (Spanish, a long corner): the notice
    alone, then the first's confirmation at YES; filed, and a word that the second is next; YES
    shows its confirmation."""
    replies = await converse(
        bot,
        [
            # the notice and the first's confirmation would not fit one reply: the notice first
            ("bache en S Dr Martin Luther King Jr Dr y E 47th St y también la luz de la calle "
             "no sirve", "Dos problemas: primero registro Bache en la calle, luego Luz de calle"),
            ("si", "Bache en la calle en S Dr Martin Luther King Jr Dr & E 47th St, ¿correcto?"),
            ("si", "Responda con el número"),
            ("1", "Sigue: Luz de calle apagada. Responda SI para continuar."),
            ("si", "Luz de calle apagada en S Dr Martin Luther King Jr Dr & E 47th St"),
        ],
        clock=clock,
    )  # fmt: skip
    assert re.search(r"Registrado: SR\d\d-\d{8}\.", replies[3] or "")
    await converse(bot, [("si", ""), ("1", SR)], clock=clock)
    assert sorted(r.service_code for r in await _filed(services)) == ["PHF", "SFD"]
