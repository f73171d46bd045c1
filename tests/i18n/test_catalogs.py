"""The message catalogs: the templates (.pot) hold what the code and the catalog's data say (`make
messages` was run), and every language translates every message — none missing, empty or fuzzy, none left over, the
same {blanks} as the English — and is what the bot and the notifications say."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from backend.city import OUTSIDE_CITY_PHONE
from backend.i18n.catalogs import LANGUAGES, SOURCE_LANGUAGE, compile_po, po_path, translation
from backend.i18n.messages import MESSAGES, say

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "backend" / "i18n"
TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]
# how `make messages` extracts each domain: its mapping file, keyword and input
DOMAINS = {
    "messages": ("messages.cfg", "N_:1c,2", ["backend/i18n/messages.py"]),
    "catalog": (
        "catalog.cfg",
        "pgettext:1c,2",
        [
            "backend/catalog/data/service_types.csv",
            "backend/catalog/data/questions.json",
            "backend/catalog/data/checklists.json",
        ],
    ),
}


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _ids(catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id) for m in catalog if m.id}


def _blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.slow
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_template_holds_what_the_code_says(domain, tmp_path):
    """Fails when a sentence was added or changed without `make messages`."""
    mapping, keyword, sources = DOMAINS[domain]
    pybabel = Path(sys.executable).with_name("pybabel")
    out = tmp_path / f"{domain}.pot"
    subprocess.run(
        [str(pybabel), "extract", "-F", str(I18N / mapping), "-k", keyword,
         "--no-default-keywords", "--omit-header", "-o", str(out), *sources],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    assert _ids(_read(out)) == _ids(_read(I18N / f"{domain}.pot"))


def test_the_messages_template_is_the_registry():
    assert _ids(_read(I18N / "messages.pot")) == {(k, v) for k, v in MESSAGES.items()}


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_is_translated_with_the_same_blanks(domain, language):
    template = _ids(_read(I18N / f"{domain}.pot"))
    po = _read(po_path(domain, language))
    assert _ids(po) == template, "run `make messages`: the .po lacks or keeps other messages"
    problems = []
    for m in po:
        if not m.id:
            continue
        where = f"{language} {domain} {m.context!r}"
        if not m.string or not str(m.string).strip():
            problems.append(f"{where}: untranslated")
        elif m.fuzzy:
            problems.append(f"{where}: fuzzy (the English changed: check the translation)")
        elif _blanks(m.id) != _blanks(m.string):
            problems.append(f"{where}: blanks {_blanks(m.string)} instead of {_blanks(m.id)}")
        elif m.string == m.id and len(m.id) > 12 and not m.id.startswith("{"):
            problems.append(f"{where}: still the English")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_bot_says_the_catalogs_words(language):
    po = _read(po_path("messages", language))
    for m in po:
        if m.id:  # the number for callers outside the city is filled in by say() itself
            expected = m.string.replace("{outside_phone}", OUTSIDE_CITY_PHONE)
            assert say(language, m.context) == expected


def test_english_and_unknown_languages_say_the_english():
    assert say("en", "reset") == MESSAGES["reset"]
    assert say("xx", "filed", tracking_number="SR26-1", service="Pothole") == MESSAGES[
        "filed"
    ].format(tracking_number="SR26-1", service="Pothole")


def test_a_po_file_is_compiled_in_memory_when_its_mo_is_missing(tmp_path):
    import gettext
    import io

    compiled = gettext.GNUTranslations(io.BytesIO(compile_po(po_path("messages", "es"))))
    assert compiled.pgettext("reset", MESSAGES["reset"]) == say("es", "reset")
    assert translation("messages", "es").pgettext("more", "more") != "more"


def test_the_catalog_speaks_the_residents_language(services):
    from backend.catalog.translate import localized, service_name

    pothole = services.catalog.by_code("PHF")
    es = localized(pothole, "es")
    assert es.name == "Bache en la calle" == service_name("es", "PHF", pothole.name)
    where = next(q for q in es.questions if q.code == "LOCATION")
    assert where.label == "¿En qué parte de la calle está el bache?"
    assert [c.key for c in where.choices] == [c.key for c in pothole.questions[0].choices]
    assert "Carril junto a la orilla" in [c.name for c in where.choices]
    assert localized(pothole, "zh").name == "街道坑洞"
    assert localized(pothole, "en") is pothole
    # a type the catalogs do not know yet (added by staff) keeps its English
    assert service_name("pl", "NEWTYPE", "Something new") == "Something new"
