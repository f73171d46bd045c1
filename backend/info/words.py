"""The words a full-text index and a query are made of, the same on both engines: folded
(lower case, no accents), light-stemmed per language, Chinese as overlapping character pairs.

Pure: neither the database nor the web. `index_words` writes an article's `search_*` columns;
`query_words` turns what a resident typed into the terms looked up (stop words dropped)."""

from __future__ import annotations

import re
import unicodedata

LANGUAGES = ("en", "es", "pl", "zh")

# Letters NFKD does not take apart
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "æ": "ae", "đ": "d"})
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[a-z0-9]+(?:[-'][a-z0-9]+)*|[{_CJK}]+")
_IS_CJK = re.compile(rf"[{_CJK}]")

STOP_WORDS = {
    "en": frozenset(
        "a an the and or of to in on at for by with from is are was be been am do does did i me my "
        "we our you your it its this that there these those what when where which who how can could "
        "would should will get got up out about any some have has need want please tell know info "
        "information question hi hello thanks thank much many if so just not no yes".split()
    ),
    "es": frozenset(
        "el la los las un una unos unas y o de del a al en con por para que como cuando donde cual "
        "quien es son esta estan ser mi mis me tu su sus se lo le les yo hay puedo puede tengo "
        "necesito quiero saber hacer hace favor por info informacion pregunta hola gracias mucho "
        "muy si no sobre ya".split()
    ),
    "pl": frozenset(
        "i a o w we z ze na do od po za przy dla jak gdzie kiedy czy co to jest sa jestem moge mozna "
        "sie mi mnie moj moja moje ten ta te tu tam prosze info informacja pytanie dzien dobry czesc "
        "dziekuje nie tak by bo ile ktory ktora ktore mam trzeba chce".split()
    ),
    "zh": frozenset(
        "的 了 吗 呢 是 我 你 在 有 和 怎么 如何 什么 哪里 哪儿 请问 请 可以 能 要 想 一个 这个 那个 "
        "时候 什么时候 信息 咨询 我的 我们 吧".split()
    ),
}


def fold(text: str) -> str:
    """Lower case without accents: "Calcomanía" -> "calcomania", "Śmieci" -> "smieci"."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


def _stem_en(w: str) -> str:
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # trimming -> trim
            return w
    if w.endswith("s") and not w.endswith("ss") and not w.endswith("us"):
        w = w[:-1]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]  # license, licensed -> licens
    return w


def _stem_es(w: str) -> str:
    if len(w) <= 3:
        return w
    if w.endswith("es") and len(w) > 5 and w[-3] not in "aeiou":
        w = w[:-2]
    elif w.endswith("s") and len(w) > 4:
        w = w[:-1]
    if len(w) > 4 and w[-1] in "aeo":
        w = w[:-1]  # recogida, recogido -> recogid
    return w


def _stem_pl(w: str) -> str:
    if len(w) <= 4:
        return w
    w = w.rstrip("aeiouy") or w
    return w[:6]  # prefix stemming: a plain and robust stand-in for Polish inflection


_STEMMERS = {"en": _stem_en, "es": _stem_es, "pl": _stem_pl, "zh": _stem_en}


def _pairs(run: str) -> list[str]:
    """A run of Chinese characters as overlapping pairs (one character alone stays one)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str, language: str) -> list[str]:
    """Every word of a text, stemmed; a hyphenated word also joined ("pick-up": pick, up, pickup)."""
    stem = _STEMMERS.get(language, _stem_en)
    out: list[str] = []
    for raw in _TOKEN.findall(fold(text)):
        if _IS_CJK.match(raw):
            out.extend(_pairs(raw))
            continue
        parts = re.split(r"[-']", raw)
        out.extend(stem(p) for p in parts if p)
        if len(parts) > 1:
            out.append(stem("".join(parts)))
    return out


def _unstopped(text: str, language: str) -> list[str]:
    stop = STOP_WORDS.get(language, frozenset())
    stem = _STEMMERS.get(language, _stem_en)
    stopped = {stem(w) for w in stop} | stop
    kept: list[str] = []
    folded = fold(text)
    if language == "zh":  # stop words out of the run before it is paired
        for word in sorted(STOP_WORDS["zh"], key=len, reverse=True):
            folded = folded.replace(word, " ")
    for t in tokens(folded, language):
        if t not in stopped:
            kept.append(t)
    return kept


MARKER = "zzlang"  # + the language: a word in every article's keywords, so that the index itself
# finds one language's articles (SQLite's FTS5 ranks within the index, without a join per match)


def language_marker(language: str) -> str:
    return MARKER + language


def index_words(text: str, language: str) -> str:
    """What the full-text index stores for a text: its words, space separated."""
    return " ".join(_unstopped(text, language))


def query_words(text: str, language: str) -> list[str]:
    """A query's distinct terms, in order, without stop words."""
    return list(dict.fromkeys(_unstopped(text, language)))
