"""`city311 ...` commands: serve, migrate, seed, worker, openapi."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

from backend.settings import PROJECT_ROOT, load_settings

OPENAPI_DIR = PROJECT_ROOT / "openapi"


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run("backend.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info", access_log=args.access_log)


def cmd_migrate(args: argparse.Namespace) -> None:
    from backend.migrate import migrate

    asyncio.run(migrate())


def cmd_seed(args: argparse.Namespace) -> None:
    from backend.catalog.loader import load_catalog

    async def run() -> None:
        print("catalog:", await load_catalog())
        if args.demo:
            from backend.demo import seed_demo

            print("demo:", await seed_demo(load_settings(), count=args.count))

    asyncio.run(run())


def cmd_worker(args: argparse.Namespace) -> None:
    from backend.jobs.scheduler import build_scheduler
    from backend.services import provide_services

    async def run() -> None:
        services = await provide_services(load_settings())
        scheduler = build_scheduler(services)
        scheduler.start()
        try:
            await asyncio.Event().wait()
        finally:
            scheduler.shutdown(wait=False)
            await services.close()

    asyncio.run(run())


def openapi_documents() -> dict[str, str]:
    """File name -> the OpenAPI document generated from the code, as committed in openapi/."""
    from backend.app import create_app

    schema = create_app(scheduler=False).openapi_schema.to_schema()
    return {"app-api.json": json.dumps(schema, indent=2, sort_keys=True) + "\n"}


def cmd_openapi(args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in openapi_documents().items():
        (out / name).write_text(text)
        print(f"wrote {out / name}")


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(prog="city311", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP server (and the scheduler unless off)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True)
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    seed = sub.add_parser("seed", help="load the Chicago service catalog")
    seed.add_argument("--demo", action="store_true", help="also load demo requests")
    seed.add_argument("--count", type=int, default=300, help="how many demo requests")
    seed.set_defaults(func=cmd_seed)
    sub.add_parser("worker", help="run the scheduled jobs without a web server").set_defaults(
        func=cmd_worker)
    openapi = sub.add_parser("openapi", help="write the OpenAPI documents")
    openapi.add_argument("--out", default=str(OPENAPI_DIR))
    openapi.set_defaults(func=cmd_openapi)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main(sys.argv[1:])
