"""Answers to a type's questions in plain words, in four languages: an option's label or a close
paraphrase ("curb lane", "callejón", "后巷", "a fridge"), yes/no words, several picks ("2 and 3",
"tires and a fridge"), numbers in words and with units ("about 3 weeks" -> 21 days, "un mes",
"2 inches"). Pure: a Question and a text in, the stored value (or None) out."""

from __future__ import annotations

import re

from backend.catalog.snapshot import Question
from sms.intents import ANSWERS, NUMBER_WORDS, squeeze
from sms.words import fold, has_cjk

# Paraphrases of common option keys, in four languages (folded, as squeeze() gives them).
PARAPHRASES = {
    "appliances": ("fridge", "refrigerator", "freezer", "stove", "washer", "dryer", "nevera",
                   "refrigerador", "estufa", "lavadora", "lodowka", "pralka", "kuchenka", "冰箱",
                   "洗衣机", "炉子"),
    "tires": ("tire", "tyre", "tyres", "llanta", "llantas", "neumaticos", "opony", "opona", "轮胎"),
    "furniture": ("couch", "sofa", "mattress", "chair", "table", "colchon", "mueble", "muebles",
                  "kanapa", "materac", "meble", "沙发", "床垫", "家具"),
    "alley": ("callejon", "alley", "zaulek", "uliczka", "后巷", "小巷", "巷子"),
    "yard": ("backyard", "patio", "jardin", "podworko", "ogrodek", "院子", "后院"),
    "curb_lane": ("by the curb", "near the curb", "junto a la banqueta", "przy kraweznik",
                  "路边"),
    "traffic_lane": ("middle of the street", "middle of the road", "en medio de la calle",
                     "srodek jezdni", "路中间"),
    "crosswalk": ("paso de peatones", "przejscie", "人行横道", "斑马线"),
    "building": ("inside", "in the house", "dentro", "en la casa", "w domu", "w budynku",
                 "屋里", "楼里"),
    "not_sure": ("dont know", "don't know", "not sure", "no se", "nie wiem", "不知道", "不确定"),
}  # fmt: skip
EXTRA_NUMBERS = {"a couple": 2, "couple": 2, "a few": 3,
                 "few": 3, "several": 3, "dozen": 12, "a dozen": 12, "twice": 2,
                 "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                 "once": 11, "doce": 12, "quince": 15, "veinte": 20, "treinta": 30,
                 "jedenascie": 11, "dwanascie": 12, "dwadziescia": 20, "trzydziesci": 30,
                 "几": 3, "半": 0.5}  # fmt: skip
DAYS_PER = {"day": 1, "week": 7, "month": 30, "year": 365}
UNITS = {  # folded words -> unit
    "day": "day", "days": "day", "dia": "day", "dias": "day", "dzien": "day", "dni": "day",
    "天": "day", "日": "day",
    "week": "week", "weeks": "week", "semana": "week", "semanas": "week", "tydzien": "week",
    "tygodnie": "week", "tygodni": "week", "周": "week", "星期": "week", "礼拜": "week",
    "month": "month", "months": "month", "mes": "month", "meses": "month", "miesiac": "month",
    "miesiace": "month", "miesiecy": "month", "月": "month",
    "year": "year", "years": "year", "ano": "year", "anos": "year", "rok": "year", "lata": "year",
    "lat": "year", "年": "year",
}  # fmt: skip
_PICKS = re.compile(r"\s*(?:,|;|&|\+|/|\band\b|\by\b|\bi\b|\boraz\b|\bor\b|和|、|及|跟)\s*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
NO_PHOTO = re.compile(
    r"\b(?:no|skip|sin|bez|nie)\b.*\b(?:photo|pic|picture|foto|fotos|zdjecia|zdjecie)s?\b"
    r"|\b(?:don ?t|do not|can ?t|cannot|haven ?t)\b.*\b(?:have|take)\b|没有照片|没照片|不用照片|无照片"
    r"|\bno tengo\b|\bnie mam\b",
)


def number_in(text: str, label: str = "") -> float | None:
    """A number written in digits or words, in days when the question asks for days and the
    text gives weeks, months or years: "about 3 weeks" -> 21, "un mes" -> 30, "2 inches" -> 2."""
    words = squeeze(text)
    value: float | None = None
    if m := _NUMBER.search(words):
        value = float(m.group().replace(",", "."))
    else:
        for phrase in sorted({**NUMBER_WORDS, **EXTRA_NUMBERS}, key=len, reverse=True):
            pattern = re.escape(phrase) if has_cjk(phrase) else rf"\b{re.escape(phrase)}\b"
            if re.search(pattern, words):
                value = float({**NUMBER_WORDS, **EXTRA_NUMBERS}[phrase])
                break
    unit = next((u for w, u in UNITS.items() if re.search(
        re.escape(w) if has_cjk(w) else rf"\b{re.escape(w)}\b", words)), None)  # fmt: skip
    if value is None and unit is not None:
        value = 1.0  # "a week", "un mes"
    if value is None:
        return None
    if unit and "day" in fold(label) + " dias dni 天":
        value *= DAYS_PER[unit]
    return value


def _contains(text: str, phrase: str) -> bool:
    if not phrase:
        return False
    if has_cjk(phrase):
        return phrase in text
    return f" {phrase} " in f" {text} "


def _names(q: Question, english: Question | None) -> dict[str, set[str]]:
    names = {c.key: {squeeze(c.name), squeeze(c.key.replace("_", " "))} for c in q.choices}
    for c in english.choices if english else ():
        names.setdefault(c.key, set()).add(squeeze(c.name))
        names[c.key].add(squeeze(re.sub(r"\(.*?\)", "", c.name)))
    for key in names:
        names[key] |= {squeeze(p) for p in PARAPHRASES.get(key, ())}
    return names


def named_options(q: Question, text: str, english: Question | None = None) -> list[str]:
    """The options a report's own words name ("rats in the callejón" -> alley): labels and
    paraphrases only, never yes/no, "other" or "not sure"."""
    said = squeeze(text)
    return [
        k
        for k, ns in _names(q, english).items()
        if k not in ("yes", "no", "other", "not_sure") and any(_contains(said, n) for n in ns)
    ]


def option_in(q: Question, text: str, english: Question | None = None) -> list[str]:
    """The keys of the options a text names: their labels (in the resident's language or in
    English), their keys, or a paraphrase; a number picks by position."""
    said = squeeze(text)
    n = len(q.choices)
    if re.fullmatch(r"(?:#)?\d{1,2}", said) or said in NUMBER_WORDS:
        i = int(said.lstrip("#")) if said.lstrip("#").isdigit() else NUMBER_WORDS[said]
        return [q.choices[i - 1].key] if 1 <= i <= n else []
    names = _names(q, english)
    keys = {c.key for c in q.choices}
    if keys >= {"yes", "no"}:
        for word in ANSWERS["yes"]:
            names["yes"].add(squeeze(word))
        for word in ANSWERS["no"]:
            names["no"].add(squeeze(word))
        if said in names["yes"] or said in names["no"]:
            return ["yes" if said in names["yes"] else "no"]
    exact = [k for k, ns in names.items() if said in ns]
    if exact:
        return exact[:1]
    found = [k for k, ns in names.items() if any(_contains(said, name) for name in ns)]
    if found:
        return found
    # a label's telling word ("curb" for "Curb lane", when only one option has it)
    words = set(said.split())
    hits = [k for k, ns in names.items()
            if any(w in words for name in ns for w in name.split() if len(w) >= 4)]  # fmt: skip
    return hits if len(hits) == 1 else []


def answer_in(q: Question, text: str, english: Question | None = None) -> object | None:
    """The stored value of an answer to `q` in plain words, or None when the text is none."""
    if q.datatype == "number":
        value = number_in(text, english.label if english else q.label)
        if value is None:
            return None
        return int(value) if float(value).is_integer() else value
    if not q.choices:
        return text.strip() or None
    picks: list[str] = []
    pieces = [p for p in _PICKS.split(squeeze(text)) if p] if q.datatype == "multivaluelist" else []
    for piece in pieces if len(pieces) > 1 else [text]:
        for key in option_in(q, piece, english):
            if key not in picks:
                picks.append(key)
    if not picks:
        return None
    if q.datatype == "multivaluelist":
        return picks
    return picks[0] if len(picks) == 1 else None
