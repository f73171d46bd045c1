"""What a text asks for: the keyword commands (STOP, HELP, LANG ES, STATUS…), answers inside a
dialog (yes, no, skip, a number… in four languages), tracking numbers, and the phrase lists that
mark an emergency, a police matter or an information question (sms/data/intents.json).
"""

from __future__ import annotations

import re

from backend.service_requests.tracking import parse_tracking_number
from sms.matcher import Pattern
from sms.service_match import phrase_pattern, read_phrases
from sms.words import fold

# Twilio's opt-out words: the whole message, whatever its case, spaces or punctuation, always
# means stop (https://help.twilio.com/articles/223134027); never read as anything else.
STOP_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"}
)
START_WORDS = frozenset({"start", "unstop"})
HELP_WORDS = frozenset({"help", "info", "ayuda", "pomoc", "帮助", "menu", "commands", "?", "help me",
                        "帮忙", "help please"})  # fmt: skip
GREETINGS = frozenset(
    {"hi", "hello", "hey", "hi there", "hello there", "hola", "buenas", "buenos dias",
     "buenas tardes", "buenas noches", "czesc", "dzien dobry", "witam", "你好", "您好", "嗨"}
)  # fmt: skip
# The bot's own NEVERMIND (and RESET): the draft is dropped, texts go on. Never an opt-out word.
RESET_PHRASES = frozenset(
    {"nevermind", "never mind", "nvm", "forget it", "forget about it", "scratch that",
     "drop it", "drop the report", "cancel the report", "cancel my report", "cancel this report",
     "olvidalo", "olvidelo", "no importa", "dejalo", "cancelar", "cancelar reporte",
     "cancelar el reporte", "ya no", "niewazne", "nie wazne", "zapomnij", "nie trzeba", "anuluj",
     "anuluj zgloszenie", "算了", "不用了", "不报了", "取消", "取消报告", "没事了",
     "reset", "restart", "start over", "start again", "begin again", "clear", "cancel report",
     "empezar de nuevo", "comenzar de nuevo", "reiniciar", "borrar", "volver a empezar",
     "empezar otra vez", "od nowa", "zacznij od nowa", "zacznij jeszcze raz", "resetuj",
     "restartuj", "wyczysc", "重新开始", "重来", "重置", "从头开始", "重新来"}
)  # fmt: skip
LANGUAGE_NAMES = {
    "en": ("english", "ingles", "angielski", "po angielsku", "英文", "英语", "in english",
           "en ingles", "en"),
    "es": ("espanol", "spanish", "en espanol", "hiszpanski", "po hiszpansku", "西班牙语",
           "castellano", "es"),
    "pl": ("polski", "polish", "po polsku", "polaco", "en polaco", "polsku", "波兰语", "pl"),
    "zh": ("中文", "汉语", "普通话", "chinese", "chino", "en chino", "chinski", "po chinsku",
           "mandarin", "简体中文", "zh", "华语"),
}  # fmt: skip
# "I can't read English" in the resident's own words: the conversation goes on in that language
LANGUAGE_PLEAS = {
    "es": re.compile(r"\bno\b.*\bingles\b|\b(hablo|habla|hablan|hablas|en|solo)\b.*\bespanol\b"),
    "pl": re.compile(
        r"\bnie\b.*\bangielsk\w*\b|\b(mowie|mowisz|mowicie|prosze|pisz|piszcie)\b.*\bpo polsku\b|\bpo polsku\b.*\bprosze\b"
    ),
    "zh": re.compile(
        r"(不|没).{0,4}(英文|英语)|(用|说|讲|要|发)(中文|汉语|普通话|华语)|(中文|汉语)(吗|可以|回复)"
    ),
}
PLEA_WORDS = 8  # a longer text is a report that mentions the language, not a plea
LANGUAGE_LEADS = ("lang", "language", "idioma", "jezyk", "语言")
STATUS_WORDS = ("status", "estado", "estatus", "stan", "状态", "进度", "查询", "check status",
                "track", "seguimiento", "where is my request", "status of my request")  # fmt: skip
FOLLOW_WORDS = ("follow", "seguir", "obserwuj", "sledz", "关注", "跟踪", "subscribe")
ANSWERS = {
    "yes": ("yes", "y", "yep", "yeah", "yea", "ya", "yup", "ok", "okay", "k", "kk", "sure", "correct",
            "right", "yes please", "thats right", "that's right", "si", "claro", "correcto", "vale",
            "si por favor", "esta bien", "de acuerdo", "tak", "dobrze", "zgadza sie", "jasne",
            "tak prosze", "是", "对", "好", "是的", "对的", "好的", "行", "可以", "嗯", "yes sir"),
    "no": ("no", "n", "nope", "nah", "no thanks", "no thank you", "incorrect", "wrong", "no gracias",
           "nie", "nie dziekuje", "不", "不是", "没有", "否", "不对", "不用"),
    "skip": ("skip", "omitir", "saltar", "pomin", "pominac", "跳过", "pass", "no photo",
             "sin foto", "bez zdjecia", "略过"),
    "follow": FOLLOW_WORDS,
    "new": ("new", "nuevo", "nueva", "nowe", "nowy", "nowa", "新", "新的", "new report",
            "nuevo reporte", "nowe zgloszenie", "新报告"),
}  # fmt: skip
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "first": 1, "second": 2, "third": 3,
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "primero": 1, "segundo": 2, "tercero": 3,
    "jeden": 1, "jedna": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "piec": 5, "szesc": 6,
    "siedem": 7, "osiem": 8, "dziewiec": 9, "dziesiec": 10, "pierwszy": 1, "drugi": 2, "trzeci": 3,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
}  # fmt: skip
MAX_CHOICE_NUMBER = 20
_NUMBER_ANSWER = re.compile(
    r"^(?:#|no\.?|number|option|opcion|numero|nr|numer|opcja|第)?\s*(\d{1,2}|[一二两三四五六七八九十])"
    r"\s*(?:号|个|项|\.|\))?$"
)
_TRACKING = re.compile(
    r"\bsr\s*[-#]?\s*(\d{2})(?:\s*[-\s]\s*(\d{1,8})|(\d{8}))(?!\d)", re.IGNORECASE
)


def squeeze(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: "¡Sí!" -> "si"."""
    return " ".join(re.sub(r"[^\w\s?]|_", " ", fold(text)).split())


def is_stop(text: str) -> bool:
    return re.sub(r"[\W_]", "", fold(text)) in STOP_WORDS


def is_start(text: str) -> bool:
    return re.sub(r"[\W_]", "", fold(text)) in START_WORDS


def find_tracking_number(text: str) -> tuple[str | None, tuple[int, int] | None]:
    """The first tracking number in a text, normalised, and where it is."""
    for m in _TRACKING.finditer(text):
        number = parse_tracking_number(m.group(0))
        if number:
            return number, m.span()
    return None, None


NATIVE_NAMES = {"english": "en", "in english": "en", "espanol": "es", "en espanol": "es",
                "castellano": "es", "polski": "pl", "po polsku": "pl", "polsku": "pl",
                "中文": "zh", "汉语": "zh", "普通话": "zh", "简体中文": "zh", "华语": "zh"}  # fmt: skip
POLITE = ("please", "pls", "plz", "por favor", "prosze", "请", "thanks")


def without_politeness(squeezed: str) -> str:
    for word in POLITE:
        squeezed = f" {squeezed} ".replace(f" {word} ", " ").strip()
    return squeezed.removeprefix("请").strip()


def target_language(squeezed: str) -> str | None:
    squeezed = without_politeness(squeezed)
    words = squeezed.split()
    if words and words[0] in LANGUAGE_LEADS and len(words) >= 2:
        rest = " ".join(words[1:])
        return next((lang for lang, names in LANGUAGE_NAMES.items() if rest in names), None)
    if len(words) > 4:
        return None
    for lang, names in LANGUAGE_NAMES.items():
        if squeezed in names and squeezed not in LANGUAGE_NAMES:  # "es" alone is no request
            return lang
    return None


def language_plea(squeezed: str) -> str | None:
    """The language of a short text saying the resident can't read English ("no hablo inglés",
    "nie mówię po angielsku", "我看不懂英文") or asking for theirs."""
    if len(squeezed.split()) > PLEA_WORDS or len(squeezed) > 60:
        return None
    return next((lang for lang, plea in LANGUAGE_PLEAS.items() if plea.search(squeezed)), None)


def answer_of(squeezed: str) -> tuple[str | None, int | None]:
    """(keyword, number) when the whole text is a dialog answer, else (None, None)."""
    text = squeezed.rstrip("?").strip()
    for keyword, words in ANSWERS.items():
        if text in words:
            return keyword, None
    if text in NUMBER_WORDS:
        return "number", NUMBER_WORDS[text]
    m = _NUMBER_ANSWER.match(text)
    if m:
        raw = m.group(1)
        n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        if 0 <= n <= MAX_CHOICE_NUMBER:  # 0: "more" in a paged list
            return "number", n
    return None, None


def starts_with(squeezed: str, phrases: tuple[str, ...]) -> bool:
    return any(squeezed == p or squeezed.startswith(p + " ") for p in phrases)


def intent_patterns() -> list[Pattern]:
    patterns: list[Pattern] = []
    for kind, by_language in read_phrases("intents.json").items():
        for phrases in by_language.values():
            patterns.extend(phrase_pattern("!" + kind, p) for p in phrases)
    return patterns


# A correction names what it is and what it is not: "it's a traffic signal, not a street light",
# "no, it's rats", "no es un poste de luz, es un semáforo", "不是路灯，是红绿灯". What is denied
# goes (from the denial up to what is affirmed again, or the clause's end).
_CLAUSES = re.compile(r"[,;.!?，。；！？]+|\s(?:but|pero|sino|ale|tylko)\s")
_DENIED = re.compile(
    r"(?:\b(?:not|isn'?t|wasn'?t|no es|no son|no era|no|nope|wrong|nie|nie jest)\b|不是|不对)"
    r".*?(?=\b(?:it'?s|it is|that'?s|its|es|son|to|to jest)\b|是|$)",
    re.IGNORECASE,
)


def without_denials(text: str) -> str:
    """A correction's words without what it denies: "it's rats, not garbage" -> "it's rats"."""
    kept = (_DENIED.sub(" ", clause) for clause in _CLAUSES.split(text))
    return " ".join(" ".join(kept).split())
