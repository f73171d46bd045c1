"""The commands behind `make run`: migrate, seed --demo, serve (with its scheduler), openapi."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.processes import CITY311, Lines, ceiling, city311, get, run, stop, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.sqlite_only(reason="`make run` uses the embedded SQLite")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        CITY311_DATA_DIR=str(tmp_path / "data"),
        CITY311_SCHEDULER="on",
        CITY311_PUBLIC_BASE_URL="http://127.0.0.1",
    )
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env, *args) -> tuple[subprocess.Popen, Lines, str]:
    """`city311 serve` on a free port, once it answers /healthz; its output is read as it comes."""
    port = _free_port()
    server = city311(
        "serve", "--port", str(port), "--no-access-log", *args,
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines = Lines(server)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + "/healthz", server)
    except BaseException:
        stop(server)
        raise AssertionError(lines.rest()) from None
    return server, lines, base


def test_migrate_seed_and_serve_like_make_run(tmp_path):
    env = _env(tmp_path)
    outputs = []
    # Twice, as `make run` does on every start: the second time changes nothing.
    for command in (["migrate"], ["seed", "--demo", "--count", "20"]) * 2:
        done = run(
            CITY311 + command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert "'created': 20" in outputs[1] and "'created': 0" in outputs[3]

    server, lines, base = _serve(env)
    try:
        status, body = get(base + "/api/v1/requests?limit=5")
        assert status == 200
        items = json.loads(body)["items"]
        assert len(items) == 5
        status, body = get(base + f"/api/v1/requests/{items[0]['trackingNumber']}")
        assert status == 200
        assert get(base + "/api/v1/services/PHF")[0] == 200
        assert get(base + "/schema/openapi.json")[0] == 200
        assert get(base + "/api/v1/requests/SR26-99999999")[0] == 404
    finally:
        stop(server)
    output = lines.rest()
    assert "Application startup complete" in output, output
    assert "Traceback" not in output, output


def test_openapi_command_writes_the_documents(tmp_path):
    done = run(
        CITY311 + ["openapi", "--out", str(tmp_path)],
        env=_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "app-api.json").read_text()
    assert written == (ROOT / "openapi" / "app-api.json").read_text()


def _tried_the_lock(line: str) -> bool:
    return ("this process" in line and "runs the scheduled jobs" in line) or (
        "another process runs" in line
    )


def test_several_workers_run_one_scheduler_and_links_follow_the_port(tmp_path):
    env = _env(tmp_path)
    env.pop("CITY311_PUBLIC_BASE_URL")
    for command in (["migrate"], ["seed"]):
        run(CITY311 + command, env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)
    server, lines, base = _serve(env, "--workers", "3")
    try:
        created = urllib.request.urlopen(
            urllib.request.Request(
                base + "/api/v1/requests",
                method="POST",
                headers={"content-type": "application/json"},
                data=json.dumps(
                    {
                        "serviceCode": "GRAF",
                        "lat": 41.8789,
                        "long": -87.6359,
                        "answers": {
                            "SURFACE": "brick_painted",
                            "LOCATION": "front",
                            "OFFENSIVE": "no",
                        },
                    }
                ).encode(),
            ),
            timeout=ceiling(30),
        )
        body = json.loads(created.read())
        assert body["links"]["self"].startswith(base + "/api/v1/requests/SR"), body["links"]
        # every worker has tried the jobs lock: one took it, two wait
        lines.wait_for(lambda seen: sum(_tried_the_lock(line) for line in seen) == 3)
    finally:
        stop(server)
    output = lines.rest()
    leaders = [
        line
        for line in output.splitlines()
        if "this process" in line and "runs the scheduled jobs" in line
    ]
    waiting = [line for line in output.splitlines() if "another process runs" in line]
    assert len(leaders) == 1, output
    assert len(waiting) == 2, output


def test_a_busy_port_says_so_and_how_to_choose_another(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run(
            CITY311 + ["serve", "--port", str(port)],
            env=_env(tmp_path),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert f"port {port}" in done.stderr and "already in use" in done.stderr, done.stderr
    assert f"make run PORT={port + 1}" in done.stderr
    assert "Errno 98" not in done.stderr


def test_sms_parse_prints_one_reading_a_line_with_exactly_the_documented_keys(tmp_path):
    texts = "hay un bache muy hondo en 3300 W Fullerton\nSTATUS SR26-00012345\n\nSTOP\n"
    done = run(
        [*CITY311, "sms", "parse"],
        input=texts,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["intent"] for line in lines] == ["report", "status", "stop"]
    assert set(lines[0]) == {
        "intent", "service_code", "service_name", "confidence", "address", "lat", "long",
        "language", "tracking_number",
    }  # fmt: skip
    assert lines[0]["service_code"] == "PHF" and lines[0]["language"] == "es"
    assert lines[0]["address"] == "3300 W FULLERTON AVE" and lines[0]["lat"] > 41.9
    assert lines[1]["tracking_number"] == "SR26-00012345"


def test_sms_chat_files_a_report_through_the_bot(tmp_path):
    env = _env(tmp_path)
    for step in (["migrate"], ["seed"]):
        run([*CITY311, *step], env=env, check=True, capture_output=True, timeout=120)
    done = run(
        [*CITY311, "sms", "chat", "--from", "(312) 555-0100"],
        # YES to the type and place files it (the photo is offered in the same text)
        input="rats all over the alley behind 1845 W Cortland\nyes\nSTATUS\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    replies = [line for line in done.stdout.splitlines() if line.startswith("< ")]
    assert "at 1845 W Cortland St - right?" in replies[0]
    filed = re.search(r"Your request is (SR\d\d-00000001)", replies[1])  # SRyy: this year's
    assert filed, replies[1]
    assert f"{filed[1]} Rodent Baiting" in replies[2]
    assert "+13125550100" not in done.stdout + done.stderr  # logs mask the number
