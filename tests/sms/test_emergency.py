"""The emergency recogniser (sms/emergency.py) on the labelled texts of tests/sms/data/
emergency_texts.jsonl: every emergency recognised, in every language and part, and look-alikes
(a gas station, a hydrant, a break-in last night) left to the 311 dialog."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from sms.emergency import KINDS, needles, recognise

DATA = Path(__file__).parent / "data"
TEXTS = [
    json.loads(line) for line in (DATA / "emergency_texts.jsonl").read_text("utf-8").splitlines()
]
LANGUAGES = ("en", "es", "pl", "zh")


def test_the_labelled_set_is_big_and_balanced():
    count = collections.Counter((t["language"], t["emergency"]) for t in TEXTS)
    assert sum(t["emergency"] for t in TEXTS) >= 300
    assert sum(not t["emergency"] for t in TEXTS) >= 300
    for language in LANGUAGES:
        assert count[(language, True)] >= 60 and count[(language, False)] >= 60, language
    assert {t["kind"] for t in TEXTS} == set(KINDS)
    assert {t["part"] for t in TEXTS} == {"held_out", "tuning"}
    assert sum(t["part"] == "held_out" for t in TEXTS) >= 100
    assert len({t["text"] for t in TEXTS}) == len(TEXTS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_emergency_is_recognised(language):
    missed = [
        t["text"]
        for t in TEXTS
        if t["language"] == language and t["emergency"] and recognise(t["text"]) is None
    ]
    assert not missed


def test_look_alikes_are_rarely_taken_for_emergencies():
    for language in LANGUAGES:
        said = [(t, recognise(t["text"])) for t in TEXTS if t["language"] == language]
        alarms = [t for t, found in said if found is not None]
        right = sum(t["emergency"] for t in alarms)
        assert right / len(alarms) >= 0.95, [t["text"] for t in alarms if not t["emergency"]]


@pytest.mark.parametrize(
    "text,kind",
    [
        ("a man collapsed at the bus stop on 79th he's not moving", "medical"),
        ("send an ambulance", "medical"),
        ("a guy is trying to break into cars on my street", "break_in"),
        ("my neighbor is beating his wife", "violence"),
        ("a kid fell in the river", "water"),
        ("un hombre se desmayó en la calle", "medical"),
        ("czuję gaz w mieszkaniu", "gas"),
        ("有人在撬车", "break_in"),
        ("UNCONCIOUS GUY ON THE SIDEWALK", "medical"),  # a typo, in capitals
        ("¡¡INCENDIO!! en la 26", "fire"),
        ("Pożar!!!", "fire"),
        ("police now", "police"),
        ("call the fire department", "fire"),  # asking for help by name
        ("wezwijcie straż pożarną", "fire"),
        ("快叫消防车", "fire"),
        ("he needs cpr", "medical"),
        ("se desmallo mi tio", "medical"),  # ll for y, as often typed
        ("SOS", "police"),
    ],
)
def test_the_texts_the_bot_missed_before(text, kind):
    """The failures that opened issue 17, and their kind (which decides the advice given)."""
    found = recognise(text)
    assert found is not None and found.kind == kind, found


@pytest.mark.parametrize(
    "text",
    [
        "my car was broken into last night",  # a police report, not an emergency
        "someone broke into my garage yesterday",
        "se metieron a mi carro anoche",
        "wczoraj ktoś włamał się do samochodu",
        "昨晚我的车被撬了",
        "gas station sign out on pulaski",
        "fire hydrant leaking",
        "smoke shop selling to kids",
        "dead rat not moving",
        "water main break",
        "tree fell on wires last week",
        "the street light is burned out",
        "latarnia pali się cały dzień",
        "el foco de la calle está quemado",
        "路灯烧坏了",
        "water pooling at the curb in front of 1911 N Kedvale",  # 911 inside a house number
        "9110 S Halsted 门口有个坑",
    ],
)
def test_the_past_and_look_alikes_are_not_emergencies(text):
    assert recognise(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "my car was broken into last night and now someone is trying to get in my house",
        "there was a fire next door yesterday and it's still smoking",
        "anoche le dispararon a alguien y ahorita están disparando otra vez",
    ],
)
def test_now_outweighs_the_past(text):
    assert recognise(text) is not None


def test_a_person_must_be_named_near_words_that_fit_things_too():
    assert recognise("the sidewalk collapsed in front of 1845 w cortland") is None
    assert recognise("my porch collapsed with two people on it") is not None
    assert recognise("traffic not moving on ashland") is None
    assert recognise("an old lady is not moving on the bench") is not None


def test_needles_are_strings_every_match_contains():
    assert needles(r"\bchok(ing|es|ed)\b") == {"choking", "chokes", "choked"}
    assert needles(r"\bambulanc\w*|\bparamedic\w*") == {"ambulanc", "paramedic"}
    assert needles(r"着火|失火") == {"着火", "失火"}
    with pytest.raises(ValueError):
        needles(r"\w+")


def test_nothing_breaks_on_odd_input():
    for text in ("", "   ", "🔥🔥🔥", "\x00", "a" * 5000, "911 " * 500, None, 42):
        recognise(text)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_emergency_reply_fits_two_segments_and_english_one(language):
    from backend.i18n.messages import say
    from backend.notify.segments import segments
    from sms.dialog import ADVISED

    for advice in ["emergency", *(f"emergency_{kind}" for kind in ADVISED)]:
        for end in ("emergency_not_filed", "emergency_kept"):
            reply = f"{say(language, advice)} {say(language, end)}"
            assert "911" in reply
            assert segments(reply) <= (1 if language == "en" else 2), reply


def test_the_parser_reads_an_emergency_first_with_its_kind_and_language():
    from sms.parse import Parser

    parser = Parser.load()
    reading = parser.parse("czuję gaz w mieszkaniu")
    assert (reading.intent, reading.language, reading.emergency.kind) == ("emergency", "pl", "gas")
    # a text that says no more than the danger gets the conversation's language
    assert parser.parse("911", language="es").language == "es"
    assert parser.parse("pothole at 1845 w cortland").emergency is None


def test_the_needle_index_finds_what_substring_tests_find():
    from sms.emergency import _tables, clean

    tables = _tables()
    every = {s for strings in tables.needles.by_start.values() for s in strings}
    for t in TEXTS[:300]:
        text = clean(t["text"])
        assert tables.needles.found(text) == {s for s in every if s in text}, t["text"]
