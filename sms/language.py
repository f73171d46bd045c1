"""Which of English, Spanish, Polish and Chinese a text is written in, from its letters and words.

CJK characters mean Chinese. Otherwise each language scores its own letters (ą ę ł ś ź ż ń ć are
Polish, ñ ¿ ¡ á é í ú Spanish) and its common words plus the problem words of sms/data (a word
listed under two languages counts for neither). A text with no clear winner ("2", "ok",
"SR26-00012345", "1845 W Cortland") gets the caller's language (the conversation's), else "en".
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from backend.i18n.languages import FULL_SUPPORT
from sms.words import fold, has_cjk

LANGUAGES = FULL_SUPPORT  # backend/i18n/languages.py: the one list
DATA_DIR = Path(__file__).parent / "data"
STOPWORDS = {
    "en": "the there theres there's is are was were this that it its my our your his her their of "
    "in on at by with for from to and or but not been has have had out up down please pls plz "
    "thanks thank you can could would will should fix broken street alley light lights corner "
    "near behind front across next outside house home car days weeks week month months again "
    "still all over full big very huge lot lots someone somebody why what when where how who "
    "which we they he she me us them yes yeah hello hi help stop start report new follow any "
    "since ago today yesterday night morning also just into onto under around between block "
    "because keeps every deep dangerous right left side missing",
    "es": "el la los las un una unos unas hay en de del al y que por para con sin muy mi mis su "
    "sus esta estan es son frente esquina calle callejon cerca detras enfrente lado casa carro "
    "coche se le lo me nos ya desde hace semanas semana dias mes meses favor gracias hola ayuda "
    "por favor tengo tenemos hace pero como donde cuando cuanto porque otra otro todo toda todos "
    "también tambien ahora mucho mucha grande hondo profundo afuera dentro entre ayer hoy noche "
    "manana si nuevo seguir omitir saltar alguien esto eso aqui alli numero quiero necesito",
    "pl": "jest sa na w we z ze i oraz do od przy przed za pod nad obok kolo rogu rog ulicy ulica "
    "ulice sie nie tak juz jeszcze bardzo prosze dziekuje dzien dobry czesc pomoc moj moja moje "
    "nasz nasza mamy mam tu tam ktos coz co jak gdzie kiedy dlaczego bo ale lub albo tego ten ta "
    "to te tym tej tydzien tygodnie tygodni miesiac miesiace dni dzis dzisiaj wczoraj wieczorem "
    "rano noca domem domu dom samochod samochodu auto duza duzy dużo duzo caly cala nowe nowy "
    "obserwuj pomin zglosic zgloszenie naprawic naprawcie od wielu naprzeciwko miedzy",
}
OWN_LETTERS = {  # letters only one of the languages writes
    "pl": re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]"),
    "es": re.compile(r"[ñÑ¿¡áéíúÁÉÍÚü]"),
}
LETTER_WEIGHT = 3.0
_WORDS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, dict[str, float]]:
    """word -> {language: weight}: stopwords 1, problem words of the data files 2."""
    per_language: dict[str, set[str]] = {lang: set() for lang in LANGUAGES if lang != "zh"}
    for name in ("synonyms.json", "intents.json"):
        data = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
        for key, by_language in data.items():
            if key.startswith("_") or not by_language:
                continue
            for lang, phrases in by_language.items():
                if lang in per_language:
                    for phrase in phrases:
                        text = phrase.split(" =")[0].replace("+", " ")
                        per_language[lang].update(
                            w for w in _WORDS.findall(fold(text)) if len(w) >= 4
                        )
    vocab: dict[str, dict[str, float]] = {}
    for lang, words in per_language.items():
        for w in words:
            vocab.setdefault(w, {})[lang] = 2.0
    for lang, text in STOPWORDS.items():
        for w in fold(text).split():
            vocab.setdefault(w, {})[lang] = max(vocab.get(w, {}).get(lang, 0.0), 1.0)
    return {w: langs for w, langs in vocab.items() if len(langs) == 1}


def language_scores(text: str) -> dict[str, float]:
    scores = dict.fromkeys(("en", "es", "pl"), 0.0)
    for lang, letters in OWN_LETTERS.items():
        scores[lang] += LETTER_WEIGHT * min(2, len(letters.findall(text)))
    vocab = _vocabulary()
    for word in _WORDS.findall(fold(text)):
        if len(word) < 2:
            continue  # "w" (Polish "in") is also West; "y" "i" "a" are in every language
        for lang, weight in vocab.get(word, {}).items():
            scores[lang] += weight
    return scores


def detect_language(text: str, fallback: str | None = None) -> str:
    """en, es, pl or zh; `fallback` (then "en") when the text does not say."""
    default = fallback if fallback in LANGUAGES else "en"
    if not isinstance(text, str) or not text.strip():
        return default
    if has_cjk(text):
        return "zh"
    scores = language_scores(text)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 1.0 or top - second < 1.0:
        return default
    return best
