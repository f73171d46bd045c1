"""bench/sms_dialog.py's 24 clear reports (type and place in the first text, four languages),
played in-process on both engines with the bench's resident: every one is filed, the median is
at most 3 texts (a looser floor than none: the bench's own target), and no reply passes two
SMS segments."""

from __future__ import annotations

import statistics
from datetime import timedelta

from backend.notify.segments import fits
from bench.sms_dialog import FIRST_TEXTS, MAX_TEXTS, answer, filed
from sms.dialog import Inbound
from tests.sms import test_dialog

clock, bot = test_dialog.clock, test_dialog.bot  # the same fixtures: a clock, the bot on it


async def test_a_clear_report_is_filed_in_three_texts_or_fewer(services, bot, clock):
    counts, too_long = [], []
    for n, (language, first) in enumerate(FIRST_TEXTS, 1):
        phone, body = f"+1312555{n:04d}", first
        for sent in range(1, MAX_TEXTS + 1):
            clock.now += timedelta(seconds=30)
            reply = await bot.handle(
                Inbound(f"SMf{n:03d}{sent:02d}", phone, body, received_at=clock())
            )
            assert reply is not None, (first, body)
            if not fits(reply):
                too_long.append(reply)
            if filed(reply):
                counts.append(sent)
                break
            body = answer(language, reply)
        else:
            raise AssertionError(f"{first!r}: not filed in {MAX_TEXTS} texts")
    assert statistics.median(counts) <= 3, counts
    assert not too_long, too_long
