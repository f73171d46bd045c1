"""The README's examples run as written: its shell blocks, in order, with bash and curl over real
HTTP on loopback, against a new database set up as `make run` does (migrate, seed --demo, serve);
each call answers as the README says."""

from __future__ import annotations

import asyncio
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import _PG_ADMIN_URL
from tests.fakes.live_server import LiveServer

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CITY311 = [sys.executable, "-m", "backend.cli"]

pytestmark = pytest.mark.skipif(
    not (shutil.which("bash") and shutil.which("curl")), reason="needs bash and curl"
)

# Every curl call of the README in order: "METHOD path?query" (fnmatch pattern), the status, and
# a regular expression the answer's body holds (or None).
EXPECTED: list[tuple[str, int, str | None]] = [
    ("GET /api/v1/services", 200, r'"code":"PHF"'),
    ("GET /api/v1/services/PHF", 200, r'"code":"LOCATION"'),
    ("POST /api/v1/devices", 201, r'"token":'),
    # located by the photo's EXIF GPS alone
    ("POST /api/v1/requests", 201, r'"lat":41\.9097,"long":-87\.6776'),
    ("POST /api/v1/requests", 201, r'"serviceCode":"GRAF"'),
    ("GET /api/v1/requests/SR??-????????", 200, r'"status":"submitted"'),
    (
        "GET /api/v1/requests/SR??-????????/history",
        200,
        r'"events":\[\{"id":\d+,"kind":"submitted"',
    ),
    ("GET /api/v1/requests?near=41.9097,-87.6776&*", 200, r'"description":"Deep hole"'),
    ("POST /api/v1/requests", 201, r'"address":"1845 W Cortland St"'),
    ("POST /api/v1/requests", 422, r"did you mean 4500 N Kedzie Ave\?"),
    ("GET /api/v1/places/lookup?address=*", 200, r'"ward":'),
    ("GET /api/v1/places/lookup?lat=*", 200, r'"ward":'),
    ("GET /api/v1/beats/1434/meetings?upcoming=true", 200, r'"projected":true'),
    ("GET /api/v1/city", 200, r'"outsideCityPhone":"\(312\) 744-5000"'),
    (
        "GET /api/v1/info?q=when+is+bulk+pickup&lang=en",
        200,
        r'"items":\[\{"slug":"bulk-item-pickup"',
    ),
    ("GET /api/v1/info/city-vehicle-sticker?lang=es", 200, r'"language":"es"'),
    ("GET /api/v1/police/questions?lang=*", 200, r'"kinds":'),
    ("POST /api/v1/police/screening", 200, r'"outcome":"eligible"'),
    ("POST /api/v1/police/reports", 201, r'"trackingNumber":"SR'),
    ("GET /api/v1/me/requests", 200, r'"description":"Deep hole"'),
    ("POST /api/v1/requests/SR??-????????/follow", 200, None),
    ("DELETE /api/v1/requests/SR??-????????/follow", 200, None),
    # a device follows what it reported; the graffiti no more
    ("GET /api/v1/me/following", 200, r'^(?!.*"GRAF").*"serviceCode":"PHF"'),
    ("POST /api/v1/devices/me/token", 200, r'"token":'),
    ("DELETE /api/v1/devices/me", 200, None),
    # staff: the demo's accounts and rows
    ("POST /api/staff/v1/auth/login", 200, r'"accessToken":'),
    (
        "POST /api/staff/v1/requests",
        201,
        r'"possibleDuplicates":\[\{"trackingNumber":"SR\d\d-00000290"',
    ),
    ("GET /api/staff/v1/requests?phone=312-555-0142", 200, r'"address":"3247 N Ashland Ave"'),
    ("POST /api/staff/v1/auth/login", 200, r'"accessToken":'),
    ("GET /api/staff/v1/departments/6/queue?ward=32", 200, r'"id":290,'),
    ("PATCH /api/staff/v1/work-orders/290", 200, r'"status":"in_progress"'),
    ("PATCH /api/staff/v1/work-orders/290", 200, r'"status":"done".*"requestStatus":"completed"'),
    ("POST /api/staff/v1/auth/login", 200, r'"accessToken":'),
    ("POST /api/staff/v1/requests/SR??-????????/duplicate-of", 200, r'"status":"duplicate"'),
    ("GET /api/staff/v1/requests?address=2032+W+Barry+Ave", 200, r'"serviceCode":"SFA"'),
    ("POST /api/staff/v1/requests/SR??-????????/transitions", 200, r'"status":"closed_not_fixed"'),
    ("GET /api/staff/v1/audit?trackingNumber=SR??-????????", 200, r'"kind":"duplicate_marked"'),
    # Open311
    ("GET /open311/v2/discovery.json", 200, r'"endpoints"'),
    ("GET /open311/v2/services.xml", 200, r"<service_code>PHF</service_code>"),
    ("GET /open311/v2/services/SGA.json", 200, r'"code":"WHERE_SEEN"'),
    ("GET /open311/v2/requests.json?service_code=PHF&*", 200, r'"service_code":"PHF"'),
    (
        "GET /open311/v2/requests.xml?updated_after=*&page=2&*",
        200,
        r"<request><service_request_id>",
    ),
    ("POST /open311/v2/requests.json", 200, r'"service_request_id":"SR\d\d-\d{8}"'),
]

# bash runs the blocks with curl wrapped: each call's body, then "@@ status method url", is
# appended to $CURL_LOG, and the body is passed on as curl would print it.
PRELUDE = r"""set -eo pipefail
curl() {
  local out
  out=$(command curl -s -w '\n@@ %{http_code} %{method} %{url_effective}' "$@")
  printf '%s\n' "$out" >> "$CURL_LOG"
  printf '%s' "${out%$'\n'@@ *}"
}
"""
RECORD = re.compile(r"^@@ (\d{3}) (\S+) (\S+)$", re.MULTILINE)


def example_script(readme: str, base: str) -> str:
    """The README's ```sh blocks that call the API or the CLI, minus `make` lines, aimed at base."""
    blocks = re.findall(r"^```sh\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    examples = [b for b in blocks if "curl " in b or ".venv/bin/city311 " in b]
    lines = [line for b in examples for line in b.splitlines() if not line.startswith("make ")]
    return "\n".join(lines).replace("http://127.0.0.1:8000", base) + "\n"


def calls(log: str) -> list[tuple[str, int, str]]:
    """(METHOD path?query, status, body) of each curl call, in order."""
    found, start = [], 0
    for record in RECORD.finditer(log):
        url = urlsplit(record.group(3))
        target = url.path + (f"?{url.query}" if url.query else "")
        body = log[start : record.start()].strip("\n")
        found.append((f"{record.group(2)} {target}", int(record.group(1)), body))
        start = record.end()
    return found


@pytest.fixture
def new_database(tmp_path):
    """The environment of a new database: SQLite in its own data directory, or on PostgreSQL a
    database made for this test and dropped after it."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CITY311_DATA_DIR"] = str(tmp_path / "data")
    name = None
    if _PG_ADMIN_URL:
        import asyncpg

        name = f"city311_readme_{uuid.uuid4().hex[:12]}"

        async def admin(sql: str) -> None:
            conn = await asyncpg.connect(_PG_ADMIN_URL)
            try:
                await conn.execute(sql)
            finally:
                await conn.close()

        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
        env["DATABASE_URL"] = urlunsplit(urlsplit(_PG_ADMIN_URL)._replace(path=f"/{name}"))
    yield env
    if name:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def city311(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        CITY311 + list(args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_readme_examples_run_as_written(new_database, tmp_path):
    env = new_database
    # `make run`: migrate (one line), seed --demo, serve.
    migrated = city311(env, "migrate").splitlines()
    assert len(migrated) == 1 and migrated[0].endswith("migrations applied, up to date"), migrated
    again = city311(env, "migrate").splitlines()
    assert len(again) == 1 and re.search(r": up to date \(\d+ migrations\)$", again[0]), again
    assert "password city311-demo" in city311(env, "seed", "--demo")
    server = LiveServer(env)
    try:
        # Run where `.venv/bin/city311` is this interpreter's command and docs/ is the project's.
        work = tmp_path / "work"
        (work / ".venv" / "bin").mkdir(parents=True)
        command = work / ".venv" / "bin" / "city311"
        command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m backend.cli "$@"\n')
        command.chmod(0o755)
        (work / "docs").symlink_to(ROOT / "docs")
        script = work / "readme.sh"
        script.write_text(PRELUDE + example_script(README.read_text(), server.base))
        log = work / "curl.log"
        done = subprocess.run(
            ["bash", str(script)],
            env={**env, "CURL_LOG": str(log), "PYTHONPATH": str(ROOT)},
            cwd=work,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
        )
        made = calls(log.read_text() if log.exists() else "")
        assert done.returncode == 0, (done.stderr[-3000:], made[-1:] if made else None)
    finally:
        server.stop()
    seen = [(target, status) for target, status, _ in made]
    assert len(made) == len(EXPECTED), seen
    wrong = []
    for (target, status, body), (pattern, want_status, want_body) in zip(
        made, EXPECTED, strict=True
    ):
        if not fnmatch.fnmatchcase(target, pattern):
            wrong.append(f"{target}: not {pattern}")
        elif status != want_status:
            wrong.append(f"{target}: {status}, not {want_status}: {body[:300]}")
        elif want_body and not re.search(want_body, body):
            wrong.append(f"{target}: no {want_body} in {body[:300]}")
    assert not wrong, "\n".join(wrong)
