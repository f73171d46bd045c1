"""The SMS parser reads residents' texts in four languages: intents, types, places, languages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sms.parse import CONFIDENT, INTENTS, Parser, detect_language
from sms.parse_cli import KEYS, run
from sms.service_match import load_services, read_phrases

DATA = Path(__file__).parent / "data"
FIXTURE = [json.loads(line) for line in (DATA / "texts.jsonl").read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser.load()


@pytest.mark.parametrize(
    ("text", "language", "code", "address"),
    [
        ("rats all over the alley behind 1845 W Cortland", "en", "SGA", "1845 W CORTLAND ST"),
        ("hay un bache muy hondo en 3300 W Fullerton", "es", "PHF", "3300 W FULLERTON AVE"),
        (
            "latarnia nie świeci na rogu Milwaukee i Belmont",
            "pl",
            "SFD",
            "N MILWAUKEE AVE & W BELMONT AVE",
        ),
        ("垃圾没有收 1500 W Chicago Ave", "zh", "SCC", "1500 W CHICAGO AVE"),
        (
            "theres a pothole on damen n division pls fix",
            "en",
            "PHF",
            "N DAMEN AVE & W DIVISION ST",
        ),
    ],
)
def test_the_issues_examples_are_read_whole(parser, text, language, code, address):
    r = parser.parse(text)
    assert (r.intent, r.language, r.service_code) == ("report", language, code)
    assert r.confidence >= CONFIDENT
    assert r.location.found and r.location.address == address
    assert r.place and r.place in text


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("graffiti on the corner of milwaukee and north ave", "milwaukee and north ave"),
        ("baches en Belmont y Central", "Belmont y Central"),
        ("Archer 和 Halsted 路口有个坑", "Archer 和 Halsted"),
        ("dziura przed 5600 W Belmont", "5600 W Belmont"),
        ("luz apagada frente a 1845 W Cortland St.", "1845 W Cortland St"),
        ("potholes at 63rd and Halsted", "63rd and Halsted"),
    ],
)
def test_places_are_found_in_each_languages_phrasing(parser, text, place):
    found, location = parser.find_place(text)
    assert found == place
    assert location.found


def test_words_near_a_number_are_not_taken_for_a_street(parser):
    assert parser.find_place("garbage not picked up for 2 weeks") == (None, None)
    assert parser.find_place("rats in the alley and the garbage") == (None, None)


def test_a_tracking_number_is_not_read_as_an_address(parser):
    r = parser.parse("status of SR26-00012345")
    assert r.place is None and r.tracking_number == "SR26-00012345"


@pytest.mark.parametrize(
    "text",
    ["STOP", "stop", "Stop.", "  stop  ", "STOP!!!", "StopAll", "stop all", "UNSUBSCRIBE", "cancel",
     "END", "quit", "Quit.", "REVOKE", "OPTOUT", "opt-out", "opt out"],
)  # fmt: skip
@pytest.mark.parametrize("language", [None, "es", "pl", "zh"])
def test_twilio_opt_out_words_always_mean_stop(parser, text, language):
    assert parser.parse(text, language=language).intent == "stop"


def test_opt_out_words_inside_a_sentence_are_not_stop(parser):
    assert parser.parse("the bus stop sign is down at Damen and Division").intent == "report"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("STATUS SR26-00012345", "SR26-00012345"),
        ("what's the status of sr 26 12345", "SR26-00012345"),
        ("sr26-12345", "SR26-00012345"),
        ("Sr 26-00000300?", "SR26-00000300"),
    ],
)
def test_tracking_numbers_are_normalised(parser, text, number):
    r = parser.parse(text)
    assert (r.intent, r.tracking_number) == ("status", number)


def test_status_without_a_number_and_follow_with_one(parser):
    assert parser.parse("STATUS").intent == "status"
    assert parser.parse("STATUS").tracking_number is None
    r = parser.parse("FOLLOW SR26-00012345")
    assert (r.intent, r.tracking_number) == ("follow", "SR26-00012345")
    assert (parser.parse("follow").intent, parser.parse("follow").keyword) == ("answer", "follow")


@pytest.mark.parametrize(
    ("text", "keyword", "number"),
    [("YES", "yes", None), ("y", "yes", None), ("yep", "yes", None), ("k", "yes", None),
     ("sí", "yes", None), ("tak", "yes", None), ("是", "yes", None), ("nope", "no", None),
     ("nie", "no", None), ("不是", "no", None), ("omitir", "skip", None), ("pomiń", "skip", None),
     ("跳过", "skip", None), ("nuevo", "new", None), ("新", "new", None), ("2", "number", 2),
     ("#3", "number", 3), ("two", "number", 2), ("dwa", "number", 2), ("二", "number", 2)],
)  # fmt: skip
def test_dialog_answers_in_four_languages(parser, text, keyword, number):
    r = parser.parse(text)
    assert (r.intent, r.keyword, r.number) == ("answer", keyword, number)


@pytest.mark.parametrize(
    ("text", "target"),
    [("LANG ES", "es"), ("lang pl", "pl"), ("ESPAÑOL", "es"), ("polski", "pl"), ("po polsku", "pl"),
     ("中文", "zh"), ("english", "en"), ("LANG ZH", "zh")],
)  # fmt: skip
def test_language_requests(parser, text, target):
    r = parser.parse(text)
    assert (r.intent, r.target_language) == ("language", target)


@pytest.mark.parametrize(
    "text",
    ["house on fire at 1845 W Cortland", "I smell gas", "downed power line sparking on Pulaski",
     "live wire in the alley", "a man is not breathing", "hay un incendio", "huele a gas",
     "pożar w budynku", "czuć gaz", "房子着火了", "闻到煤气味", "someone is breaking in right now"],
)  # fmt: skip
def test_danger_now_is_an_emergency(parser, text):
    assert parser.parse(text).intent == "emergency"


@pytest.mark.parametrize(
    "text",
    ["fire hydrant leaking on Damen", "hidrante abierto", "消防栓漏水", "flu shot clinic hours?"],
)
def test_hydrants_and_other_fire_words_are_not_emergencies(parser, text):
    assert parser.parse(text).intent != "emergency"


def test_police_reports_and_information_questions(parser):
    assert parser.parse("someone broke into my car last night").intent == "police_report"
    assert parser.parse("robaron mi bicicleta").intent == "police_report"
    assert parser.parse("when is street sweeping").intent == "info"
    assert parser.parse("how much is a city sticker").intent == "info"
    assert parser.parse("¿dónde pago una multa?").intent == "info"


def test_an_unclear_problem_offers_three_choices(parser):
    r = parser.parse("loud noise every night")
    assert r.intent == "report" and r.service_code is None
    assert len(r.choices) == 3 and r.choices[0].score < CONFIDENT
    assert r.choices == tuple(sorted(r.choices, key=lambda c: -c.score))


def test_match_service_alone(parser):
    choices = parser.match_service("dead raccoon", "en")
    assert choices[0].code == "SGQ" and choices[0].name == "Dead Animal Pick-Up Request"
    assert parser.match_service("", "en") == ()


def test_misspellings_and_shorthand(parser):
    assert parser.parse("grafitti on my garage").service_code == "GRAF"
    assert parser.parse("potole on kedzie").service_code == "PHF"
    assert parser.parse("patholes all down the block").service_code == "PHF"


def test_words_that_only_look_like_a_problem(parser):
    # seen in the labelled corpus: a transit stop, a street's name, a licence plate
    assert parser.parse("one is here at the 2nd street light rail").service_code is None
    assert parser.parse("Signage on Laight St says no right turn").service_code is None
    van = "White Ford Van, NY Plate EKW 4392, parked over 12 days at the same spot on 64th Street"
    assert parser.parse(van).service_code == "SKA"  # not a steel plate in the street
    assert parser.parse("steel plate in the street is loose").service_code == "PBD"
    assert parser.parse("street light out on Laight St").service_code == "SFD"


@pytest.mark.parametrize(
    ("text", "code"),
    [("traffic light out at Ashland and 47th", "SFB"), ("traffic signal out", "SFB"),
     ("the traffic light at damen and division is out", "SFB"), ("stoplight is out", "SFB"),
     ("la luz del semaforo esta apagada", "SFB"), ("红绿灯不亮了", "SFB"),
     ("light out in the alley", "SFA"), ("la luz del callejón está apagada", "SFA"),
     ("nie świeci światło w alejce", "SFA"), ("后巷的路灯坏了", "SFA"),
     ("the light is out", "SFD"), ("la luz está apagada", "SFD"), ("路灯坏了", "SFD"),
     ("falta el señal de stop", "PCB"), ("sign knocked down", "PCE"),
     ("weeds all over the empty lot", "WEEDREMOVAL"), ("empty lot full of trash", "SCT"),
     ("la alcantarilla está tapada y huele mal", "CHECKFOR"), ("smells like chemicals", "AIRPOLLODORD"),
     ("hulajnoga porzucona na chodniku", "ESCOOPARK"), ("人行道上扔着电动滑板车", "ESCOOPARK"),
     ("broken sidewalk", "PBS"), ("the sidewalk is all cracked", "PBS")],
)  # fmt: skip
def test_a_symptom_yields_to_the_type_a_text_names(parser, text, code):
    # "light out" is a street light's words unless an alley light or a signal is named
    assert parser.parse(text).service_code == code


def test_inflections_and_everyday_phrasings(parser):
    assert parser.parse("The light cycle is extremely long at Pulaski").service_code == "SFB"
    assert parser.parse("street light flickers all night").service_code == "SFD"
    assert parser.parse("the corner house never shoveled").service_code == "SWSNOREM"
    assert "AAD" in {c.code for c in parser.parse("the road is collapsing").choices}
    assert parser.parse("the street is caving in").service_code == "AAD"
    assert parser.parse("loud noise every night").service_code is None  # which noise? ask


def test_only_active_catalog_types_are_chosen(parser):
    active = {s.code for s in load_services() if s.active}
    assert set(read_phrases("synonyms.json")) <= active
    for case in FIXTURE:
        for choice in parser.parse(case["text"]).choices:
            assert choice.code in active


@pytest.mark.parametrize(
    ("text", "given", "language"),
    [("hay basura en la calle", None, "es"), ("dziura na ulicy", None, "pl"), ("路灯坏了", "es", "zh"),
     ("the light is out", "pl", "en"), ("2", "pl", "pl"), ("ok", None, "en"),
     ("SR26-00012345", "es", "es"), ("1845 W Cortland", "pl", "pl"), ("", "zh", "zh"),
     ("no", "es", "es"), ("está roto el semáforo", "en", "es")],
)  # fmt: skip
def test_language_detection_falls_back_on_short_texts(text, given, language):
    assert detect_language(text, given) == language


def test_strange_input_is_unknown_not_an_error(parser):
    for text in ["", "   ", "😀😀", "....", "x" * 5000, "\x00\x01", "1", "9999999"]:
        r = parser.parse(text)
        assert r.intent in INTENTS
    assert parser.parse(None).intent == "unknown"  # type: ignore[arg-type]


def test_without_a_geocoder_places_are_not_looked_up():
    bare = Parser(load_services(), None)
    r = bare.parse("pothole at 1845 W Cortland")
    assert (r.service_code, r.place, r.location) == ("PHF", None, None)


def test_cli_writes_one_json_object_per_text(parser):
    out = io.StringIO()
    assert run(["pothole at 1845 W Cortland\n", "\n", "STATUS sr 26 12345\n"], out, parser) == 0
    first, second = [json.loads(line) for line in out.getvalue().splitlines()]
    assert tuple(first) == KEYS and tuple(second) == KEYS
    assert first["service_code"] == "PHF" and first["address"] == "1845 W CORTLAND ST"
    assert first["lat"] and first["long"]
    assert second == {**second, "intent": "status", "tracking_number": "SR26-00012345",
                      "address": None, "lat": None}  # fmt: skip
