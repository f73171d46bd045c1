"""The phrase matcher alone (sms/matcher.py): covering, neutral phrases, spelling fixes."""

from sms.matcher import Matcher, compile_pattern


def labels(matcher: Matcher, text: str) -> set[str]:
    return {m.pattern.label for m in matcher.find(text)}


MATCHER = Matcher(
    [
        compile_pattern("SFD", 1.0, "street light*"),
        compile_pattern("SFD", 1.0, "light"),
        compile_pattern("SKA", 1.0, "car + flat tires"),
        compile_pattern("!none", 1.0, "light rail"),
        compile_pattern("!none", 1.0, "flat tire*"),
        compile_pattern("GRAF", 1.0, "graffiti"),
    ],
    frozenset({"street", "rail", "car"}),
)


def test_a_longer_phrase_drops_the_words_it_covers():
    found = MATCHER.find("street light out")
    assert [m.pattern.text for m in found] == ["street light*"]


def test_a_neutral_phrase_drops_what_it_overlaps():
    assert labels(MATCHER, "bins at the 2nd street light rail") == {"!none"}
    assert labels(MATCHER, "street light out by the light rail") == {"SFD", "!none"}


def test_a_phrase_covering_a_neutral_one_stays():
    assert labels(MATCHER, "car with flat tires for weeks") == {"SKA"}


def test_misspellings_are_fixed_but_not_street_names():
    assert labels(MATCHER, "grafitti on the wall") == {"GRAF"}
    assert MATCHER.words_of("grafitti on Grafitti St") == ["graffiti", "on", "grafitti", "st"]


def test_parts_are_found_anywhere_each_at_its_first_place():
    m = Matcher(
        [compile_pattern("X", 1.0, "alley + dark*"), compile_pattern("Y", 1.0, "hole + in street")]
    )
    found = {x.pattern.label: x.positions for x in m.find("darker every night in the alley")}
    assert found == {"X": frozenset({0, 4})}  # "darker" before "alley", the stem at 0
    found = {x.pattern.label: x.positions for x in m.find("in street there is a hole, in street")}
    assert found == {"Y": frozenset({0, 1, 3})}  # "is", "a" dropped; "in street" first at 0
    assert not m.find("a hole in the alley")


def test_a_generic_phrase_yields_to_a_type_the_text_names():
    from sms.service_match import type_scores

    m = Matcher([
        compile_pattern("SFD", 1.0, "light* out", generic=True),
        compile_pattern("SFB", 1.0, "traffic light*"),
        compile_pattern("AIR", 1.0, "smell*", generic=True),
        compile_pattern("SEWER", 1.0, "sewer*"),
    ])  # fmt: skip
    yields = {"SFD": frozenset({"SFB"}), "AIR": None}
    assert type_scores(m.find("traffic light out"), yields) == {"SFB": 1.0}
    assert type_scores(m.find("light out on my block"), yields) == {"SFD": 1.0}
    assert type_scores(m.find("the sewer smells"), yields) == {"SEWER": 1.0}
    assert type_scores(m.find("it smells"), yields) == {"AIR": 1.0}
    assert type_scores(m.find("traffic light out"), None) == {"SFB": 1.0, "SFD": 1.0}
