"""Records Division (RD) numbers as the Chicago Police Department writes them: two letters for the
year and six digits ("JH123456"). Pure: no database.

The letters advance once a year, the second letter first, skipping I and O as CPD does: JA was
2017, JH 2024, JJ 2025, JK 2026. Each year's numbers start at 100001."""

from __future__ import annotations

import re

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
BASE_YEAR, BASE_PREFIX = 2017, "JA"
FIRST = 100001
RD_NUMBER = re.compile(r"^([A-HJ-NP-Z]{2})(\d{6})$")


def year_prefix(year: int) -> str:
    """The two letters of a year's RD numbers: 2024 -> "JH"."""
    start = LETTERS.index(BASE_PREFIX[0]) * len(LETTERS) + LETTERS.index(BASE_PREFIX[1])
    n = start + (year - BASE_YEAR)
    if not 0 <= n < len(LETTERS) ** 2:
        raise ValueError(f"no RD prefix for {year}")
    return LETTERS[n // len(LETTERS)] + LETTERS[n % len(LETTERS)]


def format_rd_number(year: int, sequence: int) -> str:
    if not 0 < sequence <= 999_999:
        raise ValueError("an RD number has six digits")
    return f"{year_prefix(year)}{sequence:06d}"


def next_rd_number(year: int, highest: str | None) -> str:
    """The number after the year's highest one issued so far (None: the year's first)."""
    if highest is None:
        return format_rd_number(year, FIRST)
    return format_rd_number(year, int(highest[2:]) + 1)


def parse_rd_number(text: str) -> str | None:
    """An RD number written leniently ("jh 123456", "JH-123456") in its canonical form."""
    squeezed = re.sub(r"[\s\-#]", "", text or "").upper()
    return squeezed if RD_NUMBER.match(squeezed) else None
