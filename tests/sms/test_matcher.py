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
