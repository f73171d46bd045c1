"""Loads N realistic service requests through RequestService.submit (the one write path).

    CITY311_DATA_DIR=/tmp/x [DATABASE_URL=postgres://...] .venv/bin/python bench/load_requests.py \
        --rows 100000

The database must be migrated and the catalog seeded first (`city311 migrate && city311 seed`);
bench/run.py does all of that on a fresh data directory / throwaway PostgreSQL database.

Each request takes a real Chicago request's type and point (backend/demo_data/requests.csv),
jittered and kept inside the city, with answers to the type's required questions. Submits run in
modest asyncio.gather batches. Creation times are spread from 1 January of this year to now (the
service's clock is stepped forward, as `city311 seed --demo` does), so every tracking number has
this year's prefix, e.g. SR26-00000001 ... SR26-00100000 on a fresh database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workload import Workload  # noqa: E402

CHANNEL = "app"


class SteppedClock:
    """now() for the service: starts `span` ago and advances evenly per call, never past now."""

    def __init__(self, rows: int, span: timedelta) -> None:
        self.end = datetime.now(UTC)
        self.current = self.end - span
        self.step = span / max(rows, 1)

    def __call__(self) -> datetime:
        self.current = min(self.current + self.step, datetime.now(UTC))
        return self.current


async def load(rows: int, batch: int, seed: int, spread: bool) -> dict:
    from backend.errors import DomainError
    from backend.service_requests.models import SubmitCommand
    from backend.service_requests.tables import ServiceRequest
    from backend.services import provide_services
    from backend.settings import load_settings

    services = await provide_services(load_settings())
    try:
        catalog = services.catalog
        if not catalog.types:
            raise SystemExit("the catalog is empty: run `city311 migrate && city311 seed` first")
        workload = Workload(
            {t.code for t in catalog.types if t.active},
            {t.code: t.questions for t in catalog.types},
            seed=seed,
        )
        before = await ServiceRequest.count()
        if before:
            print(f"note: the database already holds {before} requests (not fresh)")
        requests = services.requests
        now = datetime.now(UTC)
        if spread:
            span = min(now - datetime(now.year, 1, 1, tzinfo=UTC), timedelta(days=300))
            requests.clock = SteppedClock(rows, span - timedelta(minutes=5))

        created = refused = 0
        first = last = None
        prefixes: set[str] = set()
        refusals: list[str] = []
        started = time.perf_counter()
        report_every = max(rows // 10, batch)
        next_report = report_every
        while created + refused < rows:
            n = min(batch, rows - created - refused)
            subs = [workload.submission(now) for _ in range(n)]
            results = await asyncio.gather(
                *(
                    requests.submit(
                        SubmitCommand(
                            service_code=s.service_code,
                            channel=CHANNEL,
                            lat=s.lat,
                            long=s.long,
                            description=s.description,
                            address=s.address,
                            answers=s.answers,
                            reporter_name=s.name,
                            reporter_email=s.email,
                            reporter_phone=s.phone,
                        )
                    )
                    for s in subs
                ),
                return_exceptions=True,
            )
            for s, result in zip(subs, results, strict=False):
                if isinstance(result, DomainError):
                    refused += 1
                    if len(refusals) < 5:
                        refusals.append(f"{s.service_code} ({s.lat}, {s.long}): {result}")
                elif isinstance(result, BaseException):
                    raise result
                else:
                    created += 1
                    tn = result.request.tracking_number
                    prefixes.add(tn[:5])
                    first = tn if first is None or tn < first else first
                    last = tn if last is None or tn > last else last
            done = created + refused
            if done >= next_report or done == rows:
                elapsed = time.perf_counter() - started
                print(
                    f"  {done:>8}/{rows} submitted  {done / elapsed:7.0f} req/s  ({elapsed:.0f} s)",
                    flush=True,
                )
                next_report += report_every
        elapsed = time.perf_counter() - started
        total = await ServiceRequest.count()
    finally:
        await services.close()
    summary = {
        "rows": created,
        "refused": refused,
        "refusals": refusals,
        "seconds": round(elapsed, 2),
        "rate_per_s": round(created / elapsed, 1),
        "batch": batch,
        "rows_before": before,
        "rows_after": total,
        "first_tracking_number": first,
        "last_tracking_number": last,
        "prefixes": sorted(prefixes),
        "engine": "postgres" if not services.writer.sqlite else "sqlite",
    }
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="requests to submit")
    parser.add_argument("--batch", type=int, default=50, help="submits per asyncio.gather")
    parser.add_argument("--seed", type=int, default=311, help="random seed (reproducible data)")
    parser.add_argument(
        "--no-spread",
        dest="spread",
        action="store_false",
        help="stamp every request with the real time instead of spreading them",
    )
    parser.add_argument("--summary", type=Path, help="also write the summary as JSON here")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.batch < 1:
        parser.error("--rows and --batch must be at least 1")

    summary = asyncio.run(load(args.rows, args.batch, args.seed, args.spread))
    print(
        f"loaded {summary['rows']} requests in {summary['seconds']} s: "
        f"{summary['rate_per_s']} req/s ({summary['engine']}, batches of {args.batch}); "
        f"{summary['first_tracking_number']} .. {summary['last_tracking_number']}"
    )
    if args.summary:
        args.summary.parent.mkdir(parents=True, exist_ok=True)
        args.summary.write_text(json.dumps(summary, indent=2) + "\n")
    if summary["refused"]:
        print(
            f"ERROR: {summary['refused']} submits were refused, e.g.:",
            *summary["refusals"],
            sep="\n  ",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
