"""`city311 ...` commands: serve, migrate, seed, worker, geo lookup, openapi."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import sys
from pathlib import Path

from backend.settings import PROJECT_ROOT, load_settings

OPENAPI_DIR = PROJECT_ROOT / "openapi"


def configure_logging() -> None:
    """Our loggers at INFO on stderr, in every process (uvicorn's workers configure only theirs);
    a no-op where logging is already set up."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # The Twilio SDK logs every API call at INFO (its URL, with the account, and its headers; a
    # dozen lines an SMS); the scheduler logs each run of the every-2-seconds dispatch job. Our
    # own loggers say what matters (numbers masked).
    for name, level in QUIETER.items():
        logging.getLogger(name).setLevel(level)


QUIETER = {
    "twilio.http_client": logging.WARNING,
    "apscheduler.executors.default": logging.WARNING,
    # "skipped: maximum number of running instances reached": a long dispatch run, by design
    "apscheduler.scheduler": logging.ERROR,
}


def _port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    if not _port_is_free(args.host, args.port):
        raise SystemExit(
            f"city311 serve: port {args.port} on {args.host} is already in use (another "
            f"city311 still running?). Stop it, or choose another port: `make run PORT="
            f"{args.port + 1}` or `city311 serve --port {args.port + 1}`."
        )
    # Links in responses name the port actually served unless the public URL is set (a proxy).
    if not os.environ.get("CITY311_PUBLIC_BASE_URL"):
        shown = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
        shown = f"[{shown}]" if ":" in shown else shown
        os.environ["CITY311_PUBLIC_BASE_URL"] = f"http://{shown}:{args.port}"
    uvicorn.run(
        "backend.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        access_log=args.access_log,
    )


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
    from backend.jobs.leader import JobsLock, run_when_leader
    from backend.jobs.scheduler import build_scheduler
    from backend.services import provide_services

    async def run() -> None:
        settings = load_settings()
        services = await provide_services(settings)
        scheduler = build_scheduler(services)
        lock = JobsLock(settings)
        try:
            await run_when_leader(lock, scheduler.start)
            await asyncio.Event().wait()
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=False)
            await lock.release()
            await services.close()

    asyncio.run(run())


def cmd_geo_lookup(args: argparse.Namespace) -> None:
    """One lookup as JSON, or with --stdin one address a line in, one JSON object a line out."""
    import msgspec

    from backend.channels.app_api.places_api import places_out
    from backend.errors import DomainError
    from backend.geo.city import city_map
    from backend.geo.geocoder import geocoder
    from backend.service_requests.location import Locator

    locator = Locator(city_map(), geocoder())

    def answer(address=None, lat=None, long=None) -> tuple[bytes, bool]:
        try:
            out = places_out(*locator.lookup(address, lat, long))
            return msgspec.json.encode(out), True
        except DomainError as exc:
            refused = {
                "query": address or f"{lat},{long}",
                "error": exc.detail,
                "errors": [{"field": e.field, "message": e.message} for e in exc.errors],
            }
            return msgspec.json.encode(refused), False

    if args.stdin:
        for line in sys.stdin:
            if line.strip():
                sys.stdout.write(answer(line.strip())[0].decode() + "\n")
        return
    if args.address is None and (args.lat is None or args.long is None):
        raise SystemExit("city311 geo lookup: give --address, or --lat and --long, or --stdin")
    text, ok = answer(args.address, args.lat, args.long)
    print(json.dumps(json.loads(text), indent=2, ensure_ascii=False))
    if not ok:
        raise SystemExit(1)


def cmd_sms_parse(args: argparse.Namespace) -> None:
    from sms.chat import run_parse

    raise SystemExit(run_parse(sys.stdin, sys.stdout))


def cmd_sms_chat(args: argparse.Namespace) -> None:
    from sms.chat import chat

    if sys.stdin.isatty():
        print(f"Texting City311 as {args.phone}. /photo PATH sends a photo; an empty line ends.")
    raise SystemExit(chat(args.phone, sys.stdin, sys.stdout))


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
    configure_logging()
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
        func=cmd_worker
    )
    geo = sub.add_parser("geo", help="Chicago geography").add_subparsers(dest="geo", required=True)
    lookup = geo.add_parser("lookup", help="an address or point -> ward, district, beat… (JSON)")
    lookup.add_argument("--address")
    lookup.add_argument("--lat", type=float)
    lookup.add_argument("--long", type=float)
    lookup.add_argument("--stdin", action="store_true", help="one address a line, JSON lines out")
    lookup.set_defaults(func=cmd_geo_lookup)
    sms = sub.add_parser("sms", help="the SMS bot").add_subparsers(dest="sms", required=True)
    sms.add_parser(
        "parse", help="texts on stdin, one a line -> one JSON reading a line"
    ).set_defaults(func=cmd_sms_parse)
    chat = sms.add_parser("chat", help="talk to the bot in this terminal (no Twilio)")
    chat.add_argument("--from", dest="phone", required=True, help="your phone, e.g. +13125550100")
    chat.set_defaults(func=cmd_sms_chat)
    openapi = sub.add_parser("openapi", help="write the OpenAPI documents")
    openapi.add_argument("--out", default=str(OPENAPI_DIR))
    openapi.set_defaults(func=cmd_openapi)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main(sys.argv[1:])
