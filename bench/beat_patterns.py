"""How well a beat's inferred meeting pattern foretells its meetings (not a test; prints figures for
docs/beats.md): for every beat with five or more published meetings, the pattern read from all but
its last meeting projects one date after the one before the last; is it the last meeting's date?
Run: .venv/bin/python bench/beat_patterns.py"""

from __future__ import annotations

import collections

from backend.police.beat_pattern import LOCAL, Past, infer
from backend.police.meetings import read_meetings


def main() -> None:
    rows = read_meetings()
    by_beat: dict[str, list[Past]] = collections.defaultdict(list)
    for r in rows:
        by_beat[r["beat"]].append(Past(r["starts_at"], r["location"]))
    patterns = {beat: infer(past) for beat, past in by_beat.items()}
    kinds = collections.Counter(p.months_name for p in patterns.values() if p)
    print(f"{len(rows)} meetings, {len(by_beat)} beats, {sum(p is None for p in patterns.values())}"
          f" without a pattern; {dict(kinds)}")  # fmt: skip
    day = month = tried = 0
    for past in by_beat.values():
        past = sorted(past, key=lambda p: p.starts)
        if len(past) < 5:
            continue
        *before, last = past
        pattern = infer(before)
        if pattern is None:
            continue
        tried += 1
        projected = pattern.after(before[-1].starts, 1)
        if projected:
            want = last.starts.astimezone(LOCAL)
            day += projected[0].date() == want.date()
            month += (projected[0].year, projected[0].month) == (want.year, want.month)
    print(
        f"last meeting foretold: exact date {day}/{tried} ({100 * day / tried:.1f}%), "
        f"right month {month}/{tried} ({100 * month / tried:.1f}%)"
    )


if __name__ == "__main__":
    main()
