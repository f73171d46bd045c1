"""The language bank: which language a text is written in, among the 165 that Google's Compact
Language Detector 2 knows (pycld2, its tables compiled into the package: offline, nothing to
download), whether it is one the bot does not speak, and the one short reply saying that an
operator with an interpreter will call back.

A text goes to an interpreter only when it is plainly in another language: written in a script
of its own (Arabic, Cyrillic, Devanagari, Hangul, kana…), or at least three words of Latin
letters that CLD2 reliably reads as a language other than English, Spanish or Polish. Latin text
without a letter those three never write (ã ç è ß ş ț ė…) must also pass three checks: no letter
only Polish or Spanish writes (ą ł ż ñ ¿…), less than 30% of its words on sms/language.py's
lists, and CLD2 still reading it as another language when told it may be English, Spanish or
Polish. Numbers, YES, a street name, "1845 W Cortland" never go. Chinese is the bot's own;
Japanese is told from it by its kana.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pycld2

from backend.i18n.languages import FULL_SUPPORT
from backend.logsafe import mask_phone
from sms.language import _WORDS, _vocabulary
from sms.words import fold, has_cjk

if TYPE_CHECKING:
    from backend.interpreters.callbacks import InterpreterCallbacks
    from sms.inbound import Inbound

log = logging.getLogger("city311.sms")

_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SERBIAN_ONLY = re.compile(r"[ђјљњћџЂЈЉЊЋЏ]")  # Serbian Cyrillic letters Russian lacks
_LATIN_WORD = re.compile(r"[^\W\d_]{2,}")
# Latin letters none of English, Spanish and Polish writes: ã õ ç è à â ê ô ß ş ğ ı ț ė ų ơ ư…
_FOREIGN_LATIN = re.compile(
    r"(?![a-zA-ZáéíóúüñÁÉÍÓÚÜÑąćęłńóśźżĄĆĘŁŃÓŚŹŻ])"
    r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"
)
_OWN_LETTERS = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻñÑ¿¡]")  # Polish's and Spanish's own
OWN_WORDS = 0.3  # the share of a text's words in sms/language.py's list for one of en/es/pl
MIN_FOREIGN_LETTERS = 4  # letters of a script of its own
MIN_LATIN_WORDS = 3
MIN_LATIN_LETTERS = 15
# CLD2 codes for the same language as ours, or a script variant of it
SAME = {"zh-Hant": "zh", "iw": "he", "jw": "jv"}


@dataclass(frozen=True, slots=True)
class Foreign:
    """A text for an interpreter: its language (None: a script of its own CLD2 could not name)."""

    language: str | None
    name: str  # the language's name in English ("Arabic"), or "unidentified"


def _cld2(text: str, *, hint: str | None = None) -> tuple[str | None, bool]:
    """CLD2's language for a text (None for unknown) and whether it is sure."""
    clean = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in "\n\t")
    try:
        kwargs = {"hintLanguage": hint} if hint else {}
        reliable, _, found = pycld2.detect(clean, bestEffort=True, **kwargs)
    except pycld2.error:  # invalid UTF-8 after all, or input it refuses
        return None, False
    code = found[0][1]
    if code == "un":
        return None, False
    return SAME.get(code, code), reliable


def identify(text: str) -> str | None:
    """The language of a text, as an ISO 639-1 code where it has one ("ar", "ht", "zh"), or
    None. Han characters without kana are Chinese; CLD2 names the rest. Cyrillic that CLD2 calls
    Serbian without a letter only Serbian writes (ј, љ, њ, ћ, ђ, џ) is asked again with Russian,
    the most common Cyrillic language in Chicago, as the hint."""
    if not isinstance(text, str) or not text.strip():
        return None
    if has_cjk(text) and not _KANA.search(text) and not _HANGUL.search(text):
        return "zh"
    code, _ = _cld2(text)
    if _CYRILLIC.search(text) and (code is None or code == "sr") and not _SERBIAN_ONLY.search(text):
        code = _cld2(text, hint="ru")[0] or code
    return code


def language_name(code: str | None) -> str:
    """ "Haitian Creole" for "ht"; "unidentified" for None."""
    if not code:
        return "unidentified"
    for name, c in pycld2.LANGUAGES:
        if c == code or SAME.get(c) == code:
            return str(name).replace("_", " ").title()
    return code


def own_words(text: str) -> float:
    """The largest share of a text's words that sms/language.py lists for English, Spanish or
    Polish (their common words and the problem words the bot knows)."""
    vocabulary = _vocabulary()
    words = [w for w in _WORDS.findall(fold(text)) if len(w) >= 2]
    if not words:
        return 0.0
    return max(
        sum(lang in vocabulary.get(w, {}) for w in words) / len(words)
        for lang in ("en", "es", "pl")
    )


def _script_letters(text: str) -> int:
    """Letters outside the Latin alphabet and CJK: Arabic, Cyrillic, Devanagari, Hangul…"""
    return sum(
        1 for c in text if c.isalpha() and not ("LATIN" in unicodedata.name(c, "") or has_cjk(c))
    )


def needs_interpreter(text: str) -> Foreign | None:
    """The language of a text the bot cannot read, or None when it is the bot's own or too short
    or plain to say (a number, YES, a street name, an address)."""
    if not isinstance(text, str) or not text.strip():
        return None
    if _KANA.search(text) or _HANGUL.search(text) or _script_letters(text) >= MIN_FOREIGN_LETTERS:
        code = identify(text)
        if code in FULL_SUPPORT:
            return None
        return Foreign(code, language_name(code))
    if has_cjk(text):
        return None  # Chinese
    words = _LATIN_WORD.findall(text)
    if len(words) < MIN_LATIN_WORDS or sum(map(len, words)) < MIN_LATIN_LETTERS:
        return None
    code, reliable = _cld2(text)
    if not reliable or code is None or code in FULL_SUPPORT:
        return None
    if not _FOREIGN_LATIN.search(text):
        # Without a letter of its own, short Spanish reads like Portuguese, Catalan or Galician,
        # Polish like Slovak: a text with a letter only Polish or Spanish writes, or that CLD2
        # reads as English, Spanish or Polish once told it may be one of them, or made of the
        # bot's own words, is the bot's.
        if _OWN_LETTERS.search(text) or own_words(text) >= OWN_WORDS:
            return None
        if any(_cld2(text, hint=hint)[0] in FULL_SUPPORT for hint in ("en", "es", "pl")):
            return None
    return Foreign(code, language_name(code))


# -- the reply --------------------------------------------------------------------------------
# "We got your message; an operator with an interpreter will call you back at this number;
# in an emergency call 911" — each at most two SMS segments (tests/sms/test_language_bank.py).
REPLIES = {
    "en": "City311: we got your message. An operator with an interpreter will call you back at "
    "this number. Emergency? Call 911.",
    "es": "City311: recibimos su mensaje. Un operador con intérprete le va a llamar a este "
    "teléfono. ¿Emergencia? Llame al 911.",
    "ar": "City311: وصلتنا رسالتك. سيتصل بك موظف مع مترجم على هذا الرقم. في حالة الطوارئ اتصل بـ 911.",
    "hi": "City311: आपका संदेश मिल गया। एक ऑपरेटर दुभाषिए के साथ इसी नंबर पर आपको फोन करेगा। "
    "आपातकाल में 911 पर कॉल करें।",
    "ur": "City311: آپ کا پیغام مل گیا۔ ایک آپریٹر مترجم کے ساتھ اسی نمبر پر آپ کو فون کرے گا۔ "
    "ایمرجنسی میں 911 پر کال کریں۔",
    "gu": "City311: તમારો સંદેશ મળ્યો. એક ઓપરેટર દુભાષિયા સાથે આ જ નંબર પર તમને ફોન કરશે. "
    "કટોકટીમાં 911 પર ફોન કરો.",
    "ko": "City311: 메시지를 받았습니다. 통역사와 함께 상담원이 이 번호로 다시 전화드리겠습니다. "
    "응급 상황이면 911에 전화하세요.",
    "tl": "City311: Natanggap namin ang mensahe mo. Tatawagan ka ng operator na may kasamang "
    "interpreter sa numerong ito. Emergency? Tumawag sa 911.",
    "ru": "City311: мы получили ваше сообщение. Оператор с переводчиком перезвонит вам на этот "
    "номер. В экстренном случае звоните 911.",
    "uk": "City311: ми отримали ваше повідомлення. Оператор з перекладачем передзвонить вам на "
    "цей номер. У разі небезпеки телефонуйте 911.",
    "vi": "City311: chúng tôi đã nhận được tin nhắn của bạn. Nhân viên cùng thông dịch viên sẽ "
    "gọi lại số này. Khẩn cấp: gọi 911.",
    "fr": "City311 : nous avons reçu votre message. Un agent avec un interprète vous rappellera "
    "à ce numéro. En cas d'urgence, appelez le 911.",
    "it": "City311: abbiamo ricevuto il tuo messaggio. Un operatore con un interprete ti "
    "richiamerà a questo numero. Per emergenze chiama il 911.",
    "el": "City311: Λάβαμε το μήνυμά σας. Ένας υπάλληλος με διερμηνέα θα σας καλέσει σε αυτόν "
    "τον αριθμό. Για έκτακτη ανάγκη καλέστε 911.",
    "de": "City311: Wir haben Ihre Nachricht erhalten. Ein Mitarbeiter mit Dolmetscher ruft Sie "
    "unter dieser Nummer zurück. Im Notfall: 911 anrufen.",
    "pt": "City311: recebemos sua mensagem. Um atendente com um intérprete vai ligar para você "
    "neste número. Em caso de emergência, ligue 911.",
    "ja": "City311：メッセージを受け取りました。通訳者と一緒に担当者がこの番号に折り返しお電話します。"
    "緊急の場合は911に電話してください。",
    "fa": "City311: پیام شما را دریافت کردیم. یک کارمند همراه با مترجم با همین شماره با شما "
    "تماس می‌گیرد. در موارد اضطراری با 911 تماس بگیرید.",
    "tr": "City311: Mesajınızı aldık. Bir görevli, tercümanla birlikte bu numaradan sizi geri "
    "arayacak. Acil durumda 911'i arayın.",
    "ro": "City311: am primit mesajul dvs. Un operator cu un interpret vă va suna înapoi la "
    "acest număr. În caz de urgență, sunați la 911.",
    "sr": "City311: примили смо вашу поруку. Оператер са преводиоцем ће вас позвати на овај "
    "број. У хитном случају позовите 911.",
    "ht": "City311: nou resevwa mesaj ou. Yon operatè ak yon entèprèt ap rele ou tounen nan "
    "nimewo sa a. Si se yon ijans, rele 911.",
    "lt": "City311: gavome jūsų žinutę. Operatorius su vertėju jums perskambins šiuo numeriu. "
    "Skubiu atveju skambinkite 911.",
}


async def call_back(callbacks: InterpreterCallbacks, inbound: Inbound, foreign: Foreign) -> str:
    """Queues the text for an operator with an interpreter; the reply saying so."""
    await callbacks.queue(
        inbound.phone,
        inbound.body,
        language=foreign.language,
        language_name=foreign.name,
        message_sid=inbound.message_sid,
    )
    log.info("sms from %s: to an interpreter (%s)", mask_phone(inbound.phone), foreign.name)
    return callback_reply(foreign.language)


def callback_reply(language: str | None) -> str:
    """The reply in the text's language where we have it, else in English and Spanish."""
    if language in REPLIES and language not in ("en", "es"):
        return REPLIES[language]
    return f"{REPLIES['en']} {REPLIES['es']}"
