"""`make test-stress`: the whole suite on a busy machine and a month ahead (docs/testing.md).

    .venv/bin/python tests/stress.py [--busy-runs 2] [--burners 2] [--ahead 30d] [-- PYTEST ARGS]

1. the whole suite with the clock moved `--ahead` (libfaketime, from the `libfaketime` package of
   the test extra, preloaded into pytest and every process it starts; monotonic clocks untouched);
2. `--busy-runs` times more while `--burners` processes each keep a core busy.

Prints each run's duration and pytest's closing line; exits non-zero if any run failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import start, stop  # noqa: E402

BURN = "while True: pass"


def faketime_env(ahead: str) -> dict[str, str]:
    """The environment that moves every clock but the monotonic ones `ahead` (e.g. "+30d")."""
    import libfaketime

    _, additions = libfaketime.get_reload_information()
    env = {**os.environ, **additions, "FAKETIME": ahead}
    env.pop("FAKETIME_NO_CACHE", None)  # the offset never changes during a run
    return env


def run_suite(label: str, pytest_args: list[str], env: dict[str, str] | None = None) -> dict:
    """The suite in a child pytest, its output shown as it comes; duration and closing line."""
    print(f"\n=== {label} ===", flush=True)
    started = time.monotonic()
    process = start(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *pytest_args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    closing = ""
    for line in process.stdout:
        print(line, end="", flush=True)
        if re.search(r"\b(passed|failed|error|errors|no tests ran)\b.* in [\d.]+s", line):
            closing = line.strip("= \n")
    code = process.wait()
    stop(process)  # anything of its group still there
    return {
        "run": label,
        "seconds": time.monotonic() - started,
        "exit": code,
        "result": closing or f"(no closing line; exit {code})",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy-runs", type=int, default=2)
    parser.add_argument("--burners", type=int, default=2)
    parser.add_argument("--ahead", default="+30d", help="libfaketime offset, e.g. +30d, +400d")
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to pytest")
    args = parser.parse_args()

    env = faketime_env(args.ahead)
    results = [run_suite(f"clock {args.ahead} (libfaketime)", args.pytest_args, env)]
    burners = [start([sys.executable, "-c", BURN]) for _ in range(args.burners)]
    try:
        for n in range(1, args.busy_runs + 1):
            label = f"busy {n}/{args.busy_runs}: {args.burners} CPU-burning processes"
            results.append(run_suite(label, args.pytest_args))
    finally:
        for burner in burners:
            stop(burner, grace=1)

    print("\n=== make test-stress ===")
    for r in results:
        print(f"{r['run']}: {r['seconds'] / 60:.1f} min, {r['result']}")
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
