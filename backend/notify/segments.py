"""How many SMS segments a text costs in its real encoding: GSM-7 (the default alphabet and its
extension table) when every character has a place in it, else UCS-2 — as carriers count them."""

from __future__ import annotations

from collections.abc import Callable

# 3GPP TS 23.038: the default alphabet, and the extension table's characters (an escape and the
# character: two septets each)
GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
# characters in one segment, and per part once a message is split (the rest is the part header)
GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def is_gsm7(text: str) -> bool:
    return all(c in GSM7 or c in GSM7_EXTENDED for c in text)


def segments(text: str) -> int:
    """GSM-7: 160 septets in one segment, 153 per part when split; else UCS-2: 70 UTF-16 units,
    67 per part (a character outside the BMP, an emoji, takes two)."""
    if is_gsm7(text):
        units = len(text) + sum(c in GSM7_EXTENDED for c in text)
        return 1 if units <= GSM7_SINGLE else -(-units // GSM7_PART)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= UCS2_SINGLE else -(-units // UCS2_PART)


MAX_SEGMENTS = 2  # no reply is longer, in any language


def fits(text: str, limit: int = MAX_SEGMENTS) -> bool:
    return segments(text) <= limit


def how_many_fit(render: Callable[[int], str], count: int, limit: int = MAX_SEGMENTS) -> int:
    """The most items of a list (from `count` down to 1) whose reply, render(n), fits."""
    n = count
    while n > 1 and not fits(render(n), limit):
        n -= 1
    return n


def shortened(value: str, render: Callable[[str], str], limit: int = MAX_SEGMENTS) -> str:
    """`value` (a staff note, say) cut after a word, with "...", so that render(value) fits."""
    if fits(render(value), limit):
        return value
    words = value.split()
    while words:
        words.pop()
        cut = " ".join(words) + "..."
        if fits(render(cut), limit):
            return cut
    return ""
