"""The gettext catalogs of backend/i18n/locale, per domain and language: `messages` (what the SMS
bot and the notifications say) and `catalog` (the service types' names, questions and options).

English is the source language (the message ids), so it needs no catalog. A language's compiled
`.mo` file is read when it is at least as new as its `.po`; otherwise (a fresh clone before
`make install`, or a `.po` just merged) the `.po` is compiled in memory with Babel, so the
translations in force are always the `.po` files' ones."""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from backend.i18n.languages import FULL_SUPPORT

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = FULL_SUPPORT  # backend/i18n/languages.py: the one list
SOURCE_LANGUAGE = "en"
DOMAINS = ("messages", "catalog")


def po_path(domain: str, language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


@cache
def translation(domain: str, language: str) -> gettext.NullTranslations:
    """The domain's catalog for `language`; English (the ids themselves) for any other."""
    if language not in LANGUAGES or language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    po = po_path(domain, language)
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    if not po.exists():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """A .po file compiled as `pybabel compile` does (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()
