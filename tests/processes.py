"""Processes and waits for tests: a child started here dies with the test run, even a killed one,
and a test waits for a sign of readiness (a port that answers, a line printed, a row present) up to
a generous ceiling, never for a fixed short time.

CITY311_TEST_PATIENCE multiplies every ceiling (default 1; a slower machine sets 2 or 3).
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITY311 = [sys.executable, "-m", "backend.cli"]
PATIENCE = float(os.environ.get("CITY311_TEST_PATIENCE") or 1)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_started: set[subprocess.Popen] = set()


def ceiling(seconds: float) -> float:
    """`seconds` scaled by CITY311_TEST_PATIENCE: the most a test waits for something to happen."""
    return seconds * PATIENCE


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: SIGTERM when the thread that started it ends (the test run,
    killed or not), so it never outlives it (Linux; elsewhere the fixtures' clean-up only)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def start(args: list[str], **popen) -> subprocess.Popen:
    """A child in a process group of its own (its own children included), told to end when this
    process ends. Start it from the main thread: the signal comes when the starting thread ends.
    `stop()` it, or `stop_all()` at the end of the session does."""
    popen.setdefault("cwd", ROOT)
    parent = os.getpid()
    process = subprocess.Popen(
        args, process_group=0, preexec_fn=lambda: _die_with_parent(parent), **popen
    )
    _started.add(process)
    return process


def city311(*args: str, **popen) -> subprocess.Popen:
    """`city311 ARGS…` started as `start()` does."""
    return start([*CITY311, *args], **popen)


def stop(process: subprocess.Popen, grace: float = 20) -> int:
    """SIGTERM to the child, then SIGKILL to whatever is left of its group (at once, or after
    `grace` seconds, scaled, if the child is still running); its exit code."""
    _started.discard(process)
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=ceiling(grace))
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # none left
    return process.wait()


def stop_all() -> None:
    """Every child `start()` began and nobody stopped (a test that failed half-way)."""
    for process in list(_started):
        stop(process, grace=5)


def run(
    args: list[str],
    *,
    input: str | bytes | None = None,  # noqa: A002 (as subprocess.run names it)
    check: bool = False,
    capture_output: bool = False,
    timeout: float = 120,
    **popen,
) -> subprocess.CompletedProcess:
    """`subprocess.run` with the guarantees of `start()`, and a scaled ceiling."""
    if capture_output:
        popen.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if input is not None:
        popen["stdin"] = subprocess.PIPE
    process = start(args, **popen)
    try:
        out, err = process.communicate(input, timeout=ceiling(timeout))
    finally:
        stop(process, grace=5)
    done = subprocess.CompletedProcess(args, process.returncode, out, err)
    if check:
        done.check_returncode()
    return done


def wait_for(condition: Callable[[], object], seconds: float = 120, what: str = "") -> object:
    """Polls `condition` until it returns something true (returned), up to `seconds` (scaled)."""
    deadline = time.monotonic() + ceiling(seconds)
    pause = 0.02
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what or condition} not so after {ceiling(seconds):.0f} s")
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


async def until(condition: Callable[[], Awaitable[object]], seconds: float = 120) -> bool:
    """Awaits `condition` until it is true (True), or `seconds` (scaled) have passed (False)."""
    deadline = time.monotonic() + ceiling(seconds)
    while True:
        if await condition():
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)


def get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    """Status and body of a GET (an HTTP error is an answer too; no answer raises OSError)."""
    try:
        with urllib.request.urlopen(url, timeout=ceiling(timeout)) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_until_serving(url: str, process: subprocess.Popen | None = None, seconds=120) -> None:
    """Until `url` answers 200; fails at once if `process` exits first."""

    def answers() -> bool:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}) before answering")
        try:
            return get(url, timeout=5)[0] == 200
        except OSError:
            return False

    wait_for(answers, seconds, f"{url} answering")


class Lines:
    """What a child prints on its stdout (text mode), read as it comes, so that a test can wait
    for a line."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.seen: list[str] = []
        self.ended = False
        self._changed = threading.Condition()
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._changed:
                self.seen.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def wait_for(self, predicate: Callable[[list[str]], bool], seconds: float = 120) -> None:
        """Until `predicate(every line so far)` is true; fails if the output ends first."""
        with self._changed:
            if not self._changed.wait_for(
                lambda: self.ended or predicate(self.seen), ceiling(seconds)
            ):
                raise TimeoutError("not printed in time:\n" + self.text)
            assert predicate(self.seen), "the output ended first:\n" + self.text

    def rest(self, seconds: float = 30) -> str:
        """Everything printed, once the child has closed its output (after `stop()`)."""
        with self._changed:
            self._changed.wait_for(lambda: self.ended, ceiling(seconds))
        return self.text

    @property
    def text(self) -> str:
        return "\n".join(self.seen)
