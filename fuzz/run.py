"""`make fuzz`: schemathesis, with all its checks, against a live server, for every OpenAPI document
in openapi/, on SQLite and then on PostgreSQL. Exits non-zero on any finding, or if the server
crashed or logged a traceback. fuzz/README.md says what is fuzzed and how to reproduce a finding.

    make fuzz                                                # both engines, bounded for CI
    FUZZ_MAX_SECONDS=600 FUZZ_MAX_EXAMPLES=200 make fuzz     # a longer hunt
    FUZZ_ENGINES=sqlite FUZZ_SEED=42 .venv/bin/python fuzz/run.py

Each engine gets a throwaway data directory (and, for PostgreSQL, a throwaway database made on
FUZZ_POSTGRES_URL's server and dropped afterwards, also on a failure or Ctrl-C), `city311 migrate`,
`city311 seed --demo`, and one `city311 serve` on a free loopback port with the abuse limits off
(CITY311_RATE_LIMITS=off: the fuzzer is one client sending thousands of requests).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's: `make fuzz` runs .venv/bin/python
OPENAPI = ROOT / "openapi"
HOOKS = Path(__file__).resolve().parent / "hooks.py"


def _int(name: str, default: int, least: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < least:
        raise SystemExit(f"{name}={raw!r}: expected a whole number, at least {least}")
    return int(raw)


# Examples per operation in each pass of the fuzzing phase, and steps of the stateful phase's
# scenarios (schemathesis --max-examples).
MAX_EXAMPLES = _int("FUZZ_MAX_EXAMPLES", 50)
# Time budget per document and engine (schemathesis --max-time): the examples and coverage phases
# run once, then fuzzing and stateful testing draw new cases, pass after pass, until it is spent.
# 0: no budget, one pass of each phase (what a seed reproduces exactly).
MAX_SECONDS = _int("FUZZ_MAX_SECONDS", 60, least=0)
# A response slower than this is a finding (schemathesis --max-response-time).
MAX_RESPONSE_SECONDS = _int("FUZZ_MAX_RESPONSE_TIME", 10)
# One: with more, schemathesis's threads parse lambdas' source at once (Hypothesis describing a
# strategy), which CPython 3.11 can fail with "AST constructor recursion depth mismatch"
# (python/cpython#106905), a run error that is no finding. The server has the other core.
WORKERS = _int("FUZZ_WORKERS", 1)
ENGINES = [
    e.strip() for e in os.environ.get("FUZZ_ENGINES", "sqlite,postgres").split(",") if e.strip()
]
# Some of openapi/*.json only, by name without .json (e.g. FUZZ_DOCUMENTS=staff-api,open311).
ONLY = [d.strip() for d in os.environ.get("FUZZ_DOCUMENTS", "").split(",") if d.strip()]
SEED = os.environ.get("FUZZ_SEED", "").strip()
POSTGRES_URL = os.environ.get("FUZZ_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
# Keep each run's reports (JSON, NDJSON, JUnit), server log and schemathesis config there.
REPORT_DIR = os.environ.get("FUZZ_REPORT_DIR", "").strip()
# How long schemathesis may run past its budget (it finishes the request in flight, shrinks and
# writes its reports) before it is taken for hung and interrupted; with no budget, the whole limit.
GRACE_SECONDS = 120
UNBOUNDED_LIMIT = 3600

_LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
# The demo's admin (backend/demo.py: `city311 seed --demo` makes one account of each role, all
# with the demo password); admins reach every staff route.
STAFF_LOGIN = {"username": "ada", "password": "city311-demo"}
TWILIO_AUTH_TOKEN = "fuzz-twilio-auth-token"  # the server's; fuzz/hooks.py signs with it


def log(message: str = "") -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    with _LOOPBACK.open(request, timeout=20) as response:
        return json.load(response)


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_URL, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


class Server:
    """One `city311 serve` on its own throwaway data: started, and always stopped and removed."""

    def __init__(self, engine: str, work: Path) -> None:
        if engine not in ("sqlite", "postgres"):
            raise SystemExit(f"FUZZ_ENGINES: unknown engine {engine!r} (sqlite, postgres)")
        self.engine = engine
        self.work = work
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.database: str | None = None
        self.log_path = work / "server.log"
        self.process: subprocess.Popen | None = None
        # Never a real Twilio account: the server's Twilio settings are the fuzzer's alone.
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k != "DATABASE_URL" and not k.startswith("TWILIO_")
        }
        self.env.update(
            CITY311_DATA_DIR=str(work / "data"),
            CITY311_SCHEDULER="off",
            CITY311_SECRET_KEY="fuzz",
            CITY311_RATE_LIMITS="off",
            CITY311_PUBLIC_BASE_URL=self.base,
            # Webhooks are checked against it (fuzz/hooks.py signs with it); with no account SID
            # nor sender, no text is sent and no photo fetched: they are logged.
            TWILIO_AUTH_TOKEN=TWILIO_AUTH_TOKEN,
            PYTHONUNBUFFERED="1",
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
        )

    def __enter__(self) -> Server:
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self) -> None:
        if self.engine == "postgres":
            name = f"city311_fuzz_{uuid.uuid4().hex[:12]}"
            try:
                asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
            except (TimeoutError, OSError) as exc:
                raise RuntimeError(
                    f"PostgreSQL at {POSTGRES_URL} is not reachable ({exc}); start it, set "
                    "FUZZ_POSTGRES_URL, or fuzz SQLite alone with FUZZ_ENGINES=sqlite"
                ) from exc
            self.database = name
            parts = urllib.parse.urlsplit(POSTGRES_URL)
            self.env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
        for command in (["migrate"], ["seed", "--demo"]):
            done = subprocess.run(
                [str(BIN / "city311"), *command],
                env=self.env,
                cwd=self.work,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if done.returncode:
                raise RuntimeError(
                    f"city311 {' '.join(command)} failed:\n{done.stdout}{done.stderr}"
                )
        serve = ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"]
        with self.log_path.open("wb") as out:
            self.process = subprocess.Popen(
                [str(BIN / "city311"), *serve],
                env=self.env,
                cwd=self.work,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if http("GET", self.base + "/healthz").get("status") == "ok":
                    return
            except (OSError, ValueError):
                time.sleep(0.2)
        raise RuntimeError(f"city311 serve did not answer /healthz:\n{self.log_tail()}")

    def __exit__(self, *exc) -> None:
        try:
            if self.process and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            if self.database:
                asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
                self.database = None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def trouble(self, since: int) -> str | None:
        """Why the server is unwell (since log offset `since`), if it is."""
        if self.process and self.process.poll() is not None:
            return f"the server exited with {self.process.returncode}"
        if "Traceback (most recent call last)" in self.log_text()[since:]:
            return "the server logged a traceback"
        return None


# Real values for the documents' parameters, so that lookups find something as well as nothing
# and submits get past the catalog and the city's boundary: schemathesis's `location.name` (or
# `body.field`) -> the dictionary it draws from half the time (the other half: generated values).
# A binding whose parameter a document lacks is unused there.
BINDINGS = {
    "path.tracking_number": "tracking_numbers",
    "path.code": "service_codes",
    "path.uid": "photo_uids",
    "query.service": "service_codes",
    "query.status": "statuses",
    "query.near": "points",
    "query.lat": "lats",
    "query.long": "longs",
    "body.serviceCode": "plain_service_codes",
    "body.lat": "lats",
    "body.long": "longs",
    "body.address": "addresses",
    # The multipart body's `request` part: an object, its fields bound one by one (schemathesis's
    # dictionaries hold scalars only; a whole JSON string there is schema-violating, so it was drawn
    # only for negative cases, where the server rightly accepted it).
    "body.request.serviceCode": "plain_service_codes",
    "body.request.lat": "lats",
    "body.request.long": "longs",
    # The staff API: requests, their departments' queues and work orders, staff to assign.
    "query.trackingNumber": "tracking_numbers",
    "body.original": "tracking_numbers",
    "path.department_id": "department_ids",
    "path.work_order_id": "work_order_ids",
    "body.assigneeId": "staff_ids",
    # Open311: `{name}` is a service code or a request id with its format.
    "path.name": "open311_names",
    "query.service_request_id": "tracking_numbers",
    "query.service_code": "service_codes",
    "body.service_code": "plain_service_codes",
    "body.address_string": "addresses",
    # Twilio's webhooks: residents who text real reports, the city's number, retried messages.
    "body.From": "phones",
    "body.To": "phones",
    "body.Body": "texts",
    "body.MessageSid": "message_sids",
    "body.MessageStatus": "message_statuses",
}
ADDRESSES = ["1845 W Cortland", "4500 N Kedzie", "Clark and Illinois", "1600 N Milwaukee Ave"]
PHONES = ["+13125550142", "+17735550123", "+13125550000"]
TEXTS = [
    "pothole at 1600 N Milwaukee",
    "rats all over the alley behind 1845 W Cortland",
    "street light out at Clark and Illinois",
    "YES",
    "NO",
    "SKIP",
    "STATUS",
    "HELP",
    "STOP",
    "START",
    "QUIET 22-7",
    "DIGEST",
]


def known_values(base: str) -> dict[str, list]:
    """The dictionaries' values, read from the seeded server (the documents share them)."""
    found: dict[str, list] = {
        "addresses": ADDRESSES,
        "phones": PHONES,
        "texts": TEXTS,
        "message_sids": [f"SM{i:032x}" for i in range(1, 4)],
        "message_statuses": ["queued", "sent", "delivered", "undelivered", "failed"],
    }
    try:
        groups = http("GET", base + "/api/v1/services")["groups"]
        services = [s for g in groups for s in g["services"]]
        found["service_codes"] = [s["code"] for s in services]
        items = http("GET", base + "/api/v1/requests?limit=100")["items"]
        found["tracking_numbers"] = [item["trackingNumber"] for item in items]
        found["statuses"] = sorted({"open", "closed", *(item["status"] for item in items)})
        located = [item for item in items if item["lat"] is not None][:20]
        found["lats"] = [item["lat"] for item in located]
        found["longs"] = [item["long"] for item in located]
        found["points"] = [f"{item['lat']},{item['long']}" for item in located]
        # Services a submit needs no answers for; and one request with a photo (the demo has
        # none, and schemathesis's photos are random bytes, no image).
        plain = [s["code"] for s in services if not any(q["required"] for q in s["questions"])]
        found["plain_service_codes"] = plain
        submitted = _submit_with_photo(base, plain[0])
        found["tracking_numbers"].append(submitted["trackingNumber"])
        found["photo_uids"] = [p["url"].rsplit("/", 1)[-1] for p in submitted["photos"]]
        found["open311_names"] = [
            f"{name}.{fmt}"
            for name in found["service_codes"][:10] + found["tracking_numbers"][:10]
            for fmt in ("json", "xml")
        ]
        found.update(_staff_values(base, found["tracking_numbers"][:30]))
    except Exception as exc:  # the fuzzer still runs, on generated values alone
        log(f"(could not collect test data from {base}: {exc!r}; fuzzing without some of it)")
    return {name: values for name, values in found.items() if values}


def _staff_values(base: str, tracking_numbers: list[str]) -> dict[str, list]:
    """Departments, work orders and staff ids, as the demo admin sees them."""
    login = http(
        "POST",
        base + "/api/staff/v1/auth/login",
        json.dumps(STAFF_LOGIN).encode(),
        {"Content-Type": "application/json"},
    )
    headers = {"Authorization": f"Bearer {login['accessToken']}"}
    staff_ids = {http("GET", base + "/api/staff/v1/me", headers=headers)["id"]}
    orders = []
    for number in tracking_numbers:
        orders += http("GET", f"{base}/api/staff/v1/requests/{number}", headers=headers)[
            "workOrders"
        ]
    staff_ids |= {o["assigneeId"] for o in orders if o["assigneeId"] is not None}
    return {
        "department_ids": sorted({o["departmentId"] for o in orders}),
        "work_order_ids": sorted({o["id"] for o in orders}),
        "staff_ids": sorted(staff_ids),
    }


def _submit_with_photo(base: str, service_code: str) -> dict:
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(image, "JPEG")
    boundary = uuid.uuid4().hex
    request = json.dumps({"serviceCode": service_code, "lat": 41.8819, "long": -87.6278})
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="request"\r\n'
            f"Content-Type: application/json\r\n\r\n{request}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode(),
            image.getvalue(),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return http("POST", base + "/api/v1/requests", body, headers)


# Open311's spec answers every argument it cannot use with a 400 (and a wrong api_key with a 403):
# a date range over 90 days, a page past the last, a datetime the W3C subset does not have. Those
# are the spec's answers, not findings; a 5xx, or a body or status the document does not declare,
# still is.
OPEN311_ACCEPTED = '["2xx", 400, 403, 404, 413]'


def schemathesis_config(data: dict[str, list], cache: Path, document: str = "") -> str:
    """schemathesis.toml: its crash cache (for `st replay`) and the dictionaries."""
    q = json.dumps  # a JSON string, number or list of them is a TOML one too
    lines = [f"[cache]\ndirectory = {q(str(cache))}\n"]
    for name, values in data.items():
        lines.append(f"[dictionaries.{name}]\nvalues = {q(values)}\n")
    bound = {key: name for key, name in BINDINGS.items() if name in data}
    if bound:
        lines.append("[parameters]")
        for key, name in bound.items():
            lines.append(f"{q(key)} = {{ dictionary = {q(name)}, probability = 0.5 }}")
    checked_in = (Path(__file__).parent / "schemathesis.toml").read_text()
    if document == "open311.json":
        checked_in = re.sub(
            r"expected-statuses = .*", f"expected-statuses = {OPEN311_ACCEPTED}", checked_in
        )
    lines.append(checked_in)
    return "\n".join(lines) + "\n"


def schemathesis_options(out: Path) -> list[str]:
    options = [
        ("--checks", "all"),
        # but use_after_free ("deleted resource still available"): the only path with both a GET
        # and a DELETE is /api/v1/requests/{tn}/follow, whose GET answers whether this device
        # follows the request ({"following": false} after DELETE) — a question about the
        # request, not a resource the DELETE removed. tests/test_fuzz_hooks.py fails when a new
        # path has both, so the check comes back for it.
        ("--exclude-checks", "use_after_free"),
        # Every phase: examples (where the document gives any), coverage (each constraint's
        # boundaries and its violations, unexpected methods), fuzzing, and stateful (sequences
        # along the links between operations, which schemathesis infers: the document has none).
        ("--phases", "examples,coverage,fuzzing,stateful"),
        ("--max-examples", MAX_EXAMPLES),
        ("--max-response-time", MAX_RESPONSE_SECONDS),
        ("--request-timeout", max(20, 2 * MAX_RESPONSE_SECONDS)),
        ("--max-redirects", 0),  # never a request beyond the server under test
        ("--workers", WORKERS),
        ("--output-sanitize", "false"),  # curl commands as sent (the tokens are throwaway)
        ("--generation-database", out / "examples"),  # not ./.hypothesis in the work tree
        ("--report", "json,ndjson,junit"),
        ("--report-dir", out),
        ("--report-json-path", out / "report.json"),
    ]
    if MAX_SECONDS:
        options.append(("--max-time", MAX_SECONDS))
    if SEED:
        options.append(("--seed", SEED))
    # Every distinct failure of an operation, not only its first.
    return [str(item) for pair in options for item in pair] + ["--continue-on-failure"]


def open311_key(server: Server) -> str:
    """A fresh Open311 api_key, made as a city would (`city311 keys create`)."""
    made = subprocess.run(
        [str(BIN / "city311"), "keys", "create", "--name", "fuzz"],
        env=server.env,
        cwd=server.work,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r"^id \d+ \(fuzz\): (\S+)$", made.stdout, re.M)
    if made.returncode or not found:
        raise RuntimeError(f"city311 keys create failed:\n{made.stdout}{made.stderr}")
    return found.group(1)


def auth_config(document: dict, server: Server) -> str:
    """schemathesis's auth for each security scheme the document declares: a device token from
    POST /api/v1/devices, a staff access token from POST /api/staff/v1/auth/login with the demo
    admin's real login, an Open311 api_key. (Twilio's signature is fuzz/hooks.py's.)"""
    q = json.dumps
    schemes = document.get("components", {}).get("securitySchemes", {})
    lines = []
    if "deviceToken" in schemes:
        lines += [
            "[auth.dynamic.openapi.deviceToken]",
            'path = "/api/v1/devices"',
            'payload = { platform = "unknown" }',
            'extract_selector = "/token"',
            "retry_on = [401]",  # DELETE /api/v1/devices/me revokes it: a new device then
        ]
    if "staffToken" in schemes:
        payload = ", ".join(f"{k} = {q(v)}" for k, v in STAFF_LOGIN.items())
        lines += [
            "[auth.dynamic.openapi.staffToken]",
            'path = "/api/staff/v1/auth/login"',
            f"payload = {{ {payload} }}",
            'extract_selector = "/accessToken"',
            "retry_on = [401]",
        ]
    if "open311ApiKey" in schemes:
        lines += ["[auth.openapi.open311ApiKey]", f"api_key = {q(open311_key(server))}"]
    return "\n".join(lines) + "\n"


def run_schemathesis(
    document_path: Path, server: Server, data: dict[str, list], out: Path
) -> tuple[int, dict | None]:
    """schemathesis on one document: its exit code and its JSON report."""
    document = json.loads(document_path.read_text())
    out.mkdir(parents=True, exist_ok=True)
    config = out / "schemathesis.toml"
    config.write_text(
        schemathesis_config(data, out / "cache", document_path.name) + auth_config(document, server)
    )
    command = [str(BIN / "schemathesis"), "--config-file", str(config), "--no-color", "run"]
    command += [str(document_path), "--url", server.base, *schemathesis_options(out)]
    env = dict(server.env, SCHEMATHESIS_HOOKS=str(HOOKS))
    env.pop("FUZZ_TWILIO_AUTH_TOKEN", None)
    env["FUZZ_STAFF_USERNAME"] = STAFF_LOGIN["username"]
    if "twilioSignature" in document.get("components", {}).get("securitySchemes", {}):
        env["FUZZ_TWILIO_AUTH_TOKEN"] = TWILIO_AUTH_TOKEN
    limit = MAX_SECONDS + GRACE_SECONDS if MAX_SECONDS else UNBOUNDED_LIMIT
    process = subprocess.Popen(command, cwd=out, env=env, stdin=subprocess.DEVNULL)
    try:
        code = process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        log(f"!! schemathesis still running after {limit} s: taken for hung, interrupted")
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        code = -1
    finally:
        if process.poll() is None:  # Ctrl-C or SIGTERM to us: stop it too
            process.kill()
            process.wait()
    report_path = out / "report.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else None
    return code, report


def verdict(code: int, report: dict | None, trouble: str | None) -> tuple[bool, str]:
    """Whether one document passed on one engine, and why not."""
    if report is None:
        return False, f"FAILED: schemathesis wrote no report (exit {code})"
    failures = report["test_cases"]["unique_failures"]
    errors = report["errors"]
    ok = code == 0 and not failures and not errors and not trouble
    text = (
        f"{report['operations']['tested']}/{report['operations']['total']} operations, "
        f"{report['test_cases']['generated']} cases, {failures} failures, {len(errors)} errors, "
        f"stop: {report['stop_reason']}, seed {report['seed']}: {'ok' if ok else 'FAILED'}"
    )
    for failure in report["failures"]:
        operations = ", ".join(failure["operations"])
        text += f"\n      {failure['code']} {failure['title']} ({failure['count']}): {operations}"
    for error in errors:
        text += f"\n      error: {json.dumps(error)[:300]}"
    if trouble:
        text += f"\n      {trouble}"
    elif code != 0 and not (failures or errors):
        text += f"\n      schemathesis exited with {code}"
    return ok, text


def fuzz_engine(engine: str, documents: list[Path], keep: Path | None) -> list[tuple[bool, str]]:
    work = Path(tempfile.mkdtemp(prefix=f"city311-fuzz-{engine}-"))
    reports = keep / engine if keep else work
    if keep:
        shutil.rmtree(reports, ignore_errors=True)
    results = []
    started = time.monotonic()
    try:
        with Server(engine, work) as server:
            log(f"== {engine}: city311 serve on {server.base}, data in {work} ==")
            data = known_values(server.base)
            for document in documents:
                log(f"== fuzz {document.name} on {engine} ==")
                since = len(server.log_text())
                began = time.monotonic()
                code, report = run_schemathesis(document, server, data, reports / document.stem)
                ok, text = verdict(code, report, server.trouble(since))
                seconds = time.monotonic() - began
                results.append((ok, f"{engine:8} {document.name:20} {seconds:4.0f} s  {text}"))
                if not ok:
                    log(f"-- the server's log, {server.log_path.name} (last lines) --")
                    log(server.log_tail())
                if server.process.poll() is not None:
                    break  # the server is gone: nothing more to fuzz on this engine
    except (Exception, SystemExit) as exc:  # this engine could not be fuzzed: a failure
        log(f"!! {engine}: {exc}")
        results.append((False, f"{engine:8} could not be fuzzed: {str(exc).splitlines()[0]}"))
    finally:
        if keep:
            reports.mkdir(parents=True, exist_ok=True)
            if (work / "server.log").exists():
                shutil.copy(work / "server.log", reports / "server.log")
            log(f"(reports kept in {reports})")
        shutil.rmtree(work, ignore_errors=True)
    total = time.monotonic() - started
    log(f"== {engine}: {total:.0f} s in all ==")
    results.append((True, f"{engine:8} {total:.0f} s in all (setup, server, every document)"))
    return results


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    documents = sorted(OPENAPI.glob("*.json"))
    if ONLY:
        documents = [d for d in documents if d.stem in ONLY]
    if not documents:
        log(f"no OpenAPI documents in openapi/ (FUZZ_DOCUMENTS={','.join(ONLY)})")
        return 1
    # A SIGTERM (a CI's time-out) unwinds like Ctrl-C: the server stops, the database is dropped.
    signal.signal(signal.SIGTERM, _interrupt)
    keep = Path(REPORT_DIR).resolve() if REPORT_DIR else None
    version = subprocess.run(
        [str(BIN / "schemathesis"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    log(
        f"{version}; engines: {', '.join(ENGINES)}; documents: "
        f"{', '.join(d.name for d in documents)}; FUZZ_MAX_EXAMPLES={MAX_EXAMPLES} "
        f"FUZZ_MAX_SECONDS={MAX_SECONDS} FUZZ_WORKERS={WORKERS} FUZZ_SEED={SEED or '(random)'}"
    )
    results = []
    for engine in ENGINES:
        results += fuzz_engine(engine, documents, keep)
    log("== fuzz summary ==")
    for _, line in results:
        log(line)
    failed = [line for ok, line in results if not ok]
    if failed:
        log(
            f"FAILED: {len(failed)} of the runs above; schemathesis printed each failure with a "
            "curl command that reproduces it (replaying: fuzz/README.md)"
        )
        return 1
    log("fuzz: no findings")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("fuzz: interrupted (the servers are stopped, the throwaway databases dropped)")
        sys.exit(130)
