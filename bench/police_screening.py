"""How well the police report screening (backend/police/screening.py) sorts texted incidents.

    .venv/bin/python bench/police_screening.py

The labelled set, tests/police/data/ ("tuning": the texts the rules were written against;
"held_out": written after the rules and never used to change them): eligible incidents accepted
(and their kind right), 911 and firearm cases never accepted, district referrals; per part, group
and language, every miss listed; and the speed on one core.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.police.screening import screen_text  # noqa: E402
from tests.police.labelled import labelled_texts  # noqa: E402


def main() -> int:
    rows = labelled_texts()
    results = [(r, screen_text(r.text)) for r in rows]
    print(f"# Police screening: {len(rows)} labelled texts")
    by: dict[str, list] = defaultdict(list)
    for r, s in results:
        by[f"{r.part} {r.group}"].append((r, s))
        by[f"all {r.group}"].append((r, s))
        by[f"{r.language} {r.group}"].append((r, s))
    for key in sorted(by):
        items = by[key]
        accepted = sum(s.eligible for _, s in items)
        right = sum(s.outcome.value == r.expected for r, s in items)
        kinds = sum(s.eligible and s.kind and s.kind.value == r.kind for r, s in items)
        extra = f"   kind right {kinds}/{len(items)}" if key.endswith("eligible") else ""
        print(
            f"{key:<22} texts {len(items):4}   accepted {accepted:4} ({accepted / len(items):6.1%})"
            f"   outcome as labelled {right / len(items):6.1%}{extra}"
        )
    dangerous = [(r, s) for r, s in results if r.group in ("911", "firearm") and s.eligible]
    print(f"\n911 or firearm cases accepted: {len(dangerous)}")
    print("\nMisses:")
    for r, s in results:
        kind_wrong = r.expected == "eligible" and s.eligible and s.kind and s.kind.value != r.kind
        if s.outcome.value != r.expected or kind_wrong:
            got = f"{s.outcome.value}/{s.kind.value if s.kind else '-'}"
            print(
                f"  [{r.part} {r.group} {r.language}] want {r.expected}/{r.kind or '-'} "
                f"got {got} ({s.reason.value if s.reason else ''}): {r.text}"
            )
    texts = [r.text for r in rows] * 20
    start = time.perf_counter()
    for text in texts:
        screen_text(text)
    elapsed = time.perf_counter() - start
    print(
        f"\nSpeed: {len(texts) / elapsed:,.0f} texts/s ({elapsed / len(texts) * 1e6:.0f} µs a text)"
    )
    return 1 if dangerous else 0


if __name__ == "__main__":
    raise SystemExit(main())
