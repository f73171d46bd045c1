"""The language an HTTP client asks for (its Accept-Language header, RFC 9110 §12.5.4): the most
preferred of the languages City311 speaks, or None when it names none of them."""

from __future__ import annotations

from backend.i18n.catalogs import LANGUAGES

MAX_HEADER = 500  # a longer header is read up to here
MAX_RANGES = 20


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def accepted_language(header: str | None) -> str | None:
    """The supported language (en, es, pl, zh) the header prefers most, by quality and then by
    order ("es-MX, en;q=0.5" -> "es"; "zh-Hant-TW" -> "zh"); None for no header, "*" alone or
    only languages City311 does not speak. A malformed range is skipped, never an error."""
    if not header:
        return None
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(header[:MAX_HEADER].split(",")[:MAX_RANGES]):
        tag, *params = part.split(";")
        primary = tag.strip().split("-")[0].lower()
        if primary not in LANGUAGES:
            continue
        q = _quality(params)
        if q > 0 and (best is None or (-q, position) < (-best[0], best[1])):
            best = (q, position, primary)
    return best[2] if best else None
