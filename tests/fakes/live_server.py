"""A real `city311 serve` process on a free loopback port, on the test database (for tests that
need real HTTP: published client libraries, several web processes sharing Redis)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """Started on construction (waits for /healthz); `stop()` ends it. `env` adds settings; with
    `own_base_url` the links it writes name its own address."""

    def __init__(self, env: dict[str, str] | None = None, *, own_base_url: bool = False) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, **(env or {})}
        if own_base_url:
            environment["CITY311_PUBLIC_BASE_URL"] = self.base
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backend.cli", "serve", "--port", str(self.port)],
            env=environment,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
