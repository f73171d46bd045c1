"""`city311 users create|list|disable`: the password comes from stdin (or a prompt), never argv;
bad input is printed and exits with status 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.errors import Unauthorized

pytestmark = pytest.mark.slow  # runs the users command

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "correct horse battery"


def city311(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    # the test database: conftest set CITY311_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL)
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", "users", *args],
        input=stdin,
        env=dict(os.environ),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_create_list_and_disable(services):
    slug = (await services.reader.fetchrow("SELECT slug FROM department ORDER BY slug"))["slug"]
    made = city311(
        "create", "--username", "Dept1", "--role", "department", "--department", slug,
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("created staff user ") and "dept1: department" in made.stdout
    assert PASSWORD not in made.stdout + made.stderr
    assert (await services.staff.authenticate("dept1", PASSWORD)).username == "dept1"

    assert (
        city311("create", "--username", "boss", "--role", "admin", stdin=PASSWORD).returncode == 0
    )
    listed = city311("list")
    assert listed.returncode == 0, listed.stderr
    lines = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [line[1:] for line in lines] == [
        ["dept1", "department", slug, "active"],
        ["boss", "admin", "-", "active"],
    ]

    disabled = city311("disable", "--username", "dept1")
    assert disabled.returncode == 0 and "disabled staff user dept1" in disabled.stdout
    with pytest.raises(Unauthorized):
        await services.staff.authenticate("dept1", PASSWORD)
    assert city311("list").stdout.splitlines()[0].split("\t")[-1].startswith("disabled ")


async def test_bad_input_is_printed_with_exit_status_2(services):
    bad = city311(
        "create", "--username", "x", "--role", "department", "--department", "no-such-dept",
        stdin="short\n",
    )  # fmt: skip
    assert bad.returncode == 2
    assert "--username: 3 to 60 characters" in bad.stderr
    assert "password: at least 12 characters" in bad.stderr
    assert "--department: no department has slug 'no-such-dept'" in bad.stderr
    missing = city311("disable", "--username", "nobody")
    assert missing.returncode == 2 and "no staff user is called nobody" in missing.stderr
    # there is no way to give the password as an argument
    argv = city311("create", "--username", "ops1", "--role", "operator", "--password", PASSWORD)
    assert argv.returncode == 2 and "unrecognized arguments" in argv.stderr
    assert await services.staff.list_users() == []
