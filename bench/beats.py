"""Beat meetings and who serves a place, against a running server (not a test): the latency of
`GET /api/v1/beats/{beat}/meetings` (the beat's history read, its pattern inferred, the next three
projected) and of `GET /api/v1/places/lookup` by point (the areas and the next beat meeting), over
every beat and random points in the city, one keep-alive connection, one server process on a new
embedded SQLite database (migrate, seed).

    .venv/bin/python bench/beats.py [--requests 2000] [--port 8799]

Prints p50/p99/max per route; docs/beats.md and docs/benchmarks.md record the figures."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))


def _percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {
        "p50_ms": round(s[len(s) // 2] * 1000, 2),
        "p99_ms": round(s[int(len(s) * 0.99) - 1] * 1000, 2),
        "max_ms": round(s[-1] * 1000, 2),
    }


def _timed(conn: http.client.HTTPConnection, path: str) -> float:
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    took = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status} {body[:200]!r}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    from backend.geo.city import city_map

    city = city_map()
    beats = sorted(b for b in city.beats.values if b)
    rng = random.Random(18)
    points = []
    while len(points) < 500:
        lat, long = rng.uniform(41.65, 42.02), rng.uniform(-87.84, -87.53)
        places = city.places(lat, long)
        if places is not None and places.beat:
            points.append((lat, long))
    with tempfile.TemporaryDirectory(prefix="city311-bench-beats-") as data:
        env = {**os.environ, "CITY311_DATA_DIR": data, "CITY311_SCHEDULER": "off",
               "CITY311_RATE_LIMITS": "off"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        for step in (["migrate"], ["seed"]):
            subprocess.run([BIN / "city311", *step], env=env, check=True, capture_output=True)
        server = subprocess.Popen(
            [BIN / "city311", "serve", "--port", str(args.port), "--no-access-log"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
            for _ in range(300):  # ready when /healthz answers
                try:
                    _timed(conn, "/healthz")
                    break
                except (ConnectionError, OSError):
                    conn.close()
                    time.sleep(0.2)
            for beat in beats[:50]:  # warm up
                _timed(conn, f"/api/v1/beats/{beat}/meetings")
            meetings = [_timed(conn, f"/api/v1/beats/{beats[i % len(beats)]}/meetings")
                        for i in range(args.requests)]  # fmt: skip
            lookups = [
                _timed(conn, "/api/v1/places/lookup?lat={:.5f}&long={:.5f}".format(
                    *points[i % len(points)]))
                for i in range(args.requests)
            ]  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps({
        "requests": args.requests,
        "GET /api/v1/beats/{beat}/meetings": _percentiles(meetings),
        "GET /api/v1/places/lookup?lat&long": _percentiles(lookups),
    }, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
