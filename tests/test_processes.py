"""A test run killed with SIGKILL leaves no `city311 worker` or `serve` behind (tests/processes.py):
a pytest is started on a tiny test that starts both and waits, and is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.fakes.live_server import free_port
from tests.processes import start, stop, wait_for

pytestmark = pytest.mark.slow  # starts servers, workers and a pytest

TINY_TEST = """
import os, subprocess, time
from pathlib import Path

from tests.processes import city311, wait_until_serving


def test_starts_a_worker_and_a_server_then_waits():
    city311("worker", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = os.environ["TINY_PORT"]
    server = city311("serve", "--port", port, "--workers", "2",
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_serving(f"http://127.0.0.1:{port}/healthz", server)
    Path(os.environ["TINY_READY"]).touch()
    time.sleep(3600)
"""


def _marked(mark: str) -> dict[int, str]:
    """The live processes whose environment carries `mark`: pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"CITY311_TEST_MARK={mark}".encode() in (entry / "environ").read_bytes():
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                found[int(entry.name)] = command.decode(errors="replace").strip()
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def test_a_killed_test_run_leaves_no_worker_or_server_behind(migrated, tmp_path):
    (tmp_path / "test_tiny.py").write_text(TINY_TEST)
    mark, ready = uuid.uuid4().hex, tmp_path / "ready"
    env = {
        **os.environ,
        "CITY311_TEST_MARK": mark,
        "CITY311_SCHEDULER": "off",
        "TINY_PORT": str(free_port()),
        "TINY_READY": str(ready),
    }
    pytest_run = start(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(tmp_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: ready.exists() or pytest_run.poll() is not None, what="the tiny test")
        assert pytest_run.poll() is None, "the tiny test ended by itself"
        running = _marked(mark)
        assert any("backend.cli worker" in c for c in running.values()), running
        assert any("backend.cli serve" in c for c in running.values()), running
        assert len(running) >= 5, running  # pytest, worker, serve and its two worker processes

        os.kill(pytest_run.pid, signal.SIGKILL)
        pytest_run.wait()
        wait_for(lambda: not _marked(mark), 60, "every process of the killed run gone")
    finally:
        stop(pytest_run)
        for pid in _marked(mark):  # so that a failure here leaves nothing either
            os.kill(pid, signal.SIGKILL)
