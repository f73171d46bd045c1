"""`city311 keys create | list | revoke`: the key is printed once and works; a revoked one does not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the keys command

ROOT = Path(__file__).resolve().parents[3]


def _city311(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", *args],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_keys_are_made_listed_and_revoked_from_the_command_line(client, migrated):
    made = _city311("keys", "create", "--name", "Chicago Works")
    assert made.returncode == 0, made.stderr
    key = made.stdout.split()[-1]
    key_id = made.stdout.split()[1]
    assert key.startswith("c311_") and "cannot be shown again" in made.stderr
    form = {
        "api_key": key,
        "service_code": "PHF",
        "lat": "41.9097",
        "long": "-87.6776",
        "attribute[LOCATION]": "curb_lane",
    }
    assert (await client.post("/open311/v2/requests.json", data=form)).status_code == 200

    listed = _city311("keys", "list")
    assert "Chicago Works" in listed.stdout and key not in listed.stdout  # never shown again
    assert "live" in listed.stdout and "last used never" not in listed.stdout

    assert _city311("keys", "revoke", "--id", key_id).returncode == 0
    assert (await client.post("/open311/v2/requests.json", data=form)).status_code == 403
    again = _city311("keys", "revoke", "--id", key_id)
    assert again.returncode != 0 and "no live key" in again.stderr
    assert _city311("keys", "create", "--name", " ").returncode != 0
