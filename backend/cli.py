"""`city311 ...` commands: serve, migrate, seed, worker, geo lookup, beats, info, openapi."""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from backend.city import CITY
from backend.logging_setup import configure_logging
from backend.settings import PROJECT_ROOT, configured_public_base_url, load_settings

if TYPE_CHECKING:
    from backend.services import Services

T = TypeVar("T")

OPENAPI_DIR = PROJECT_ROOT / "openapi"


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
    import msgspec

    from backend.serve import serve

    if not _port_is_free(args.host, args.port):
        raise SystemExit(
            f"city311 serve: port {args.port} on {args.host} is already in use (another "
            f"city311 still running?). Stop it, or choose another port: `make run PORT="
            f"{args.port + 1}` or `city311 serve --port {args.port + 1}`."
        )
    settings = load_settings()
    # Links in responses name the port actually served unless the public URL is set (a proxy).
    if configured_public_base_url() is None:
        shown = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
        shown = f"[{shown}]" if ":" in shown else shown
        settings = msgspec.structs.replace(settings, public_base_url=f"http://{shown}:{args.port}")
    serve(settings, args.host, args.port, workers=args.workers, access_log=args.access_log)


def cmd_migrate(args: argparse.Namespace) -> None:
    from backend.migrate import migrate

    print(asyncio.run(migrate()))


def cmd_seed(args: argparse.Namespace) -> None:
    from backend.catalog.loader import load_catalog

    async def run() -> None:
        from backend.police.meetings import import_beat_meetings

        print("catalog:", await load_catalog())
        print("beat meetings:", await import_beat_meetings())
        print("info:", await _load_info(None))
        if args.demo:
            from backend.demo import DEMO_PASSWORD, DEMO_STAFF, seed_demo

            counts = await seed_demo(load_settings(), count=args.count)
            print("demo:", counts)
            if counts.get("staff"):
                accounts = ", ".join(f"{name} ({role})" for name, role, _ in DEMO_STAFF)
                print(f"demo staff: {accounts}; password {DEMO_PASSWORD} (for a demo only)")

    asyncio.run(run())


async def _load_info(path: str | None) -> dict[str, int]:
    """Imports information articles (the starting set when no file is given)."""
    from backend.info.seed import import_articles, load_info, program_articles
    from backend.services import provide_services

    services = await provide_services(load_settings())
    try:
        if path is None:
            return await load_info(services.info, services.catalog)
        return await import_articles(services.info, program_articles(Path(path)), "cli")
    finally:
        await services.close()


def cmd_info(args: argparse.Namespace) -> None:
    from backend.errors import DomainError

    async def search() -> None:
        from backend.services import provide_services

        services = await provide_services(load_settings())
        try:
            for hit in await services.info.search(args.query, args.lang, limit=args.limit):
                print(json.dumps(msgspec_builtins(hit), ensure_ascii=False))
        finally:
            await services.close()

    try:
        if args.info == "import":
            print("info:", asyncio.run(_load_info(args.file)))
        else:
            asyncio.run(search())
    except DomainError as exc:
        details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors) or exc.detail
        raise SystemExit(f"refused: {details}") from None


def msgspec_builtins(value: object) -> object:
    import msgspec

    return msgspec.to_builtins(value)


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

    def answer(
        address: str | None = None, lat: float | None = None, long: float | None = None
    ) -> tuple[bytes, bool]:
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


async def _with_services(work: Callable[[Services], Awaitable[T]]) -> T:
    from backend.services import provide_services

    services = await provide_services(load_settings())
    try:
        return await work(services)
    finally:
        await services.close()


def cmd_beats(args: argparse.Namespace) -> None:
    """Beat meetings: import the published ones; show a beat's pattern and next meetings."""
    from backend.errors import DomainError
    from backend.police.beat_pattern import LOCAL
    from backend.police.meetings import DATA_FILE, beat_number, import_beat_meetings

    if args.beats == "import":
        print(asyncio.run(import_beat_meetings(Path(args.file) if args.file else DATA_FILE)))
        return

    try:
        beat = beat_number(args.beat)
    except DomainError as exc:
        raise SystemExit(f"city311 beats show: {exc.detail}") from None

    async def work(services: Services) -> None:
        found = await services.meetings.schedule(beat, args.count)
        print(f"beat {found.beat}, district {found.district}")
        if found.pattern:
            print(
                f"pattern (from {found.pattern.based_on} past meetings): {found.pattern.describe()}"
            )
        for m in found.meetings:
            label = "projected" if m.projected else "confirmed" if m.confirmed else "published"
            print(f"{m.starts_at.astimezone(LOCAL):%Y-%m-%d %a %H:%M} ({label}) {m.location}")

    asyncio.run(_with_services(work))


def cmd_keys(args: argparse.Namespace) -> None:
    """Open311 API keys: create (the key is printed once), list, revoke."""

    async def work(services: Services) -> None:
        store = services.api_keys
        if args.keys == "create":
            try:
                created = await store.create(args.name)
            except ValueError as exc:
                raise SystemExit(f"city311 keys create: {exc}") from None
            print(f"id {created.id} ({created.name}): {created.key}")
            print("Keep it now: it is stored hashed and cannot be shown again.", file=sys.stderr)
        elif args.keys == "list":
            for k in await store.list():
                state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "live"
                used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
                print(f"{k.id}\t{k.prefix}…\t{k.name}\t{state}\tlast used {used}")
        elif not await store.revoke(args.id):
            raise SystemExit(f"city311 keys revoke: no live key has id {args.id}")
        else:
            print(f"revoked key {args.id}")

    asyncio.run(_with_services(work))


def _read_password() -> str:
    """Prompted (twice) in a terminal; else the first line of stdin. Never a command argument."""
    import getpass

    if sys.stdin.isatty():
        password = getpass.getpass("Password (12 characters or more): ")
        if getpass.getpass("Again: ") != password:
            print("city311 users create: the two passwords differ", file=sys.stderr)
            raise SystemExit(2)
        return password
    return sys.stdin.readline().rstrip("\r\n")


_USER_FLAGS = {"username": "--username", "role": "--role", "departments": "--department"}


def cmd_users(args: argparse.Namespace) -> None:
    """Staff accounts: create (the password from a prompt or stdin), list, disable."""
    from backend.errors import DomainError

    password = _read_password() if args.users == "create" else ""

    async def work(services: Services) -> None:
        staff = services.staff
        if args.users == "create":
            user = await staff.create_user(args.username, password, args.role, args.department)
            where = f" ({', '.join(user.departments)})" if user.departments else ""
            print(f"created staff user {user.id} {user.username}: {user.role}{where}")
        elif args.users == "list":
            for u in await staff.list_users():
                state = f"disabled {u.disabled_at:%Y-%m-%d}" if u.disabled_at else "active"
                print(f"{u.id}\t{u.username}\t{u.role}\t{','.join(u.departments) or '-'}\t{state}")
        else:
            user = await staff.disable_user(args.username)
            print(f"disabled staff user {user.username}; their sessions are revoked")

    try:
        asyncio.run(_with_services(work))
    except DomainError as exc:
        for field, message in [(e.field, e.message) for e in exc.errors] or [("", exc.detail)]:
            flag = _USER_FLAGS.get(field.split("[")[0], field)
            print(
                f"city311 users {args.users}: {flag + ': ' if flag else ''}{message}",
                file=sys.stderr,
            )
        raise SystemExit(2) from None


def openapi_documents() -> dict[str, str]:
    """File name -> the OpenAPI document generated from the code, as committed in openapi/."""
    from backend.app import create_app
    from backend.channels.openapi_documents import split

    return split(create_app(scheduler=False).openapi_schema.to_schema())


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
    seed = sub.add_parser("seed", help=f"load the {CITY.name} service catalog")
    seed.add_argument(
        "--demo", action="store_true", help="also load demo requests and demo staff accounts"
    )
    seed.add_argument("--count", type=int, default=300, help="how many demo requests")
    seed.set_defaults(func=cmd_seed)
    info = sub.add_parser("info", help="the information database").add_subparsers(
        dest="info", required=True
    )
    info_import = info.add_parser(
        "import", help="create or update articles from a JSON file (default: the starting set)"
    )
    info_import.add_argument(
        "file", nargs="?", help="a file shaped like backend/info/data/articles.json"
    )
    info_import.set_defaults(func=cmd_info)
    info_search = info.add_parser("search", help="the best articles for a question (JSON lines)")
    info_search.add_argument("query")
    info_search.add_argument("--lang", default="en", choices=["en", "es", "pl", "zh"])
    info_search.add_argument("--limit", type=int, default=3)
    info_search.set_defaults(func=cmd_info)
    sub.add_parser("worker", help="run the scheduled jobs without a web server").set_defaults(
        func=cmd_worker
    )
    geo = sub.add_parser("geo", help=f"{CITY.name} geography").add_subparsers(
        dest="geo", required=True
    )
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
    keys = sub.add_parser("keys", help="Open311 API keys").add_subparsers(
        dest="keys", required=True
    )
    keys.add_parser("create", help="make a key (printed once)").add_argument(
        "--name", required=True
    )
    keys.add_parser("list", help="every key: id, prefix, name, state, last use")
    keys.add_parser("revoke", help="stop a key working").add_argument(
        "--id", type=int, required=True
    )
    for parser_ in keys.choices.values():
        parser_.set_defaults(func=cmd_keys)
    users = sub.add_parser("users", help="staff accounts").add_subparsers(
        dest="users", required=True
    )
    create_user = users.add_parser(
        "create", help="a staff account; the password is prompted, or read from stdin"
    )
    create_user.add_argument("--username", required=True)
    create_user.add_argument(
        "--role", required=True, help="operator, department, supervisor or admin"
    )
    create_user.add_argument(
        "--department",
        action="append",
        default=[],
        metavar="SLUG",
        help="a department (slug) a department user works for; repeat for several",
    )
    users.add_parser("list", help="every account: id, username, role, departments, state")
    users.add_parser("disable", help="stop an account logging in").add_argument(
        "--username", required=True
    )
    for parser_ in users.choices.values():
        parser_.set_defaults(func=cmd_users)
    beats = sub.add_parser("beats", help="police beat meetings").add_subparsers(
        dest="beats", required=True
    )
    beats.add_parser("import", help="load the published CAPS beat meetings").add_argument(
        "--file", help="a CSV like backend/police/data/caps_beat_meetings_2016_2018.csv.gz"
    )
    show = beats.add_parser("show", help="a beat's meeting pattern and its next meetings")
    show.add_argument("beat")
    show.add_argument("--count", type=int, default=3)
    for parser_ in beats.choices.values():
        parser_.set_defaults(func=cmd_beats)
    openapi = sub.add_parser("openapi", help="write the OpenAPI documents")
    openapi.add_argument("--out", default=str(OPENAPI_DIR))
    openapi.set_defaults(func=cmd_openapi)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main(sys.argv[1:])
