"""A real `city311 serve` process on a free loopback port, on the test database (for tests that
need real HTTP: published client libraries, several web processes sharing Redis)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

from tests.processes import city311, stop, wait_until_serving


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """Started on construction (waits for /healthz); `stop()` ends it. `env` adds settings; with
    `own_base_url` the links it writes name its own address; with `log` its output (stderr, and
    stdout: uvicorn's access log) is written to that file."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        own_base_url: bool = False,
        log: Path | None = None,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, **(env or {})}
        if own_base_url:
            environment["CITY311_PUBLIC_BASE_URL"] = self.base
        sink = log.open("ab") if log else subprocess.DEVNULL
        try:
            self.process = city311(
                "serve",
                "--port",
                str(self.port),
                env=environment,
                stdout=sink,
                stderr=sink,
            )
        finally:
            if log:
                sink.close()
        try:
            wait_until_serving(self.base + "/healthz", self.process)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        stop(self.process)
